#pragma once
// The oracle: rules.md applied to the TRUE identities of the world (which
// records belong to which person) and to the records' values as a perfect
// normalizer reads them. Its output is the truth the engine is scored against:
// expected flags and the registration-rate statistics.
//
// It is written from the rules page alone and shares no code with rules/.

#include <array>
#include <map>
#include <string>

#include "bench/generator/world.h"

namespace rollmatch::gen {

// Flag codes in the order of rules.md; the stats table has one column each.
enum FlagCode : uint8_t {
  kWrongNotFound,
  kWrongDeceased,
  kWrongNoRights,
  kWrongUnderage,
  kWrongMovedOut,
  kWrongDistrict,
  kWrongDetails,
  kDuplicate,
  kMissingEligible,
  kMissingMigrant,
  kNumFlagCodes
};
inline const char* const kFlagCodeNames[kNumFlagCodes] = {
    "WRONG_NOT_FOUND", "WRONG_DECEASED", "WRONG_NO_RIGHTS", "WRONG_UNDERAGE", "WRONG_MOVED_OUT",
    "WRONG_DISTRICT",  "WRONG_DETAILS",  "DUPLICATE",       "MISSING_ELIGIBLE", "MISSING_MIGRANT"};

// Stats columns: the five counts of rules.md §4, then one per flag code.
constexpr int kEligibleHukou = 0, kRegisteredHukou = 1, kEligibleMigrant = 2, kRegisteredMigrant = 3, kRollRecords = 4, kFlagCol0 = 5;
constexpr int kNumStatCols = kFlagCol0 + kNumFlagCodes;
using StatRow = std::array<int64_t, kNumStatCols>;
// Region code ("" for the scope row, 9-digit township, 12-digit village) → counts.
using StatsMap = std::map<std::string, StatRow>;

struct OracleOutput {
  std::string flags_jsonl;  // expected_flags.jsonl lines
  StatsMap stats;
  std::array<uint64_t, kNumFlagCodes> flag_counts{};
  std::map<std::string, uint64_t> reasons;  // MISSING_ELIGIBLE reasons, WRONG_NO_RIGHTS kinds
  uint64_t roll_out_of_scope = 0;
};

// Judges every person of the chunk; appends to out. Thread-safe (read-only world).
void JudgeChunk(const World& world, const Chunk& chunk, OracleOutput& out);

}  // namespace rollmatch::gen
