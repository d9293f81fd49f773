#pragma once
// Comparisons of two records, each with ordered levels from exact to
// different (and missing). The levels are the vocabulary of the match
// model (Fellegi-Sunter): each level has an m and a u probability.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/date.h"
#include "engine/core/feed.h"
#include "engine/normalize/citizen_id.h"
#include "engine/normalize/codes.h"
#include "engine/normalize/name_keys.h"
#include "engine/resolve/resolve_records.h"

namespace rollmatch {

// Two valid, different IDs may belong to one person only when they agree
// in region and birth date and at most one of them is a hukou ID (a
// registration typed with a wrong sequence number). Otherwise they are two
// people: twins sharing name and birth date hold two hukou IDs.
// (On packed IDs: ResolveRecord::id.)
inline bool ValidIdsMayMatch(uint64_t a, uint64_t b) {
  constexpr uint64_t kValid = packed_id::kValid, kInHukou = packed_id::kInHukou;
  if (!(a & kValid) || !(b & kValid) || IdText(a) == IdText(b)) return true;
  if ((a & kInHukou) && (b & kInHukou)) return false;
  return IdFirst14(a) == IdFirst14(b);
}
inline bool ValidIdsMayMatch(const ResolveRecord& a, const ResolveRecord& b) { return ValidIdsMayMatch(a.id, b.id); }

enum class Comparison : uint8_t { kId, kName, kBirth, kGender, kRegion, kHousehold, kIdConsistency };
inline constexpr int kNumComparisons = 7;

// Levels, ordered from strongest agreement to disagreement; the last is "missing".
namespace id_level {
enum : uint8_t {
  kExact,
  kExactAfter15,
  kOneSubstitution,
  kTransposition,
  kInvalidOneSide,
  kSameRegionAndBirth,  // two valid numbers, equal in the first 14 digits (a wrong sequence number)
  kDifferent,
  kMissing,
  kCount
};
}
namespace name_level {
enum : uint8_t { kExact, kVariant, kFormerName, kSamePinyin, kSwapped, kSimilarShape, kOneCharDiffers, kDifferent, kCount };
}
namespace birth_level {
enum : uint8_t { kExact, kOneDigit, kDayMonthSwapped, kWithin31Days, kDifferent, kMissing, kCount };
}
namespace gender_level {
enum : uint8_t { kSame, kDifferent, kMissing, kCount };
}
namespace region_level {
enum : uint8_t { kSameVillage, kSameTownship, kSameCounty, kDifferent, kMissing, kCount };
}
namespace household_level {
enum : uint8_t { kSame, kDifferent, kMissing, kCount };
}
namespace consistency_level {
enum : uint8_t { kBothConsistent, kOneInconsistent, kCount };
}

inline constexpr std::array<uint8_t, kNumComparisons> kLevelCounts = {
    id_level::kCount,     name_level::kCount,      birth_level::kCount,     gender_level::kCount,
    region_level::kCount, household_level::kCount, consistency_level::kCount};

// The levels of one candidate pair.
using ComparisonVector = std::array<uint8_t, kNumComparisons>;

// The comparisons of records a and b of `rr`.
ComparisonVector Compare(const ResolveRecords& rr, const ResolveRecord& a, const ResolveRecord& b,
                         const NameKeys& keys);

// Packed IDs (PackId): 0 = not well formed.
uint8_t CompareId(uint64_t a, bool a_from15, uint64_t b, bool b_from15);
uint8_t CompareId(const CitizenId& a, const CitizenId& b);
uint8_t CompareName(const ResolveRecords& rr, const ResolveRecord& a, const ResolveRecord& b, const NameKeys& keys);
uint8_t CompareBirth(Date a, Date b);
uint8_t CompareRegion(const ResolveRecords& rr, const ResolveRecord& a, const ResolveRecord& b);

// The plain-Chinese explanation of one link, e.g. "身份证号一位不同；姓名同音
// （王伟/王玮）；出生日期一致；同一村（社区） → 同一人，置信度 0.998".
std::string ExplainLink(const ComparisonVector& v, std::string_view name_a, std::string_view name_b, double p,
                        bool linked);

// Chinese words for a level ("身份证号一位不同"), for explanations.
std::string_view LevelWords(Comparison c, uint8_t level);
std::string_view ComparisonName(Comparison c);  // "id", "name", ...

}  // namespace rollmatch
