#include "engine/resolve/comparison.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace rollmatch {

uint8_t CompareId(const CitizenId& a, const CitizenId& b) {
  if (!a.well_formed() || !b.well_formed()) return id_level::kMissing;
  const std::string& x = a.text;
  const std::string& y = b.text;
  if (x == y) {
    return (a.status == IdStatus::kValidFrom15) != (b.status == IdStatus::kValidFrom15) ? id_level::kExactAfter15
                                                                                       : id_level::kExact;
  }
  // Two valid numbers never differ by one typo: MOD 11-2 catches every
  // single substitution and adjacent transposition.
  if (a.valid() && b.valid()) {
    return x.compare(0, 14, y, 0, 14) == 0 ? id_level::kSameRegionAndBirth : id_level::kDifferent;
  }
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

bool ValidIdsMayMatch(const ResolveRecord& a, const ResolveRecord& b) {
  if (!a.id->valid() || !b.id->valid() || a.id_hash == b.id_hash) return true;
  if (a.id_in_hukou && b.id_in_hukou) return false;
  return a.id14_hash == b.id14_hash;
}

namespace {

bool OneDigitOff(Date a, Date b) {
  const std::string x = a.ToString(), y = b.ToString();
  int diff = 0;
  for (size_t i = 0; i < x.size(); ++i) diff += x[i] != y[i];
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

uint8_t CompareRegion(const ResolveRecord& a, const ResolveRecord& b) {
  uint8_t best = region_level::kMissing;
  bool any_a = false, any_b = false;
  for (std::string_view x : a.regions) {
    if (x.size() < 6) continue;
    any_a = true;
    for (std::string_view y : b.regions) {
      if (y.size() < 6) continue;
      any_b = true;
      uint8_t level = region_level::kDifferent;
      if (x.size() == 12 && y.size() == 12 && x == y) level = region_level::kSameVillage;
      else if (x.size() >= 9 && y.size() >= 9 && x.substr(0, 9) == y.substr(0, 9)) level = region_level::kSameTownship;
      else if (x.substr(0, 6) == y.substr(0, 6)) level = region_level::kSameCounty;
      best = std::min(best, level);
    }
  }
  if (!any_a || !any_b) return region_level::kMissing;
  return best;
}

uint8_t CompareName(const ResolveRecord& a, const ResolveRecord& b, const NameKeys& keys) {
  if (a.nm->name == b.nm->name) return name_level::kExact;
  if (a.nm->name_nodots == b.nm->name_nodots || a.nm->folded == b.nm->folded) return name_level::kVariant;
  for (const std::string& f : a.former) {
    if (f == b.nm->folded) return name_level::kFormerName;
    for (const std::string& g : b.former) if (f == g) return name_level::kFormerName;
  }
  for (const std::string& g : b.former) {
    if (g == a.nm->folded) return name_level::kFormerName;
  }
  if (!a.nm->pinyin.empty() && a.nm->pinyin == b.nm->pinyin) return name_level::kSamePinyin;
  const std::u32string& x = a.nm->name32;
  const std::u32string& y = b.nm->name32;
  if (x.size() == y.size() && x.size() >= 2) {
    // Given-name characters swapped (surname in place).
    const size_t s = std::min<size_t>(a.nm->surname_len, x.size() - 1);
    if (x.size() - s >= 2 && x.compare(0, s, y, 0, s) == 0) {
      std::u32string gx = x.substr(s), gy = y.substr(s);
      if (gx != gy) {
        std::sort(gx.begin(), gx.end());
        std::sort(gy.begin(), gy.end());
        if (gx == gy) return name_level::kSwapped;
      }
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

ComparisonVector Compare(const ResolveRecord& a, const ResolveRecord& b, const NameKeys& keys) {
  ComparisonVector v{};
  v[static_cast<int>(Comparison::kId)] = CompareId(*a.id, *b.id);
  v[static_cast<int>(Comparison::kName)] = CompareName(a, b, keys);
  v[static_cast<int>(Comparison::kBirth)] = CompareBirth(a.birth, b.birth);
  uint8_t g = gender_level::kMissing;
  if (a.gender != Gender::kUnknown && b.gender != Gender::kUnknown)
    g = a.gender == b.gender ? gender_level::kSame : gender_level::kDifferent;
  v[static_cast<int>(Comparison::kGender)] = g;
  v[static_cast<int>(Comparison::kRegion)] = CompareRegion(a, b);
  uint8_t h = household_level::kMissing;
  if (!a.household.empty() && !b.household.empty())
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
