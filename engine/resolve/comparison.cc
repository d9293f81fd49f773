#include "engine/resolve/comparison.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace rollmatch {

uint8_t CompareId(uint64_t a, bool a_from15, uint64_t b, bool b_from15) {
  if (a == 0 || b == 0) return id_level::kMissing;
  if (IdText(a) == IdText(b)) return a_from15 != b_from15 ? id_level::kExactAfter15 : id_level::kExact;
  // Two valid numbers never differ by one typo: MOD 11-2 catches every
  // single substitution and adjacent transposition.
  if ((a & packed_id::kValid) && (b & packed_id::kValid)) {
    return IdFirst14(a) == IdFirst14(b) ? id_level::kSameRegionAndBirth : id_level::kDifferent;
  }
  char x[18], y[18];
  UnpackId(a, x);
  UnpackId(b, y);
  int diff = 0, first = -1, second = -1;
  for (int i = 0; i < 18; ++i) {
    if (x[i] != y[i]) {
      if (diff == 0) first = i;
      else if (diff == 1) second = i;
      ++diff;
    }
  }
  if (diff == 1) return id_level::kOneSubstitution;
  if (diff == 2 && second == first + 1 && x[first] == y[second] && x[second] == y[first])
    return id_level::kTransposition;
  return id_level::kInvalidOneSide;
}

uint8_t CompareId(const CitizenId& a, const CitizenId& b) {
  return CompareId(PackId(a), a.status == IdStatus::kValidFrom15, PackId(b), b.status == IdStatus::kValidFrom15);
}

namespace {

// The eight digits of a known date, as the date prints them (YYYYMMDD).
uint32_t DateDigits(Date d) { return static_cast<uint32_t>(d.year() * 10000 + d.month() * 100 + d.day()); }

bool OneDigitOff(Date a, Date b) {
  if (a.year() < 0 || a.year() > 9999 || b.year() < 0 || b.year() > 9999) {
    const std::string x = a.ToString(), y = b.ToString();
    int diff = 0;
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) diff += x[i] != y[i];
    return diff == 1;
  }
  uint32_t x = DateDigits(a), y = DateDigits(b);
  int diff = 0;
  for (int i = 0; i < 8; ++i, x /= 10, y /= 10) diff += x % 10 != y % 10;
  return diff == 1;
}

}  // namespace

uint8_t CompareBirth(Date a, Date b) {
  if (!a.known() || !b.known()) return birth_level::kMissing;
  if (a == b) return birth_level::kExact;
  if (OneDigitOff(a, b)) return birth_level::kOneDigit;
  if (a.year() == b.year() && a.month() == b.day() && a.day() == b.month()) return birth_level::kDayMonthSwapped;
  if (std::abs(a.days() - b.days()) <= 31) return birth_level::kWithin31Days;
  return birth_level::kDifferent;
}

uint8_t CompareRegion(const ResolveRecords& rr, const ResolveRecord& a, const ResolveRecord& b) {
  uint8_t best = region_level::kMissing;
  bool any_a = false, any_b = false;
  if (a.regions == 0 || b.regions == 0) return region_level::kMissing;
  const RegionSet& sb = rr.region_sets[b.regions];
  for (uint32_t x : rr.region_sets[a.regions]) {
    if (x == 0) continue;
    any_a = true;
    const RegionInfo& rx = rr.regions[x];
    for (uint32_t y : sb) {
      if (y == 0) continue;
      any_b = true;
      const RegionInfo& ry = rr.regions[y];
      uint8_t level = region_level::kDifferent;
      if (rx.village && x == y) level = region_level::kSameVillage;
      else if (rx.township != 0 && rx.township == ry.township) level = region_level::kSameTownship;
      else if (rx.county == ry.county) level = region_level::kSameCounty;
      best = std::min(best, level);
    }
  }
  if (!any_a || !any_b) return region_level::kMissing;
  return best;
}

uint8_t CompareName(const ResolveRecords& rr, const ResolveRecord& a, const ResolveRecord& b, const NameKeys& keys) {
  if (a.name == b.name) return name_level::kExact;
  const NameInfo& na = rr.names[a.name];
  const NameInfo& nb = rr.names[b.name];
  if (na.nodots == nb.nodots || na.folded == nb.folded) return name_level::kVariant;
  if (a.former != 0 || b.former != 0) {
    const std::span<const uint32_t> fa = rr.former_names(a), fb = rr.former_names(b);
    for (uint32_t f : fa) {
      const uint64_t ff = rr.names[f].folded;
      if (ff == nb.folded) return name_level::kFormerName;
      for (uint32_t g : fb) if (ff == rr.names[g].folded) return name_level::kFormerName;
    }
    for (uint32_t g : fb) {
      if (rr.names[g].folded == na.folded) return name_level::kFormerName;
    }
  }
  if (na.pinyin != 0 && na.pinyin == nb.pinyin) return name_level::kSamePinyin;
  const std::u32string_view x = rr.chars(na);
  const std::u32string_view y = rr.chars(nb);
  if (x.size() == y.size() && x.size() >= 2) {
    // Given-name characters swapped (surname in place).
    const size_t s = std::min<size_t>(na.surname_len, x.size() - 1);
    if (x.size() - s >= 2 && x.substr(0, s) == y.substr(0, s)) {
      const std::u32string_view gx = x.substr(s), gy = y.substr(s);
      if (gx != gy && std::is_permutation(gx.begin(), gx.end(), gy.begin(), gy.end())) return name_level::kSwapped;
    }
    int diff = 0;
    size_t at = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i] != y[i]) {
        ++diff;
        at = i;
      }
    }
    if (diff == 1) {
      if (keys.SimilarShape(x[at], y[at]) || keys.SameSound(x[at], y[at])) return name_level::kSimilarShape;
      return name_level::kOneCharDiffers;
    }
  }
  return name_level::kDifferent;
}

