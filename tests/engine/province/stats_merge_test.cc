#include "engine/province/stats_merge.h"

#include <gtest/gtest.h>

#include <string>

namespace rollmatch {
namespace {

RegionStats Row(const std::string& code, const std::string& level, uint64_t eligible, uint64_t registered,
                uint64_t duplicates = 0) {
  RegionStats r;
  r.region_code = code;
  r.level = level;
  r.eligible_hukou = eligible;
  r.registered_hukou = registered;
  r.roll_records = registered;
  r.flags[static_cast<int>(FlagCode::kDuplicate)] = duplicates;
  return r;
}

CountyStats County(const std::string& code, uint64_t eligible, uint64_t registered, uint64_t duplicates) {
  return {"out-" + code,
          {Row(code, "scope", eligible, registered, duplicates),
           Row(code + "101", "township", eligible, registered, duplicates),
           Row(code + "101201", "village", eligible, registered, duplicates)}};
}

TEST(StatsMerge, CountiesSummedIntoTheProvinceWithCountyRows) {
  std::string scope;
  auto merged = MergeCountyStats({County("320481", 100, 90, 2), County("320413", 50, 40, 1)}, "", &scope);
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(scope, "32");
  ASSERT_EQ(merged->size(), 7u);
  const RegionStats& top = (*merged)[0];
  EXPECT_EQ(top.level, "scope");
  EXPECT_EQ(top.region_code, "32");
  EXPECT_EQ(top.eligible_hukou, 150u);
  EXPECT_EQ(top.registered_hukou, 130u);
  EXPECT_EQ(top.flags[static_cast<int>(FlagCode::kDuplicate)], 3u);
  // Counties, then townships, then villages, each by code.
  EXPECT_EQ((*merged)[1].region_code, "320413");
  EXPECT_EQ((*merged)[1].level, "county");
  EXPECT_EQ((*merged)[2].region_code, "320481");
  EXPECT_EQ((*merged)[3].level, "township");
  EXPECT_EQ((*merged)[6].level, "village");
}

TEST(StatsMerge, OverlappingForeignAndNonCountyInputsAreRefused) {
  std::string scope;
  auto overlap = MergeCountyStats({County("320481", 1, 1, 0), County("320481", 1, 1, 0)}, "", &scope);
  ASSERT_FALSE(overlap.ok());
  EXPECT_NE(overlap.status().message().find("overlapping inputs: county 320481"), std::string::npos);
  auto foreign = MergeCountyStats({County("320481", 1, 1, 0), County("330102", 1, 1, 0)}, "32", &scope);
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.status().message().find("county 330102 is outside scope 32"), std::string::npos);
  auto provinces = MergeCountyStats({County("320481", 1, 1, 0), County("330102", 1, 1, 0)}, "", &scope);
  ASSERT_FALSE(provinces.ok());
  EXPECT_NE(provinces.status().message().find("several provinces"), std::string::npos);
  CountyStats township = {"out-t", {Row("320481101", "scope", 1, 1)}};
  auto not_county = MergeCountyStats({township}, "", &scope);
  ASSERT_FALSE(not_county.ok());
  EXPECT_NE(not_county.status().message().find("not a county"), std::string::npos);
}

}  // namespace
}  // namespace rollmatch
