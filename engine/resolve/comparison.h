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

namespace rollmatch {

// The comparable forms of one distinct (normalized) name, computed once
// per name however many records carry it.
struct NameInfo {
  std::string name;          // normalized
  std::u32string name32;     // normalized, dots removed, as code points
  std::string name_nodots;   // normalized, dots removed
  std::string folded;        // variant-folded, dots removed
  std::string pinyin;        // toneless, surname-aware
  uint8_t surname_len = 1;
  double tf = 0;             // share of all records whose folded name is this one's
};

// What resolution needs of one record, precomputed once.
struct ResolveRecord {
  RecordRef ref;
  const CitizenId* id = nullptr;
  const NameInfo* nm = nullptr;
  std::vector<std::string> former;         // former names (folded, dots removed)
  std::vector<std::string> former_pinyin;
  Date birth;                // the record's own birth date, else the one its valid ID encodes
  Date own_birth;            // as typed (unknown when empty)
  Gender gender = Gender::kUnknown;
  std::array<std::string_view, 4> regions{};  // hukou / residence / insured / registration regions
  std::string_view household;
  bool is_hukou = false;
  bool id_consistent = true;  // the ID's encoded birth date and gender agree with the record's own
  bool id_in_hukou = false;   // a hukou record carries this (valid) ID
  uint64_t id_hash = 0;       // XXH3 of the well-formed ID text, 0 when not well formed
  uint64_t id14_hash = 0;     // XXH3 of its first 14 characters (region + birth date)
  bool anchored() const { return id_in_hukou; }
};

// Two valid, different IDs may belong to one person only when they agree
// in region and birth date and at most one of them is a hukou ID (a
// registration typed with a wrong sequence number). Otherwise they are two
// people: twins sharing name and birth date hold two hukou IDs.
bool ValidIdsMayMatch(const ResolveRecord& a, const ResolveRecord& b);

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

ComparisonVector Compare(const ResolveRecord& a, const ResolveRecord& b, const NameKeys& keys);

uint8_t CompareId(const CitizenId& a, const CitizenId& b);
uint8_t CompareName(const ResolveRecord& a, const ResolveRecord& b, const NameKeys& keys);
uint8_t CompareBirth(Date a, Date b);
uint8_t CompareRegion(const ResolveRecord& a, const ResolveRecord& b);

// The plain-Chinese explanation of one link, e.g. "身份证号一位不同；姓名同音
// （王伟/王玮）；出生日期一致；同一村（社区） → 同一人，置信度 0.998".
std::string ExplainLink(const ComparisonVector& v, std::string_view name_a, std::string_view name_b, double p,
                        bool linked);

// Chinese words for a level ("身份证号一位不同"), for explanations.
std::string_view LevelWords(Comparison c, uint8_t level);
std::string_view ComparisonName(Comparison c);  // "id", "name", ...

}  // namespace rollmatch
