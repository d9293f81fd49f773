#include "engine/resolve/comparison.h"

#include <gtest/gtest.h>

#include "engine/resolve/resolve_records.h"
#include "tests/engine/resolve/test_dataset.h"

namespace rollmatch {
namespace {

using testing::BadCheck;
using testing::DatasetBuilder;
using testing::Id;
using testing::Keys;

CitizenId C(const std::string& raw) { return NormalizeCitizenId(raw); }

TEST(CompareId, Levels) {
  const std::string a = Id("32048119800512101");
  EXPECT_EQ(CompareId(C(a), C(a)), id_level::kExact);
  // The 15-digit form of a 19xx number equals its 18-digit form.
  EXPECT_EQ(CompareId(C("320481800512101"), C(a)), id_level::kExactAfter15);
  // One digit mistyped (the check character no longer fits).
  std::string sub = a;
  sub[10] = sub[10] == '0' ? '1' : '0';
  EXPECT_EQ(C(sub).status, IdStatus::kBadCheck);
  EXPECT_EQ(CompareId(C(sub), C(a)), id_level::kOneSubstitution);
  // Two adjacent digits swapped.
  std::string swap = a;
  std::swap(swap[12], swap[13]);
  ASSERT_NE(swap, a);
  EXPECT_EQ(CompareId(C(swap), C(a)), id_level::kTransposition);
  // A bad check character and more than one typo away.
  EXPECT_EQ(CompareId(C(BadCheck("11010119900307891")), C(a)), id_level::kInvalidOneSide);
  // Two valid numbers that differ only in the sequence: region and birth date agree.
  EXPECT_EQ(CompareId(C(Id("32048119800512103")), C(a)), id_level::kSameRegionAndBirth);
  // Two valid numbers of different people.
  EXPECT_EQ(CompareId(C(Id("32048119751230201")), C(a)), id_level::kDifferent);
  EXPECT_EQ(CompareId(C(""), C(a)), id_level::kMissing);
  EXPECT_EQ(CompareId(C("3204811980"), C(a)), id_level::kMissing);
}

TEST(CompareBirth, Levels) {
  const Date d = Date::Parse("1990-09-09");
  EXPECT_EQ(CompareBirth(d, d), birth_level::kExact);
  EXPECT_EQ(CompareBirth(Date::Parse("1990-09-08"), d), birth_level::kOneDigit);
  EXPECT_EQ(CompareBirth(Date::Parse("1980-09-09"), d), birth_level::kOneDigit);
  EXPECT_EQ(CompareBirth(Date::Parse("1990-03-04"), Date::Parse("1990-04-03")), birth_level::kDayMonthSwapped);
  EXPECT_EQ(CompareBirth(Date::Parse("1990-08-20"), d), birth_level::kWithin31Days);
  EXPECT_EQ(CompareBirth(Date::Parse("1972-01-30"), d), birth_level::kDifferent);
  EXPECT_EQ(CompareBirth(Date(), d), birth_level::kMissing);
}

class CompareRecords : public ::testing::Test {
 protected:
  // Each hukou row: name, former names, region.
  void Build(std::initializer_list<std::array<std::string, 3>> people) {
    DatasetBuilder b;
    int i = 0;
    for (const auto& p : people) {
      b.Hukou({"H" + std::to_string(i++), "", p[0], p[1], "男", "1990-01-01", "汉族", "", p[2]});
    }
    data_ = b.Build();
    rr_ = BuildResolveRecords(data_, Keys());
  }
  uint8_t Name(int a, int b) { return CompareName(rr_, rr_.records[a], rr_.records[b], Keys()); }
  uint8_t Region(int a, int b) { return CompareRegion(rr_, rr_.records[a], rr_.records[b]); }

