#include "engine/normalize/codes.h"

#include <initializer_list>
#include <string>

namespace rollmatch {
namespace {

// Strips ASCII whitespace, U+3000 (ideographic space), U+00A0 (no-break
// space) and U+FEFF (BOM) from both ends.
std::string_view Trim(std::string_view s) {
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    const unsigned char c = static_cast<unsigned char>(s.front());
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      s.remove_prefix(1);
      changed = true;
    } else if (s.starts_with("\xE3\x80\x80") || s.starts_with("\xEF\xBB\xBF")) {
      s.remove_prefix(3);
      changed = true;
    } else if (s.starts_with("\xC2\xA0")) {
      s.remove_prefix(2);
      changed = true;
    }
  }
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    const unsigned char c = static_cast<unsigned char>(s.back());
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      s.remove_suffix(1);
      changed = true;
    } else if (s.ends_with("\xE3\x80\x80") || s.ends_with("\xEF\xBB\xBF")) {
      s.remove_suffix(3);
      changed = true;
    } else if (s.ends_with("\xC2\xA0")) {
      s.remove_suffix(2);
      changed = true;
    }
  }
  return s;
}

// The text to match: trimmed; full-width ASCII (U+FF01..U+FF5E, e.g. "Ｍ", "１")
// folded to ASCII; ASCII letters lower-cased; ' ' and '-' inside English words
// read as '_' ("moved out", "Moved-Out" → "moved_out"). Chinese text passes
// through unchanged.
std::string Key(std::string_view text) {
  text = Trim(text);
  std::string key;
  key.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    // U+FF01..U+FF5E is EF BC 81..EF BC BF and EF BD 80..EF BD 9E.
    if (c == 0xEF && i + 2 < text.size()) {
      const unsigned char b1 = static_cast<unsigned char>(text[i + 1]);
      const unsigned char b2 = static_cast<unsigned char>(text[i + 2]);
      if (b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) {
        c = static_cast<unsigned char>(b2 - 0x81 + 0x21);
        i += 2;
      } else if (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E) {
        c = static_cast<unsigned char>(b2 - 0x80 + 0x60);
        i += 2;
      }
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (c == ' ' || c == '-') c = '_';
    key.push_back(static_cast<char>(c));
  }
  return key;
}

bool OneOf(std::string_view key, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (key == w) return true;
  }
  return false;
}

}  // namespace

std::optional<Gender> ParseGender(std::string_view text) {
  const std::string k = Key(text);
  // GB/T 2261.1: 0 未知的性别, 1 男, 2 女, 9 未说明的性别.
  if (OneOf(k, {"", "0", "9", "未知", "未说明", "未知的性别", "未说明的性别", "unknown"})) {
    return Gender::kUnknown;
  }
  if (OneOf(k, {"男", "男性", "1", "m", "male"})) return Gender::kMale;
  if (OneOf(k, {"女", "女性", "2", "f", "female"})) return Gender::kFemale;
  return std::nullopt;
}

std::optional<HukouStatus> ParseHukouStatus(std::string_view text) {
  const std::string k = Key(text);
  if (OneOf(k, {"", "normal", "正常", "在籍", "正常户口"})) return HukouStatus::kNormal;
  if (OneOf(k, {"deceased", "dead", "死亡", "已死亡", "死亡注销"})) return HukouStatus::kDeceased;
  if (OneOf(k, {"moved_out", "movedout", "迁出", "已迁出", "迁出注销"})) return HukouStatus::kMovedOut;
  if (OneOf(k, {"cancelled", "canceled", "其他注销", "注销", "已注销"})) return HukouStatus::kCancelled;
  return std::nullopt;
}

std::optional<SocialStatus> ParseSocialStatus(std::string_view text) {
  const std::string k = Key(text);
  if (OneOf(k, {"", "active", "参保缴费", "正常参保", "正常缴费", "参保", "正常"}))
    return SocialStatus::kActive;
  if (OneOf(k, {"suspended", "暂停", "暂停缴费", "暂停参保", "中断缴费"})) return SocialStatus::kSuspended;
  if (OneOf(k, {"terminated", "终止", "终止参保", "终止缴费"})) return SocialStatus::kTerminated;
  return std::nullopt;
}

std::optional<RightsKind> ParseRightsKind(std::string_view text) {
  const std::string k = Key(text);
  if (OneOf(k, {"deprived", "依法被剥夺政治权利", "剥夺政治权利", "被剥夺政治权利"}))
    return RightsKind::kDeprived;
  if (OneOf(k, {"suspended", "停止行使选举权利", "羁押期间停止行使选举权利", "被羁押期间停止行使选举权利"})) {
    return RightsKind::kSuspended;
  }
  if (OneOf(k, {"incapacitated", "精神病", "精神病患者", "不能行使选举权利",
                "经选举委员会确认不能行使选举权利的精神病患者"})) {
    return RightsKind::kIncapacitated;
  }
  return std::nullopt;
}

std::optional<Basis> ParseBasis(std::string_view text) {
  const std::string k = Key(text);
  if (OneOf(k, {"", "hukou", "户籍地登记", "户籍", "户籍地"})) return Basis::kHukou;
  if (OneOf(k, {"residence", "居住地登记", "居住地", "居住"})) return Basis::kResidence;
  if (OneOf(k, {"unit", "单位", "单位登记", "工作单位"})) return Basis::kUnit;
  return std::nullopt;
}

std::optional<DistrictKind> ParseDistrictKind(std::string_view text) {
  const std::string k = Key(text);
  if (OneOf(k, {"", "area", "地域", "地域选区"})) return DistrictKind::kArea;
  if (OneOf(k, {"unit", "单位", "单位选区"})) return DistrictKind::kUnit;
  return std::nullopt;
}

std::string_view GenderWord(Gender g) {
  switch (g) {
    case Gender::kMale:
      return "男";
    case Gender::kFemale:
      return "女";
    case Gender::kUnknown:
      break;
  }
  return "";
}

std::string_view RightsKindCode(RightsKind k) {
  switch (k) {
    case RightsKind::kDeprived:
      return "deprived";
    case RightsKind::kSuspended:
      return "suspended";
    case RightsKind::kIncapacitated:
      return "incapacitated";
  }
  return "";
}

std::string_view RightsKindWord(RightsKind k) {
  // The words of the feed contract (spec/feeds.md, `rights.kind`).
  switch (k) {
    case RightsKind::kDeprived:
      return "依法被剥夺政治权利";
    case RightsKind::kSuspended:
      return "羁押期间停止行使选举权利";
    case RightsKind::kIncapacitated:
      return "经选举委员会确认不能行使选举权利的精神病患者";
  }
  return "";
}

}  // namespace rollmatch
