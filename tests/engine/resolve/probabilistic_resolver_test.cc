#include <gtest/gtest.h>

#include <string>

#include "engine/resolve/resolver.h"
#include "tests/engine/resolve/test_dataset.h"

namespace rollmatch {
namespace {

using testing::BadCheck;
using testing::DatasetBuilder;
using testing::Id;
using testing::Keys;

// A background county: `n` people, each with a hukou record and a
// registration carrying the same ID, most with a social record; the
// resolver's model (EM, u from random pairs) learns from them.
void AddBackground(DatasetBuilder* b, int n) {
  static const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱"};
  static const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛",
                                 "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "文", "玉"};
  uint64_t s = 12345;
  auto next = [&s]() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(s >> 33);
  };
  for (int i = 0; i < n; ++i) {
    const std::string name = std::string(kSurnames[next() % 14]) + kGiven[next() % 28] + kGiven[next() % 28];
    const int year = 1940 + static_cast<int>(next() % 65), month = 1 + static_cast<int>(next() % 12),
              day = 1 + static_cast<int>(next() % 28);
    char birth[16], digits[32];
    std::snprintf(birth, sizeof birth, "%04d-%02d-%02d", year, month, day);
    const int seq = 100 + static_cast<int>(next() % 800);
    std::snprintf(digits, sizeof digits, "320481%04d%02d%02d%03d", year, month, day, seq);
    const std::string id = Id(digits);
    const std::string gender = (seq % 2) ? "男" : "女";
    const std::string village = "3204811" + std::to_string(10 + i % 5) + "2" + std::to_string(10 + i % 7);
    const std::string rid = std::to_string(i);
    b->Hukou({"BH" + rid, id, name, "", gender, birth, "汉族", "HH" + rid, village});
    b->Roll({"BR" + rid, id, name, gender, birth, "D1", village, "hukou", "2021-10-01"});
    if (i % 3 != 0) b->Social({"BS" + rid, id, name, gender, birth, village, "某公司", "active", "2026-10"});
  }
}

class Resolve : public ::testing::Test {
 protected:
  void Run(DatasetBuilder& b) {
    data_ = b.Build();
    auto resolver = MakeProbabilisticResolver(Keys(), ProbabilisticOptions());
    auto res = resolver->Resolve(data_);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    res_ = std::move(res).value();
  }
  RecordRef Ref(Feed f, const std::string& rid) {
    for (uint32_t r = 0; r < data_.num_records(f); ++r) {
      if (data_.record_id({f, r}) == rid) return {f, r};
    }
    ADD_FAILURE() << "no record " << rid;
    return {f, 0};
  }
  bool Same(RecordRef a, RecordRef b) { return res_.person(a) == res_.person(b); }
  bool Possible(RecordRef a, RecordRef b) {
    for (const PossibleMatch& m : res_.possible_matches) {
      if ((m.a == a && m.b == b) || (m.a == b && m.b == a)) return true;
    }
    return false;
  }
  Dataset data_;
  Resolution res_;
};

TEST_F(Resolve, MistypedIdOnTheRollLinksToTheHukouRecord) {
  DatasetBuilder b;
  AddBackground(&b, 1500);
  const std::string id = Id("32048119870505138");
  std::string typo = id;
  typo[9] = typo[9] == '7' ? '1' : '7';  // one digit
  b.Hukou({"H1", id, "覃缪", "", "女", "1987-05-05", "汉族", "", "320481101201"});
  b.Roll({"R1", typo, "覃缪", "女", "1987-05-05", "D1", "320481101201", "hukou", "2021-10-01"});
  Run(b);
  const RecordRef h = Ref(Feed::kHukou, "H1"), r = Ref(Feed::kRoll, "R1");
  EXPECT_TRUE(Same(h, r));
  const LinkExplanation& why = res_.link_of(r);
  EXPECT_GE(why.confidence, 0.99);
  ASSERT_TRUE(why.has_levels);
  EXPECT_EQ(why.levels[static_cast<int>(Comparison::kId)], id_level::kOneSubstitution);
}

TEST_F(Resolve, TwinsSharingNameBirthAndHouseholdStayTwoPeople) {
  DatasetBuilder b;
  AddBackground(&b, 1500);
  const std::string a = Id("32048120050301121"), c = Id("32048120050301137");
  b.Hukou({"HT1", a, "张伟", "", "男", "2005-03-01", "汉族", "HH-T", "320481101201"});
  b.Hukou({"HT2", c, "张伟", "", "男", "2005-03-01", "汉族", "HH-T", "320481101201"});
  b.Roll({"RT1", a, "张伟", "男", "2005-03-01", "D1", "320481101201", "hukou", "2024-01-01"});
  b.Roll({"RT2", c, "张伟", "男", "2005-03-01", "D1", "320481101201", "hukou", "2024-01-01"});
  // A migrant record without ID that fits both twins equally well.
  b.Migrant({"MT", "", "张伟", "男", "2005-03-01", "320481101201", "320481101201"});
  Run(b);
  const RecordRef h1 = Ref(Feed::kHukou, "HT1"), h2 = Ref(Feed::kHukou, "HT2");
  const RecordRef r1 = Ref(Feed::kRoll, "RT1"), r2 = Ref(Feed::kRoll, "RT2");
  const RecordRef m = Ref(Feed::kMigrant, "MT");
  EXPECT_TRUE(Same(h1, r1));
  EXPECT_TRUE(Same(h2, r2));
  EXPECT_FALSE(Same(h1, h2));
  // Linked to neither twin, but reported.
  EXPECT_FALSE(Same(m, h1));
  EXPECT_FALSE(Same(m, h2));
  EXPECT_TRUE(Possible(m, h1) || Possible(m, r1));
  EXPECT_GE(res_.link_of(m).best_unlinked, 0.5);
}

TEST_F(Resolve, ChainingNeverMergesTwoHukouIds) {
  DatasetBuilder b;
  AddBackground(&b, 1500);
  // Two different people (different valid hukou IDs, same name and birth,
  // different villages) and a registration without ID between them.
  const std::string a = Id("32048119660606111"), c = Id("32048119660606153");
  b.Hukou({"HC1", a, "蒋志强", "", "男", "1966-06-06", "汉族", "", "320481101201"});
  b.Hukou({"HC2", c, "蒋志强", "", "男", "1966-06-06", "汉族", "", "320481102201"});
  b.Roll({"RC", "", "蒋志强", "男", "1966-06-06", "D1", "320481101201", "hukou", "2021-10-01"});
  Run(b);
  EXPECT_FALSE(Same(Ref(Feed::kHukou, "HC1"), Ref(Feed::kHukou, "HC2")));
}

TEST_F(Resolve, BelowTheAcceptanceThresholdRecordsAreReportedNotMerged) {
  DatasetBuilder b;
  AddBackground(&b, 1500);
  // A social record with only a common name and a township: weak evidence.
  for (int i = 0; i < 6; ++i) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "32048119%02d0101%03d", 60 + i, 111 + 2 * i);
    const std::string rid = std::to_string(i);
    b.Hukou({"HW" + rid, Id(digits), "王芳", "", "女", "", "汉族", "", "32048110" + std::to_string(1 + i % 2) + "20" + rid});
  }
  b.Social({"SW", "", "王芳", "女", "", "320481101", "某公司", "active", "2026-10"});
  Run(b);
  const RecordRef s = Ref(Feed::kSocial, "SW");
  for (int i = 0; i < 6; ++i) EXPECT_FALSE(Same(s, Ref(Feed::kHukou, "HW" + std::to_string(i))));
}