  Dataset data_;
  ResolveRecords rr_;
};

TEST_F(CompareRecords, NameLevels) {
  Build({{"王伟", "", "320481101201"},          // 0
         {"王 伟", "", "320481101201"},         // 1 exact after normalization
         {"王玮", "", "320481101201"},          // 2 same sound
         {"李喆", "", "320481101201"},          // 3 variant of 4 (喆/哲)
         {"李哲", "", "320481101201"},          // 4
         {"陈思远", "陈小二", "320481101201"},  // 5 former name 陈小二
         {"陈小二", "", "320481101201"},        // 6
         {"张小明", "", "320481101201"},        // 7
         {"张明小", "", "320481101201"},        // 8 given name swapped
         {"刘德华", "", "320481101201"},        // 9
         {"刘德毕", "", "320481101201"},        // 10 one character different (not similar)
         {"赵敏", "", "320481101201"},          // 11 different
         {"阿卜杜拉·艾买提", "", "320481101201"},  // 12
         {"阿卜杜拉艾买提", "", "320481101201"},   // 13 without the dot
         {"吕伟", "", "320481101201"},          // 14
         {"卢伟", "", "320481101201"}});        // 15 吕 lv ≠ 卢 lu
  EXPECT_EQ(Name(0, 1), name_level::kExact);
  EXPECT_EQ(Name(0, 2), name_level::kSamePinyin);
  EXPECT_EQ(Name(3, 4), name_level::kVariant);
  EXPECT_EQ(Name(5, 6), name_level::kFormerName);
  EXPECT_EQ(Name(6, 5), name_level::kFormerName);
  EXPECT_EQ(Name(7, 8), name_level::kSwapped);
  EXPECT_EQ(Name(9, 10), name_level::kOneCharDiffers);
  EXPECT_EQ(Name(0, 11), name_level::kDifferent);
  EXPECT_EQ(Name(12, 13), name_level::kVariant);
  EXPECT_NE(Name(14, 15), name_level::kSamePinyin);
}

TEST_F(CompareRecords, SimilarShapeCharacterIsCloserThanAnyOtherCharacter) {
  // 末/未 are listed as similar in shape (形近字); 王末 vs 王未.
  Build({{"王末", "", "320481101201"}, {"王未", "", "320481101201"}, {"王田", "", "320481101201"}});
  ASSERT_TRUE(Keys().SimilarShape(U'末', U'未'));
  EXPECT_EQ(Name(0, 1), name_level::kSimilarShape);
  EXPECT_EQ(Name(0, 2), name_level::kOneCharDiffers);
}

TEST_F(CompareRecords, RegionLevels) {
  Build({{"甲", "", "320481101201"},
         {"乙", "", "320481101201"},
         {"丙", "", "320481101203"},
         {"丁", "", "320481102201"},
         {"戊", "", "341221104201"},
         {"己", "", ""}});
  EXPECT_EQ(Region(0, 1), region_level::kSameVillage);
  EXPECT_EQ(Region(0, 2), region_level::kSameTownship);
  EXPECT_EQ(Region(0, 3), region_level::kSameCounty);
  EXPECT_EQ(Region(0, 4), region_level::kDifferent);
  EXPECT_EQ(Region(0, 5), region_level::kMissing);
}

TEST(ExplainLink, SaysWhatAgreedInChinese) {
  ComparisonVector v{};
  v[static_cast<int>(Comparison::kId)] = id_level::kOneSubstitution;
  v[static_cast<int>(Comparison::kName)] = name_level::kSamePinyin;
  v[static_cast<int>(Comparison::kBirth)] = birth_level::kExact;
  v[static_cast<int>(Comparison::kGender)] = gender_level::kSame;
  v[static_cast<int>(Comparison::kRegion)] = region_level::kSameVillage;
  v[static_cast<int>(Comparison::kHousehold)] = household_level::kMissing;
  const std::string s = ExplainLink(v, "王伟", "王玮", 0.998, true);
  EXPECT_EQ(s, "身份证号一位不同；姓名同音（王伟/王玮）；出生日期一致；同一村（社区） → 同一人，置信度 0.998");
}

}  // namespace
}  // namespace rollmatch
