#include "engine/normalize/codes.h"

#include <gtest/gtest.h>

namespace rollmatch {
namespace {

TEST(Codes, GenderWords) {
  EXPECT_EQ(ParseGender("男"), Gender::kMale);
  EXPECT_EQ(ParseGender("女"), Gender::kFemale);
  EXPECT_EQ(ParseGender("1"), Gender::kMale);
  EXPECT_EQ(ParseGender("2"), Gender::kFemale);
  EXPECT_EQ(ParseGender("M"), Gender::kMale);
  EXPECT_EQ(ParseGender("F"), Gender::kFemale);
  EXPECT_EQ(ParseGender("m"), Gender::kMale);
  EXPECT_EQ(ParseGender("f"), Gender::kFemale);
  EXPECT_EQ(ParseGender("Male"), Gender::kMale);
  EXPECT_EQ(ParseGender("FEMALE"), Gender::kFemale);
  EXPECT_EQ(ParseGender("男性"), Gender::kMale);
}

TEST(Codes, GenderTrimsAndFoldsFullWidth) {
  EXPECT_EQ(ParseGender("  男 "), Gender::kMale);
  EXPECT_EQ(ParseGender("\u3000女\u3000"), Gender::kFemale);
  EXPECT_EQ(ParseGender("１"), Gender::kMale);
  EXPECT_EQ(ParseGender("Ｆ"), Gender::kFemale);
  EXPECT_EQ(ParseGender("ｍ"), Gender::kMale);
}

TEST(Codes, GenderEmptyAndUnknownCodes) {
  EXPECT_EQ(ParseGender(""), Gender::kUnknown);
  EXPECT_EQ(ParseGender("   "), Gender::kUnknown);
  EXPECT_EQ(ParseGender("0"), Gender::kUnknown);  // GB/T 2261.1 未知的性别
  EXPECT_EQ(ParseGender("9"), Gender::kUnknown);  // GB/T 2261.1 未说明的性别
  EXPECT_EQ(ParseGender("未知"), Gender::kUnknown);
}

TEST(Codes, GenderUnrecognisedIsNullopt) {
  EXPECT_EQ(ParseGender("男女"), std::nullopt);
  EXPECT_EQ(ParseGender("3"), std::nullopt);
  EXPECT_EQ(ParseGender("x"), std::nullopt);
  EXPECT_EQ(ParseGender("妇"), std::nullopt);
}

TEST(Codes, HukouStatus) {
  EXPECT_EQ(ParseHukouStatus(""), HukouStatus::kNormal);
  EXPECT_EQ(ParseHukouStatus("normal"), HukouStatus::kNormal);
  EXPECT_EQ(ParseHukouStatus("正常"), HukouStatus::kNormal);
  EXPECT_EQ(ParseHukouStatus("deceased"), HukouStatus::kDeceased);
  EXPECT_EQ(ParseHukouStatus("死亡"), HukouStatus::kDeceased);
  EXPECT_EQ(ParseHukouStatus("moved_out"), HukouStatus::kMovedOut);
  EXPECT_EQ(ParseHukouStatus("Moved Out"), HukouStatus::kMovedOut);
  EXPECT_EQ(ParseHukouStatus("moved-out"), HukouStatus::kMovedOut);
  EXPECT_EQ(ParseHukouStatus("迁出"), HukouStatus::kMovedOut);
  EXPECT_EQ(ParseHukouStatus("cancelled"), HukouStatus::kCancelled);
  EXPECT_EQ(ParseHukouStatus("CANCELED"), HukouStatus::kCancelled);
  EXPECT_EQ(ParseHukouStatus("其他注销"), HukouStatus::kCancelled);
  EXPECT_EQ(ParseHukouStatus("注销"), HukouStatus::kCancelled);
  EXPECT_EQ(ParseHukouStatus(" 死亡\u3000"), HukouStatus::kDeceased);
  EXPECT_EQ(ParseHukouStatus("迁入"), std::nullopt);
  EXPECT_EQ(ParseHukouStatus("alive"), std::nullopt);
}

TEST(Codes, SocialStatus) {
  EXPECT_EQ(ParseSocialStatus(""), SocialStatus::kActive);
  EXPECT_EQ(ParseSocialStatus("active"), SocialStatus::kActive);
  EXPECT_EQ(ParseSocialStatus("参保缴费"), SocialStatus::kActive);
  EXPECT_EQ(ParseSocialStatus("正常参保"), SocialStatus::kActive);
  EXPECT_EQ(ParseSocialStatus("Suspended"), SocialStatus::kSuspended);
  EXPECT_EQ(ParseSocialStatus("暂停"), SocialStatus::kSuspended);
  EXPECT_EQ(ParseSocialStatus("暂停缴费"), SocialStatus::kSuspended);
  EXPECT_EQ(ParseSocialStatus("terminated"), SocialStatus::kTerminated);
  EXPECT_EQ(ParseSocialStatus("终止"), SocialStatus::kTerminated);
  EXPECT_EQ(ParseSocialStatus("终止参保"), SocialStatus::kTerminated);
  EXPECT_EQ(ParseSocialStatus("退休"), std::nullopt);
}

TEST(Codes, RightsKindHasNoDefault) {
  EXPECT_EQ(ParseRightsKind(""), std::nullopt);
  EXPECT_EQ(ParseRightsKind("deprived"), RightsKind::kDeprived);
  EXPECT_EQ(ParseRightsKind("依法被剥夺政治权利"), RightsKind::kDeprived);
  EXPECT_EQ(ParseRightsKind("剥夺政治权利"), RightsKind::kDeprived);
  EXPECT_EQ(ParseRightsKind("suspended"), RightsKind::kSuspended);
  EXPECT_EQ(ParseRightsKind("停止行使选举权利"), RightsKind::kSuspended);
  EXPECT_EQ(ParseRightsKind("羁押期间停止行使选举权利"), RightsKind::kSuspended);
  EXPECT_EQ(ParseRightsKind("incapacitated"), RightsKind::kIncapacitated);
  EXPECT_EQ(ParseRightsKind("精神病"), RightsKind::kIncapacitated);
  EXPECT_EQ(ParseRightsKind("不能行使选举权利"), RightsKind::kIncapacitated);
  EXPECT_EQ(ParseRightsKind("经选举委员会确认不能行使选举权利的精神病患者"), RightsKind::kIncapacitated);
  EXPECT_EQ(ParseRightsKind("Deprived "), RightsKind::kDeprived);
  EXPECT_EQ(ParseRightsKind("缓刑"), std::nullopt);
}

TEST(Codes, Basis) {
  EXPECT_EQ(ParseBasis(""), Basis::kHukou);
  EXPECT_EQ(ParseBasis("hukou"), Basis::kHukou);
  EXPECT_EQ(ParseBasis("户籍地登记"), Basis::kHukou);
  EXPECT_EQ(ParseBasis("户籍"), Basis::kHukou);
  EXPECT_EQ(ParseBasis("Residence"), Basis::kResidence);
  EXPECT_EQ(ParseBasis("居住地登记"), Basis::kResidence);
  EXPECT_EQ(ParseBasis("居住地"), Basis::kResidence);
  EXPECT_EQ(ParseBasis("unit"), Basis::kUnit);
  EXPECT_EQ(ParseBasis("单位"), Basis::kUnit);
  EXPECT_EQ(ParseBasis("其他"), std::nullopt);
}

TEST(Codes, DistrictKind) {
  EXPECT_EQ(ParseDistrictKind(""), DistrictKind::kArea);
  EXPECT_EQ(ParseDistrictKind("area"), DistrictKind::kArea);
  EXPECT_EQ(ParseDistrictKind("地域"), DistrictKind::kArea);
  EXPECT_EQ(ParseDistrictKind("地域选区"), DistrictKind::kArea);
  EXPECT_EQ(ParseDistrictKind("UNIT"), DistrictKind::kUnit);
  EXPECT_EQ(ParseDistrictKind("单位"), DistrictKind::kUnit);
  EXPECT_EQ(ParseDistrictKind("单位选区"), DistrictKind::kUnit);
  EXPECT_EQ(ParseDistrictKind("村"), std::nullopt);
}

TEST(Codes, WordsForReports) {
  EXPECT_EQ(GenderWord(Gender::kMale), "男");
  EXPECT_EQ(GenderWord(Gender::kFemale), "女");
  EXPECT_EQ(GenderWord(Gender::kUnknown), "");
  for (RightsKind k : {RightsKind::kDeprived, RightsKind::kSuspended, RightsKind::kIncapacitated}) {
    EXPECT_EQ(ParseRightsKind(RightsKindCode(k)), k);
    EXPECT_EQ(ParseRightsKind(RightsKindWord(k)), k);
  }
  EXPECT_EQ(RightsKindWord(RightsKind::kDeprived), "依法被剥夺政治权利");
}

}  // namespace
}  // namespace rollmatch
