#include "engine/resolve/blocking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/resolve/resolve_records.h"
#include "tests/engine/resolve/test_dataset.h"

namespace rollmatch {
namespace {

using testing::DatasetBuilder;
using testing::Id;
using testing::Keys;

std::vector<uint64_t> KeysOf(const ResolveRecords& rr, RecordRef r) {
  std::vector<std::pair<uint64_t, uint32_t>> out;
  BlockingKeysOf(rr, rr.IndexOf(r), Keys(), &out);
  std::vector<uint64_t> keys;
  for (const auto& [k, i] : out) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool ShareAKey(const ResolveRecords& rr, RecordRef a, RecordRef b) {
  const std::vector<uint64_t> x = KeysOf(rr, a), y = KeysOf(rr, b);
  std::vector<uint64_t> both;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(both));
  return !both.empty();
}

TEST(BlockingKeys, AnIdWithOneTypoMeetsTheValidIdItWasCopiedFrom) {
  const std::string id = Id("32048119800512107");  // check character: a digit
  ASSERT_NE(id[17], 'X');
  std::vector<std::string> typos;
  std::string t = id;
  t[10] = t[10] == '0' ? '1' : '0';  // one digit
  typos.push_back(t);
  t = id;
  std::swap(t[12], t[13]);  // two adjacent digits
  typos.push_back(t);
  t = id;
  std::swap(t[16], t[17]);  // the last digit and the check character
  typos.push_back(t);
  t = id;
  t[17] = t[17] == '0' ? '1' : '0';  // the check character
  typos.push_back(t);
  DatasetBuilder b;
  b.Hukou({"H", id, "王伟", "", "男", "1980-05-12", "汉族", "", "320481101201"});
  // Different names and no birth date: only the ID key can bring them together.
  for (size_t i = 0; i < typos.size(); ++i) {
    ASSERT_NE(typos[i], id);
    b.Roll({"R" + std::to_string(i), typos[i], "李" + std::to_string(i), "", "", "D1", "", "hukou", "2021-10-01"});
  }
  const Dataset data = b.Build();
  const ResolveRecords rr = BuildResolveRecords(data, Keys());
  int checked = 0;
  for (uint32_t i = 0; i < typos.size(); ++i) {
    const ResolveRecord& r = rr.records[rr.IndexOf({Feed::kRoll, i})];
    if (r.id_status != IdStatus::kBadCheck) continue;  // a lucky check character
    EXPECT_TRUE(ShareAKey(rr, {Feed::kHukou, 0}, {Feed::kRoll, i})) << typos[i];
    ++checked;
  }
  EXPECT_GE(checked, 3);
  // Each key of a record once.
  const std::vector<uint64_t> k = KeysOf(rr, {Feed::kRoll, 0});
  EXPECT_TRUE(std::adjacent_find(k.begin(), k.end()) == k.end());
}

// A county where the name blocks hold twins (two hukou IDs), registrations
// with and without IDs, and a registration whose valid ID differs from a
// twin's only in the sequence number.
Dataset Twins() {
  DatasetBuilder b;
  const std::string a = Id("32048120050301121"), c = Id("32048120050301137"), other = Id("32048119900101303");
  b.Hukou({"HT1", a, "张伟", "", "男", "2005-03-01", "汉族", "HH-T", "320481101201"});
  b.Hukou({"HT2", c, "张伟", "", "男", "2005-03-01", "汉族", "HH-T", "320481101201"});
  b.Hukou({"HO", other, "张伟", "", "男", "1990-01-01", "汉族", "", "320481101201"});
  b.Roll({"RT1", a, "张伟", "男", "2005-03-01", "D1", "320481101201", "hukou", "2024-01-01"});
  b.Roll({"RSEQ", Id("32048120050301145"), "张伟", "男", "2005-03-01", "D1", "320481101201", "hukou", "2024-01-01"});
  b.Roll({"RNO", "", "张伟", "男", "2005-03-01", "D1", "320481101201", "hukou", "2024-01-01"});
  b.Migrant({"M", "", "张伟", "男", "", "320481101201", "320481101201"});
  b.Social({"S", other, "张伟", "男", "1990-01-01", "320481101201", "某公司", "active", "2026-10"});
  return b.Build();
}

TEST(CandidatePairs, NeverEnumeratesTwoValidIdsThatCannotBeOnePerson) {
  const Dataset data = Twins();
  const ResolveRecords rr = BuildResolveRecords(data, Keys());
  BlockingStats stats;
  const std::vector<uint64_t> pairs = CandidatePairs(rr, Keys(), BlockingOptions(), &stats);
  EXPECT_EQ(pairs, CandidatePairsReference(rr, Keys(), BlockingOptions()));
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
  EXPECT_EQ(stats.candidate_pairs, pairs.size());
  auto paired = [&](RecordRef x, RecordRef y) {
    return std::binary_search(pairs.begin(), pairs.end(), MakePair(rr.IndexOf(x), rr.IndexOf(y)));
  };
  const RecordRef t1{Feed::kHukou, 0}, t2{Feed::kHukou, 1}, other{Feed::kHukou, 2};
  const RecordRef rt1{Feed::kRoll, 0}, rseq{Feed::kRoll, 1}, rno{Feed::kRoll, 2};
  const RecordRef m{Feed::kMigrant, 0}, s{Feed::kSocial, 0};
  EXPECT_FALSE(paired(t1, t2));     // twins: two hukou IDs
  EXPECT_FALSE(paired(t1, other));  // another person of that name
  EXPECT_TRUE(paired(t1, rt1));     // one ID
  EXPECT_TRUE(paired(t1, rseq));    // same region and birth, a wrong sequence number
  EXPECT_TRUE(paired(t2, rseq));
  EXPECT_TRUE(paired(t1, rno));     // no ID: anyone of the block
  EXPECT_TRUE(paired(t2, rno));
  EXPECT_TRUE(paired(t1, m));
  EXPECT_TRUE(paired(other, s));    // one ID
  EXPECT_FALSE(paired(rt1, s));     // two valid IDs of two people
  EXPECT_FALSE(paired(rt1, rno));   // RT1 meets only its hukou record: its other keys repeat HT1's
  EXPECT_GT(stats.skipped_valid_id_pairs, 0u);
}

TEST(CandidatePairs, BlocksOverTheCapAreNotExpandedAndAreCounted) {
  for (const int people : {64, 65}) {
    DatasetBuilder b;
    // One name and birth date in one village, no IDs: every name key is one block.
    for (int i = 0; i < people; ++i) {
      b.Hukou({"H" + std::to_string(i), "", "王伟", "", "男", "1980-05-12", "汉族", "", "320481101201"});
    }
    const Dataset data = b.Build();
    const ResolveRecords rr = BuildResolveRecords(data, Keys());
    BlockingStats stats;
    const std::vector<uint64_t> pairs = CandidatePairs(rr, Keys(), BlockingOptions(), &stats);
    EXPECT_EQ(pairs, CandidatePairsReference(rr, Keys(), BlockingOptions()));
    const auto& pinyin_birth = stats.by_key[static_cast<int>(BlockingKey::kNamePinyinBirth)];
    EXPECT_EQ(pinyin_birth.largest_block, static_cast<uint64_t>(people));
    if (people == 64) {
      EXPECT_EQ(pairs.size(), 64u * 63u / 2u);
      EXPECT_EQ(pinyin_birth.capped_blocks, 0u);
      EXPECT_EQ(pinyin_birth.pairs, 64u * 63u / 2u);
    } else {
      EXPECT_TRUE(pairs.empty());
      EXPECT_EQ(pinyin_birth.capped_blocks, 1u);
      EXPECT_EQ(pinyin_birth.capped_records, 65u);
    }
  }
}

}  // namespace
}  // namespace rollmatch
