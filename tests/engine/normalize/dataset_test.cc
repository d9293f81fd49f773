#include "engine/normalize/dataset.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "ingest/feed_schema.h"

namespace rollmatch {
namespace {

const NameNormalizer& Names() {
  static std::unique_ptr<NameNormalizer> names = std::move(NameNormalizer::Create()).value();
  return *names;
}

// Tables from rows written in each feed's field order (missing trailing
// fields are empty), one file per feed.
class Feeds {
 public:
  Feeds& Add(Feed feed, std::vector<std::string> values) {
    rows_[FeedIndex(feed)].push_back(std::move(values));
    return *this;
  }
  Result<Dataset> Build(std::vector<Reject>* rejects) {
    std::array<FeedTable, kNumFeeds> tables = {FeedTable(Feed::kHukou),  FeedTable(Feed::kMigrant),
                                               FeedTable(Feed::kSocial), FeedTable(Feed::kRoll),
                                               FeedTable(Feed::kRights), FeedTable(Feed::kDistricts)};
    std::array<bool, kNumFeeds> present{};
    for (int f = 0; f < kNumFeeds; ++f) {
      present[f] = true;
      FileStats fs;
      fs.name = std::string(FeedName(static_cast<Feed>(f))) + ".csv";
      tables[f].mutable_files().push_back(fs);
      uint64_t line = 2;
      for (auto& row : rows_[f]) {
        row.resize(FieldsOf(static_cast<Feed>(f)).size());
        tables[f].AddRow(std::vector<std::string_view>(row.begin(), row.end()), SourcePos{0, line++});
        tables[f].mutable_files()[0].rows_read++;
        tables[f].mutable_files()[0].rows_used++;
      }
    }
    return BuildDataset(std::move(tables), present, Names(), rejects);
  }

