#pragma once
// The coded values of the feeds, parsed from the words clerks type
// (English codes of the contract and their Chinese equivalents).

#include <optional>
#include <string_view>

namespace rollmatch {

enum class Gender : uint8_t { kUnknown, kMale, kFemale };
enum class HukouStatus : uint8_t { kNormal, kDeceased, kMovedOut, kCancelled };
enum class SocialStatus : uint8_t { kActive, kSuspended, kTerminated };
enum class RightsKind : uint8_t { kDeprived, kSuspended, kIncapacitated };
enum class Basis : uint8_t { kHukou, kResidence, kUnit };
enum class DistrictKind : uint8_t { kArea, kUnit };

// Each parser trims spaces; empty text gives the contract's default
// (Gender::kUnknown, kNormal, kActive, kHukou, kArea). Unrecognised text gives
// std::nullopt (the caller keeps the row and decides). RightsKind has no default.
std::optional<Gender> ParseGender(std::string_view text);             // 男/女, 1/2, M/F (m/f)
std::optional<HukouStatus> ParseHukouStatus(std::string_view text);   // normal/正常, deceased/死亡, moved_out/迁出, cancelled/其他注销/注销
std::optional<SocialStatus> ParseSocialStatus(std::string_view text); // active/参保缴费/正常参保, suspended/暂停/暂停缴费, terminated/终止/终止参保
std::optional<RightsKind> ParseRightsKind(std::string_view text);     // deprived/依法被剥夺政治权利/剥夺政治权利, suspended/停止行使选举权利, incapacitated/精神病/不能行使选举权利
std::optional<Basis> ParseBasis(std::string_view text);               // hukou/户籍地登记/户籍, residence/居住地登记/居住地, unit/单位
std::optional<DistrictKind> ParseDistrictKind(std::string_view text); // area/地域/地域选区, unit/单位/单位选区

// Chinese words for reports: 男/女/"" ; 依法被剥夺政治权利 ...
std::string_view GenderWord(Gender g);
std::string_view RightsKindCode(RightsKind k);  // "deprived", "suspended", "incapacitated"
std::string_view RightsKindWord(RightsKind k);  // Chinese

}  // namespace rollmatch