TEST_F(Resolve, OneIdTwoClearlyDifferentPeopleIsAConflictNotAMerge) {
  DatasetBuilder b;
  AddBackground(&b, 1500);
  const std::string id = Id("32048119751111222");
  b.Hukou({"HX", id, "孔祥东", "", "男", "1975-11-11", "汉族", "", "320481101201"});
  b.Social({"SX", id, "欧阳娜娜", "女", "1999-02-03", "320481102201", "某公司", "active", "2026-10"});
  Run(b);
  const RecordRef h = Ref(Feed::kHukou, "HX"), s = Ref(Feed::kSocial, "SX");
  EXPECT_FALSE(Same(h, s));
  ASSERT_TRUE(Possible(h, s));
  bool worded = false;
  for (const PossibleMatch& m : res_.possible_matches) {
    if ((m.a == h && m.b == s) || (m.a == s && m.b == h)) worded = m.why.words.find("重号") != std::string::npos;
  }
  EXPECT_TRUE(worded);
}

TEST_F(Resolve, SameSoundSlipAndFormerNameWithoutIdLink) {
  DatasetBuilder b;
  AddBackground(&b, 1500);
  b.Hukou({"HS", Id("32048119950202181"), "覃伟", "", "男", "1995-02-02", "汉族", "", "320481101201"});
  b.Migrant({"MS", "", "覃玮", "男", "1995-02-02", "320481101201", "320481102201"});
  b.Hukou({"HF", Id("32048119910101141"), "陈思远", "陈小二", "男", "1991-01-01", "汉族", "", "320481101201"});
  b.Roll({"RF", "", "陈小二", "男", "1991-01-01", "D1", "320481101201", "hukou", "2021-10-01"});
  Run(b);
  EXPECT_TRUE(Same(Ref(Feed::kHukou, "HS"), Ref(Feed::kMigrant, "MS")));
  EXPECT_TRUE(Same(Ref(Feed::kHukou, "HF"), Ref(Feed::kRoll, "RF")));
}

TEST_F(Resolve, ModelIsEstimatedFromTheRun) {
  DatasetBuilder b;
  AddBackground(&b, 1500);
  Run(b);
  double lambda = -1, w_exact = 0, w_diff = 0;
  for (const auto& [k, v] : res_.figures) {
    if (k == "lambda") lambda = v;
    if (k == "weight.birth_date.0") w_exact = v;
    if (k == "weight.birth_date.4") w_diff = v;
  }
  EXPECT_GT(lambda, 0.0);
  EXPECT_LT(lambda, 1.0);
  EXPECT_GT(w_exact, 5.0);  // agreeing on a birth date is strong evidence
  EXPECT_LT(w_diff, 0.0);   // a different one speaks against
  // Every background person is one person: hukou + roll (+ social).
  EXPECT_EQ(res_.num_persons, 1500u);
}

}  // namespace
}  // namespace rollmatch