 private:
  std::array<std::vector<std::vector<std::string>>, kNumFeeds> rows_;
};

// The records hold Text handles (8 bytes) and an inline CitizenId (20 bytes):
// a person-feed record is at most 64 bytes, however long its texts.
TEST(Dataset, RecordsAreCompact) {
  EXPECT_LE(sizeof(PersonFields), 40u);
  EXPECT_LE(sizeof(HukouRecord), 64u);
  EXPECT_LE(sizeof(MigrantRecord), 64u);
  EXPECT_LE(sizeof(SocialRecord), 48u);
  EXPECT_LE(sizeof(RollRecord), 56u);
  EXPECT_LE(sizeof(RightsRecord), 48u);
}

TEST(Dataset, NormalizesEveryFeed) {
  Feeds feeds;
  feeds
      .Add(Feed::kHukou, {"H1", " 320481199512011316 ", " 楊麗華 ", "王玮；李伟", "男", "1995/12/01", "汉族",
                          "０００７", "３２０４８１１０１２０３", "某街1号", "正常", ""})
      .Add(Feed::kHukou,
           {"H2", "", "王伟", "", "", "", "", "0007", "320481101203", "", "deceased", "20200102"})
      .Add(Feed::kMigrant, {"M1", "", "张三", "", "", "320400", "320481101 203", "", "2020-01-01", ""})
      .Add(Feed::kSocial, {"S1", "", "李四", "", "", "320481102001", "某厂", "active", "2026-11"})
      .Add(Feed::kRoll, {"R1", "", "王伟", "", "2023-02-30", "32048110101", "320481101203", "hukou", ""})
      .Add(Feed::kRights, {"Q1", "", "赵六", "deprived", "2024-01-01", ""})
      .Add(Feed::kDistricts, {"32048110101", "第1选区", "320481101", "area", "320481101203;320481101204"});
  std::vector<Reject> rejects;
  auto built = feeds.Build(&rejects);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const Dataset& ds = built.value();
  EXPECT_TRUE(rejects.empty());

  ASSERT_EQ(ds.hukou.size(), 2u);
  const HukouRecord& h = ds.hukou[0];
  EXPECT_EQ(h.id.text(), "320481199512011316");
  EXPECT_TRUE(h.id.valid());
  EXPECT_EQ(h.name, "杨丽华");
  EXPECT_EQ(h.birth_date, Date::FromYmd(1995, 12, 1));
  EXPECT_EQ(h.gender, Gender::kMale);
  EXPECT_EQ(h.region, "320481101203");  // full-width digits folded
  EXPECT_EQ(h.household_id, "0007");
  ASSERT_EQ(h.former_names.size(), 2u);
  EXPECT_EQ(h.former_names[0], "王玮");
  EXPECT_EQ(h.former_names[1], "李伟");
  EXPECT_EQ(ds.hukou[1].status, HukouStatus::kDeceased);
  EXPECT_EQ(ds.hukou[1].status_date, Date::FromYmd(2020, 1, 2));
  EXPECT_EQ(ds.hukou[1].region, h.region);
  EXPECT_EQ(ds.hukou[1].household_id, "0007");
  EXPECT_TRUE(ds.hukou[1].id.status == IdStatus::kEmpty);
  EXPECT_TRUE(ds.hukou[1].former_names.empty());

  EXPECT_EQ(ds.migrant[0].residence_region, "320481101203");  // the space removed
  EXPECT_EQ(ds.migrant[0].hukou_region, "320400");
  EXPECT_EQ(ds.social[0].insured_region, "320481102001");
  EXPECT_EQ(ds.social[0].last_paid, Date::FromYmd(2026, 11, 1));
  EXPECT_EQ(ds.roll[0].district_code, "32048110101");
  EXPECT_FALSE(ds.roll[0].birth_date.known());  // impossible date
  EXPECT_EQ(ds.rights[0].name, "赵六");
  ASSERT_NE(ds.FindDistrict("32048110101"), nullptr);
  EXPECT_EQ(ds.FindDistrict("32048110101")->regions.size(), 2u);

  // The tables keep the record ids and the roll's birth date as typed (for
  // WRONG_DETAILS), not the other raw values.
  EXPECT_EQ(ds.record_id({Feed::kHukou, 1}), "H2");
  EXPECT_EQ(ds.record_id({Feed::kRoll, 0}), "R1");
  EXPECT_EQ(ds.table(Feed::kRoll).Get(0, roll_field::kBirthDate), "2023-02-30");
  EXPECT_EQ(ds.table(Feed::kHukou).Get(0, hukou_field::kAddress), "");
  EXPECT_EQ(ds.table(Feed::kHukou).pos(1).line, 3u);
  EXPECT_EQ(ds.table(Feed::kDistricts).key(0), "32048110101");
}

// `prefix` followed by the number.
std::string Numbered(const char* prefix, int n) { return std::string(prefix).append(std::to_string(n)); }

TEST(Dataset, RecordsStayValidWhenTheDatasetMoves) {
  Feeds feeds;
  for (int i = 0; i < 20000; ++i) {  // several chunks and arena blocks
    feeds.Add(Feed::kHukou, {Numbered("H", i), "", Numbered("王", i), "", "", "", "", "",
                             Numbered("3204811012", i % 100), "", "", ""});
  }
  feeds.Add(Feed::kDistricts, {"32048110101", "", "320481101", "area", "320481101"});
  std::vector<Reject> rejects;
  auto built = feeds.Build(&rejects);
  ASSERT_TRUE(built.ok());
  Dataset ds = std::move(built).value();
  Dataset moved = std::move(ds);
  ASSERT_EQ(moved.hukou.size(), 20000u);
  for (int i = 0; i < 20000; ++i) {
    ASSERT_EQ(moved.hukou[i].name, Numbered("王", i));
    ASSERT_EQ(moved.hukou[i].region, Numbered("3204811012", i % 100));
    ASSERT_EQ(moved.record_id({Feed::kHukou, static_cast<uint32_t>(i)}), Numbered("H", i));
  }
}

TEST(Dataset, UnknownCodedWordsAreRejectsAndTheRowsGo) {
  Feeds feeds;
  feeds.Add(Feed::kHukou, {"H1", "", "甲", "", "", "", "", "", "320481101203", "", "正常", ""})
      .Add(Feed::kHukou, {"H2", "", "乙", "", "", "", "", "", "320481101203", "", "失踪", ""})
      .Add(Feed::kHukou, {"H3", "", "丙", "", "", "", "", "", "320481101203", "", "", ""})
      .Add(Feed::kDistricts, {"32048110101", "", "320481101", "area", "320481101"});
  std::vector<Reject> rejects;
  auto built = feeds.Build(&rejects);
  ASSERT_TRUE(built.ok());
  const Dataset& ds = built.value();
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].line, 3u);
  EXPECT_EQ(rejects[0].reason, "unknown status '失踪'");
  ASSERT_EQ(ds.hukou.size(), 2u);
  EXPECT_EQ(ds.record_id({Feed::kHukou, 1}), "H3");
  EXPECT_EQ(ds.hukou[1].name, "丙");
  EXPECT_EQ(ds.table(Feed::kHukou).pos(1).line, 4u);
  EXPECT_EQ(ds.table(Feed::kHukou).rows_rejected(), 1u);
  EXPECT_EQ(ds.table(Feed::kHukou).rows_used(), 2u);
}

}  // namespace
}  // namespace rollmatch