ComparisonVector Compare(const ResolveRecords& rr, const ResolveRecord& a, const ResolveRecord& b,
                         const NameKeys& keys) {
  ComparisonVector v{};
  v[static_cast<int>(Comparison::kId)] = CompareId(a.id, a.from15(), b.id, b.from15());
  v[static_cast<int>(Comparison::kName)] = CompareName(rr, a, b, keys);
  v[static_cast<int>(Comparison::kBirth)] = CompareBirth(a.birth, b.birth);
  uint8_t g = gender_level::kMissing;
  if (a.gender != Gender::kUnknown && b.gender != Gender::kUnknown)
    g = a.gender == b.gender ? gender_level::kSame : gender_level::kDifferent;
  v[static_cast<int>(Comparison::kGender)] = g;
  v[static_cast<int>(Comparison::kRegion)] = CompareRegion(rr, a, b);
  uint8_t h = household_level::kMissing;
  if (a.household != 0 && b.household != 0)
    h = a.household == b.household ? household_level::kSame : household_level::kDifferent;
  v[static_cast<int>(Comparison::kHousehold)] = h;
  v[static_cast<int>(Comparison::kIdConsistency)] =
      a.id_consistent && b.id_consistent ? consistency_level::kBothConsistent : consistency_level::kOneInconsistent;
  return v;
}

std::string ExplainLink(const ComparisonVector& v, std::string_view name_a, std::string_view name_b, double p,
                        bool linked) {
  std::string s;
  auto add = [&](std::string_view part) {
    if (part.empty()) return;
    if (!s.empty()) s += "；";
    s += part;
  };
  for (int c = 0; c < kNumComparisons; ++c) {
    const Comparison cmp = static_cast<Comparison>(c);
    if (cmp == Comparison::kGender && v[c] == gender_level::kSame) continue;
    if (cmp == Comparison::kRegion && v[c] == region_level::kMissing) continue;
    std::string part(LevelWords(cmp, v[c]));
    if (cmp == Comparison::kName && v[c] != name_level::kExact) {
      part += "（";
      part += name_a;
      part += "/";
      part += name_b;
      part += "）";
    }
    add(part);
  }
  char conf[32];
  std::snprintf(conf, sizeof conf, "%.3f", p);
  s += linked ? std::string(" → 同一人，置信度 ") + conf : std::string(" → 可能为同一人，请核实（置信度 ") + conf + "）";
  return s;
}

std::string_view ComparisonName(Comparison c) {
  switch (c) {
    case Comparison::kId: return "id";
    case Comparison::kName: return "name";
    case Comparison::kBirth: return "birth_date";
    case Comparison::kGender: return "gender";
    case Comparison::kRegion: return "region";
    case Comparison::kHousehold: return "household";
    case Comparison::kIdConsistency: return "id_consistency";
  }
  return "?";
}

std::string_view LevelWords(Comparison c, uint8_t level) {
  switch (c) {
    case Comparison::kId: {
      static constexpr std::string_view w[] = {"身份证号一致", "身份证号一致（15位转18位）", "身份证号一位不同",
                                               "身份证号相邻两位颠倒", "身份证号不同（一方校验位错误）",
                                               "身份证号仅顺序码不同", "身份证号不同", "一方无有效身份证号"};
      return w[level];
    }
    case Comparison::kName: {
      static constexpr std::string_view w[] = {"姓名一致", "姓名一致（异体字/间隔号）", "曾用名一致", "姓名同音",
                                               "名字两字颠倒", "姓名一字形近或同音", "姓名一字不同", "姓名不同"};
      return w[level];
    }
    case Comparison::kBirth: {
      static constexpr std::string_view w[] = {"出生日期一致", "出生日期一位数字不同", "出生日期月日颠倒",
                                               "出生日期相差一月内", "出生日期不同", "出生日期缺失"};
      return w[level];
    }
    case Comparison::kGender: {
      static constexpr std::string_view w[] = {"性别一致", "性别不同", "性别缺失"};
      return w[level];
    }
    case Comparison::kRegion: {
      static constexpr std::string_view w[] = {"同一村（社区）", "同一乡镇", "同一县（市、区）", "地区不同",
                                               "地区缺失"};
      return w[level];
    }
    case Comparison::kHousehold: {
      static constexpr std::string_view w[] = {"同一户", "不同户", ""};
      return w[level];
    }
    case Comparison::kIdConsistency: {
      static constexpr std::string_view w[] = {"", "身份证号与出生日期或性别不符"};
      return w[level];
    }
  }
  return "";
}

}  // namespace rollmatch
