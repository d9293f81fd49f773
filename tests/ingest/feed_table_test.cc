#include "ingest/feed_table.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "ingest/feed_schema.h"

namespace rollmatch {
namespace {

TEST(FeedSchema, FieldsFollowTheContract) {
  const std::vector<FieldSpec>& hukou = FieldsOf(Feed::kHukou);
  ASSERT_EQ(hukou.size(), static_cast<size_t>(hukou_field::kCount));
  EXPECT_EQ(hukou[hukou_field::kRecordId].name, "record_id");
  EXPECT_EQ(hukou[hukou_field::kFormerNames].name, "former_names");
  EXPECT_EQ(hukou[hukou_field::kStatusDate].name, "status_date");
  EXPECT_EQ(FieldsOf(Feed::kMigrant)[migrant_field::kResidenceRegionCode].name, "residence_region_code");
  EXPECT_EQ(FieldsOf(Feed::kSocial)[social_field::kInsuredRegionCode].name, "insured_region_code");
  EXPECT_EQ(FieldsOf(Feed::kRoll)[roll_field::kBasis].name, "basis");
  EXPECT_EQ(FieldsOf(Feed::kRights)[rights_field::kToDate].name, "to_date");
  EXPECT_EQ(FieldsOf(Feed::kDistricts)[districts_field::kRegionCodes].name, "region_codes");

  const std::vector<std::pair<Feed, std::set<std::string>>> required = {
      {Feed::kHukou, {"record_id", "id_number", "name", "region_code"}},
      {Feed::kMigrant, {"record_id", "name", "residence_region_code"}},
      {Feed::kSocial, {"record_id", "name", "insured_region_code"}},
      {Feed::kRoll, {"record_id", "name", "district_code"}},
      {Feed::kRights, {"record_id", "name", "kind"}},
      {Feed::kDistricts, {"district_code", "township_code", "region_codes"}},
  };
  const int counts[] = {hukou_field::kCount, migrant_field::kCount, social_field::kCount,
                        roll_field::kCount,  rights_field::kCount,  districts_field::kCount};
  for (const auto& [feed, names] : required) {
    std::set<std::string> got;
    for (const FieldSpec& f : FieldsOf(feed)) {
      if (f.required) got.insert(std::string(f.name));
    }
    EXPECT_EQ(got, names) << FeedName(feed);
    EXPECT_EQ(static_cast<int>(FieldsOf(feed).size()), counts[FeedIndex(feed)]) << FeedName(feed);
    EXPECT_TRUE(FieldsOf(feed)[0].required);
  }
}

TEST(FeedTable, AddRowAndGet) {
  FeedTable t(Feed::kRights);
  EXPECT_EQ(t.num_fields(), rights_field::kCount);
  t.AddRow({"Q011", "320481197901211232", "陈刚", "deprived", "2024-01-01", "2028-12-31"}, SourcePos{0, 2});
  t.AddRow({"Q018", "", "杨帆", "incapacitated", "", ""}, SourcePos{0, 4});
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.key(0), "Q011");
  EXPECT_EQ(t.Get(0, rights_field::kName), "陈刚");
  EXPECT_EQ(t.Get(1, rights_field::kIdNumber), "");
  EXPECT_EQ(t.Get(1, rights_field::kKind), "incapacitated");
  EXPECT_EQ(t.pos(1).line, 4u);
}

TEST(FeedTable, AppendShiftsFilesAndSumsCounts) {
  FeedTable a(Feed::kRights);
  a.mutable_files().push_back(FileStats{"a.csv", "/x/a.csv", "UTF-8", 10, 1, 2, 1, 1});
  a.AddRow({"Q011", "", "陈刚", "deprived", "", ""}, SourcePos{0, 2});
  FeedTable b(Feed::kRights);
  b.mutable_files().push_back(FileStats{"b.csv", "/x/b.csv", "GB18030", 20, 2, 3, 2, 1});
  b.AddRow({"Q012", "", "褚明", "deprived", "", ""}, SourcePos{0, 3});
  b.AddRow({"Q018", "", "杨帆", "incapacitated", "", ""}, SourcePos{0, 5});
  a.Append(b);
  ASSERT_EQ(a.num_rows(), 3u);
  ASSERT_EQ(a.files().size(), 2u);
  EXPECT_EQ(a.key(0), "Q011");
  EXPECT_EQ(a.Get(2, rights_field::kName), "杨帆");
  EXPECT_EQ(a.pos(2).file, 1u);
  EXPECT_EQ(a.pos(2).line, 5u);
  EXPECT_EQ(a.files()[a.pos(1).file].name, "b.csv");
  EXPECT_EQ(a.rows_read(), 5u);
  EXPECT_EQ(a.rows_used(), 3u);
  EXPECT_EQ(a.rows_rejected(), 2u);
}

TEST(FeedTable, PositionsFollowTheFilesOfTheRows) {
  FeedTable t(Feed::kRights);
  t.AddRow({"Q1", "", "a", "deprived", "", ""}, SourcePos{0, 2});
  t.AddRow({"Q2", "", "b", "deprived", "", ""}, SourcePos{0, 7});
  t.AddRow({"Q3", "", "c", "deprived", "", ""}, SourcePos{2, 2});  // file 1 had no rows
  t.AddRow({"Q4", "", "d", "deprived", "", ""}, SourcePos{3, uint64_t{1} << 40});
  EXPECT_EQ(t.pos(0).file, 0u);
  EXPECT_EQ(t.pos(1).file, 0u);
  EXPECT_EQ(t.pos(1).line, 7u);
  EXPECT_EQ(t.pos(2).file, 2u);
  EXPECT_EQ(t.pos(3).file, 3u);
  EXPECT_EQ(t.pos(3).line, uint64_t{1} << 40);
}

// Rows of two files; the middle ones removed in place.
TEST(FeedTable, RemoveRowsKeepsTheOthersInOrder) {
  FeedTable t(Feed::kRights);
  const char* names[] = {"陈刚", "褚明", "杨帆", "王伟", "李娜"};
  for (uint32_t i = 0; i < 5; ++i) {
    const std::string key = std::string("Q").append(std::to_string(i));
    const std::string from = std::string("2024-01-0").append(std::to_string(i + 1));
    t.AddRow({key, "", names[i], "deprived", from, ""},
             SourcePos{i < 2 ? 0u : 1u, 10 + i});
  }
  t.RemoveRows({false, true, true, false, false});
  ASSERT_EQ(t.num_rows(), 3u);
  EXPECT_EQ(t.key(0), "Q0");
  EXPECT_EQ(t.key(1), "Q3");
  EXPECT_EQ(t.Get(1, rights_field::kName), "王伟");
  EXPECT_EQ(t.Get(2, rights_field::kFromDate), "2024-01-05");
  EXPECT_EQ(t.pos(0).file, 0u);
  EXPECT_EQ(t.pos(1).file, 1u);
  EXPECT_EQ(t.pos(1).line, 13u);
  EXPECT_EQ(t.pos(2).line, 14u);
  t.RemoveRows({true, true, true});
  EXPECT_EQ(t.num_rows(), 0u);
}

TEST(FeedTable, KeepFieldsFreesTheOtherValues) {
  FeedTable t(Feed::kRights);
  t.mutable_files().push_back(FileStats{"a.csv", "/x/a.csv", "UTF-8", 10, 1, 2, 2, 0});
  const std::string long_name(5000, 'x');
  t.AddRow({"Q011", "320481197901211232", long_name, "deprived", "2024-01-01", "2028-12-31"}, SourcePos{0, 2});
  t.AddRow({"Q018", "", "杨帆", "incapacitated", "", "2030-01-01"}, SourcePos{0, 4});
  const size_t before = t.MemoryBytes();
  t.KeepFields({rights_field::kToDate});
  EXPECT_LT(t.MemoryBytes(), before / 4);
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.key(0), "Q011");
  EXPECT_EQ(t.key(1), "Q018");
  EXPECT_EQ(t.Get(0, rights_field::kToDate), "2028-12-31");
  EXPECT_EQ(t.Get(1, rights_field::kToDate), "2030-01-01");
  EXPECT_EQ(t.Get(0, rights_field::kName), "");
  EXPECT_EQ(t.Get(0, rights_field::kIdNumber), "");
  EXPECT_EQ(t.pos(1).line, 4u);
  EXPECT_EQ(t.rows_used(), 2u);
  t.KeepFields({});  // the key stays
  EXPECT_EQ(t.key(1), "Q018");
  EXPECT_EQ(t.Get(1, rights_field::kToDate), "");
  t.RemoveRows({true, false});
  ASSERT_EQ(t.num_rows(), 1u);
  EXPECT_EQ(t.key(0), "Q018");
}

}  // namespace
}  // namespace rollmatch
