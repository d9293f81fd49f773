#include "engine/resolve/resolve_records.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/resolve/comparison.h"
#include "tests/engine/resolve/test_dataset.h"

namespace rollmatch {
namespace {

using testing::BadCheck;
using testing::DatasetBuilder;
using testing::Id;
using testing::Keys;

uint64_t P(const std::string& raw) { return PackId(NormalizeCitizenId(raw)); }

std::string Unpacked(uint64_t packed) {
  char out[18];
  UnpackId(packed, out);
  return std::string(out, 18);
}

TEST(PackedId, RoundTripsItsText) {
  for (const std::string& id : {Id("32048119800512101"), Id("11010519491231002"), BadCheck("32048119800512101"),
                                std::string("00000000000000000X"), Id("99999999999999999")}) {
    const uint64_t p = P(id);
    ASSERT_NE(p, 0u) << id;
    EXPECT_EQ(Unpacked(p), id);
    EXPECT_EQ((p & packed_id::kValid) != 0, HasValidCheckCharacter(id)) << id;
    EXPECT_EQ(IdFirst14(p), std::stoull(id.substr(0, 14))) << id;
  }
  // A 15-digit number packs as the 18 characters it converts to.
  EXPECT_EQ(IdText(P("320481800512101")), IdText(P(Id("32048119800512101"))));
  EXPECT_NE(P("320481800512101") & packed_id::kValid, 0u);
  // Not well formed: nothing to compare.
  EXPECT_EQ(P(""), 0u);
  EXPECT_EQ(P("3204811980"), 0u);
  EXPECT_EQ(P("32048119800512A01X"), 0u);
}

TEST(PackedId, OrdersLikeTheText) {
  std::vector<std::string> ids = {Id("32048119800512101"), Id("32048119800512103"), BadCheck("32048119800512101"),
                                  Id("11010519491231002"), "32048119800512101X", "320481198005121010"};
  std::vector<uint64_t> packed;
  for (const std::string& id : ids) packed.push_back(IdText(P(id)));
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t j = 0; j < ids.size(); ++j) {
      EXPECT_EQ(ids[i] < ids[j], packed[i] < packed[j]) << ids[i] << " " << ids[j];
      EXPECT_EQ(ids[i] == ids[j], packed[i] == packed[j]) << ids[i] << " " << ids[j];
    }
  }
}

TEST(ValidIdsMayMatch, OnlyTheSameRegionAndBirthAndNotTwoHukouIds) {
  const uint64_t a = P(Id("32048119800512101")), same14 = P(Id("32048119800512133"));
  const uint64_t other = P(Id("32048119751230201")), bad = P(BadCheck("32048119751230201"));
  EXPECT_TRUE(ValidIdsMayMatch(a, a));
  EXPECT_TRUE(ValidIdsMayMatch(a, same14));  // a registration with a wrong sequence number
  EXPECT_FALSE(ValidIdsMayMatch(a | packed_id::kInHukou, same14 | packed_id::kInHukou));  // twins
  EXPECT_FALSE(ValidIdsMayMatch(a, other));
  EXPECT_TRUE(ValidIdsMayMatch(a, bad));  // a typo may hide anything
  EXPECT_TRUE(ValidIdsMayMatch(a, 0));
}

TEST(ResolveRecords, SharedValuesAreHeldOnce) {
  DatasetBuilder b;
  const std::string id = Id("32048119800512101");
  // hukou: record_id, id, name, former names, gender, birth, ethnicity, household, region
  b.Hukou({"H1", id, "陈思远", "陈小二;陈二", "男", "1980-05-12", "汉族", "HH1", "320481101201"});
  b.Hukou({"H2", Id("32048119820101202"), "李梅", "", "女", "1982-01-01", "汉族", "HH1", "320481101201"});
  b.Hukou({"H3", Id("32048119900101303"), "王伟", "", "男", "1990-01-01", "汉族", "HH2", "320481101203"});
  // migrant: record_id, id, name, gender, birth, hukou region, residence region
  b.Migrant({"M1", "", "陈思远", "男", "1980-05-12", "341221104201", "320481101201"});
  // roll: record_id, id, name, gender, birth, district, region, basis, registered
  b.Roll({"R1", id, "陈小二", "男", "1980-05-12", "D1", "", "hukou", "2021-10-01"});
  // districts: code, name, township, kind, regions
  b.Add(Feed::kDistricts, {"D1", "一选区", "320481101", "area", "320481101201"});
  const Dataset data = b.Build();
  const ResolveRecords rr = BuildResolveRecords(data, Keys());
  ASSERT_EQ(rr.size(), 5u);
  const ResolveRecord& h1 = rr.records[rr.IndexOf({Feed::kHukou, 0})];
  const ResolveRecord& h2 = rr.records[rr.IndexOf({Feed::kHukou, 1})];
  const ResolveRecord& h3 = rr.records[rr.IndexOf({Feed::kHukou, 2})];
  const ResolveRecord& m1 = rr.records[rr.IndexOf({Feed::kMigrant, 0})];
  const ResolveRecord& r1 = rr.records[rr.IndexOf({Feed::kRoll, 0})];
  EXPECT_EQ(rr.ref(rr.IndexOf({Feed::kRoll, 0})), (RecordRef{Feed::kRoll, 0}));

  // One name for the two records that carry it; former names out of line.
  EXPECT_EQ(h1.name, m1.name);
  ASSERT_EQ(rr.former_names(h1).size(), 2u);
  EXPECT_EQ(rr.former_names(h1)[0], r1.name);  // 陈小二 is a record's name and a former name
  EXPECT_TRUE(rr.former_names(h2).empty());
  EXPECT_EQ(CompareName(rr, r1, h1, Keys()), name_level::kFormerName);

  // Regions: one id per code; the region comparison reads their prefixes.
  EXPECT_EQ(rr.regions_of(h1)[0], rr.regions_of(h2)[0]);
  EXPECT_EQ(h1.regions, h2.regions);  // the same set of regions
  EXPECT_EQ(rr.regions_of(m1)[0], rr.regions_of(h1)[0]);  // residence first, then the hukou region
  EXPECT_NE(rr.regions_of(m1)[1], 0u);
  EXPECT_EQ(rr.regions_of(r1)[0], 0u);  // no region typed; the district's township follows
  EXPECT_EQ(rr.prefixes[rr.regions[rr.regions_of(r1)[1]].township], "320481101");
  EXPECT_EQ(rr.prefixes[rr.township(h3)], "320481101");
  EXPECT_EQ(CompareRegion(rr, h1, h2), region_level::kSameVillage);
  EXPECT_EQ(CompareRegion(rr, h1, h3), region_level::kSameTownship);
  EXPECT_EQ(CompareRegion(rr, h1, r1), region_level::kSameTownship);

  // 户号 and IDs.
  EXPECT_EQ(h1.household, h2.household);
  EXPECT_NE(h1.household, h3.household);
  EXPECT_EQ(m1.household, 0u);
  EXPECT_TRUE(h1.anchored());
  EXPECT_TRUE(r1.anchored());  // a hukou record carries its valid ID
  EXPECT_FALSE(m1.well_formed());
  EXPECT_EQ(IdText(r1.id), IdText(h1.id));
}

}  // namespace
}  // namespace rollmatch
