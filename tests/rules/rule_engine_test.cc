#include "rules/rule_engine.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "engine/resolve/resolver.h"
#include "tests/engine/resolve/test_dataset.h"

namespace rollmatch {
namespace {

using testing::DatasetBuilder;
using testing::Id;

const RuleConfig kConfig{"320481", Date::FromYmd(2026, 12, 15), Date::FromYmd(2021, 11, 15)};

Resolution ResolveById(const Dataset& data) {
  auto res = MakeExactIdResolver()->Resolve(data);
  EXPECT_TRUE(res.ok()) << res.status().ToString();
  return std::move(res).value();
}

// ApplyRules on `threads` threads.
RulesOutput RulesOn(int threads, const Dataset& data, const Resolution& res) {
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(threads);
  RulesOutput out;
  arena.execute([&] { out = ApplyRules(data, res, kConfig); });
  return out;
}

// Three townships of two villages, one area district per village, and
// persons of every kind: registered where they should be, missing, not
// found, registered twice, living here without hukou, in the wrong district.
Dataset County(int persons) {
  DatasetBuilder b;
  auto township = [](int t) { return "320481" + std::to_string(101 + t); };
  for (int t = 0; t < 3; ++t) {
    for (int v = 1; v <= 2; ++v) {
      b.Add(Feed::kDistricts, {township(t) + "0" + std::to_string(v), "第" + std::to_string(v) + "选区", township(t),
                               "area", township(t) + "20" + std::to_string(v)});
    }
  }
  const char* kNames[] = {"张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏"};
  for (int i = 0; i < persons; ++i) {
    char birth[11], first17[18], rid[16];
    std::snprintf(birth, sizeof birth, "%04d-%02d-%02d", 1950 + i / 3000, 1 + i / 250 % 12, 1 + i % 28);
    std::snprintf(first17, sizeof first17, "320481%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8, i / 28 % 1000);
    const std::string id = Id(first17), name = kNames[i % 7], gender = (i / 28) % 2 ? "男" : "女";
    const std::string t = township(i % 3), village = t + (i % 2 ? "201" : "202");
    const std::string district = t + (i % 2 ? "01" : "02");
    std::snprintf(rid, sizeof rid, "%06d", i);
    auto hukou = [&] { b.Hukou({"H" + std::string(rid), id, name, "", gender, birth, "", "", village, "", "正常", ""}); };
    auto roll = [&](const std::string& suffix, const std::string& d, const std::string& n) {
      b.Roll({"R" + std::string(rid) + suffix, id, n, gender, birth, d, village, "hukou", "2021-10-01"});
    };
    switch (i % 7) {
      case 0: hukou(); roll("", district, name); break;                         // registered, no flag
      case 1: hukou(); break;                                                   // MISSING_ELIGIBLE
      case 2: roll("", district, name); break;                                  // WRONG_NOT_FOUND
      case 3: hukou(); roll("a", district, name); roll("b", township((i + 1) % 3) + "01", name); break;  // DUPLICATE
      case 4:                                                                   // MISSING_MIGRANT
        b.Migrant({"M" + std::string(rid), id, name, gender, birth, "341221104201", village, "", "2023-05-01", ""});
        break;
      case 5: hukou(); roll("", t + (i % 2 ? "02" : "01"), name); break;     // WRONG_DISTRICT
      case 6: hukou(); roll("", district, "王五"); break;                      // WRONG_DETAILS
    }
  }
  return b.Build();
}

using FlagRow = std::tuple<std::string, std::string, std::string, std::vector<std::string>, std::string, std::string>;

std::vector<FlagRow> Rows(const Dataset& data, const RulesOutput& out) {
  std::vector<FlagRow> rows;
  for (const Flag& f : out.flags) {
    rows.emplace_back(std::string(FlagCodeName(f.code)), std::string(data.record_id(f.subject)), f.township,
                      f.townships, f.village, f.flag_id);
  }
  return rows;
}

TEST(ApplyRules, SameFlagsAndStatisticsOnOneThreadOrMany) {
  const Dataset data = County(7000);
  const Resolution res = ResolveById(data);
  const RulesOutput one = RulesOn(1, data, res);
  const RulesOutput four = RulesOn(4, data, res);
  ASSERT_GT(one.flags.size(), 5000u);
  EXPECT_EQ(Rows(data, one), Rows(data, four));
  ASSERT_EQ(one.stats.size(), four.stats.size());
  for (size_t i = 0; i < one.stats.size(); ++i) {
    const RegionStats& a = one.stats[i];
    const RegionStats& b = four.stats[i];
    EXPECT_EQ(std::tie(a.region_code, a.level, a.eligible_hukou, a.registered_hukou, a.eligible_migrant,
                       a.registered_migrant, a.roll_records, a.flags),
              std::tie(b.region_code, b.level, b.eligible_hukou, b.registered_hukou, b.eligible_migrant,
                       b.registered_migrant, b.roll_records, b.flags))
        << a.region_code;
  }
  EXPECT_EQ(one.persons, four.persons);
  EXPECT_EQ(one.eligible_persons, four.eligible_persons);
  EXPECT_EQ(one.roll_in_scope, four.roll_in_scope);
  EXPECT_EQ(one.increase_other + one.increase_new_adult, four.increase_other + four.increase_new_adult);
}

TEST(ApplyRules, FlagsSortedByCategoryTownshipCodeRecordId) {
  const Dataset data = County(700);
  const RulesOutput out = RulesOn(2, data, ResolveById(data));
  auto rank = [](FlagCode c) { return FlagCategory(c) == "wrong" ? 0 : FlagCategory(c) == "duplicate" ? 1 : 2; };
  for (size_t i = 1; i < out.flags.size(); ++i) {
    const Flag& a = out.flags[i - 1];
    const Flag& b = out.flags[i];
    EXPECT_LT(std::make_tuple(rank(a.code), a.township, static_cast<int>(a.code), data.record_id(a.subject)),
              std::make_tuple(rank(b.code), b.township, static_cast<int>(b.code), data.record_id(b.subject)))
        << i;
  }
}

TEST(ApplyRules, CountsEveryRegionLevel) {
  // 700 persons: 100 of each kind, townships and villages alternating.
  const Dataset data = County(700);
  const RulesOutput out = RulesOn(2, data, ResolveById(data));
  ASSERT_EQ(out.stats.size(), 1u + 3u + 6u);  // scope, 3 townships, 6 villages
  const RegionStats& scope = out.stats[0];
  EXPECT_EQ(scope.level, "scope");
  EXPECT_EQ(scope.roll_records, 100u * 5 + 100u);  // kinds 0, 2, 3 (twice), 5, 6
  EXPECT_EQ(scope.eligible_migrant, 100u);
  EXPECT_EQ(scope.registered_migrant, 0u);
  EXPECT_EQ(scope.flags[static_cast<int>(FlagCode::kMissingEligible)], 100u);
  EXPECT_EQ(scope.flags[static_cast<int>(FlagCode::kDuplicate)], 100u);
  uint64_t township_rolls = 0, village_rolls = 0, township_missing = 0;
  for (const RegionStats& s : out.stats) {
    if (s.level == "township") {
      township_rolls += s.roll_records;
      township_missing += s.flags[static_cast<int>(FlagCode::kMissingMigrant)];
    }
    if (s.level == "village") village_rolls += s.roll_records;
  }
  EXPECT_EQ(township_rolls, scope.roll_records);
  EXPECT_EQ(village_rolls, scope.roll_records);
  EXPECT_EQ(township_missing, 100u);
}

TEST(ApplyRules, EqualRecordIdsOfTwoFeedsOrderByFeed) {
  // Two persons living in one village without hukou here, one known to the
  // migrant feed and one to the social feed, under the same record id.
  DatasetBuilder b;
  b.Add(Feed::kDistricts, {"32048110101", "第1选区", "320481101", "area", "320481101201"});
  b.Social({"K1", Id("32048119800512101"), "张伟", "男", "1980-05-12", "320481101201", "某厂", "active", "2026-10"});
  b.Migrant({"K1", Id("32048119900909114"), "李娜", "女", "1990-09-09", "341221104201", "320481101201", "",
             "2023-05-01", ""});
  const Dataset data = b.Build();
  const Resolution res = ResolveById(data);
  for (int threads : {1, 2}) {
    const RulesOutput out = RulesOn(threads, data, res);
    ASSERT_EQ(out.flags.size(), 2u);
    EXPECT_EQ(out.flags[0].code, FlagCode::kMissingMigrant);
    EXPECT_EQ(out.flags[0].subject.feed, Feed::kMigrant);
    EXPECT_EQ(out.flags[1].subject.feed, Feed::kSocial);
    EXPECT_NE(out.flags[0].flag_id, out.flags[1].flag_id);
  }
}

}  // namespace
}  // namespace rollmatch
