#pragma once
// The election rules (spec/rules.md §2–4) applied to resolved persons:
// eligibility on election day, acceptable districts, flags, and the
// registration-rate statistics.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/date.h"
#include "engine/normalize/dataset.h"
#include "engine/resolve/resolution.h"
#include "rules/flag.h"

namespace rollmatch {

struct RuleConfig {
  std::string scope;           // region-code prefix of 2, 6 or 9 digits
  Date election_day;           // E
  Date previous_election_day;  // optional
};

// One row of stats.csv.
struct RegionStats {
  std::string region_code;
  std::string level;  // scope, county (a scope wider than a county only), township, village
  uint64_t eligible_hukou = 0;
  uint64_t registered_hukou = 0;
  uint64_t eligible_migrant = 0;
  uint64_t registered_migrant = 0;
  uint64_t roll_records = 0;
  std::array<uint64_t, kNumFlagCodes> flags = {};
};

struct RulesOutput {
  std::vector<Flag> flags;  // sorted: category, township, code, subject record id
  std::vector<RegionStats> stats;  // scope, counties, townships, villages, each sorted by code
  uint64_t persons = 0;
  uint64_t eligible_persons = 0;
  uint64_t roll_in_scope = 0;
  uint64_t roll_out_of_scope = 0;
  // 三增三减 counts: MISSING_ELIGIBLE by reason, and the three 三减 codes.
  uint64_t increase_rights_restored = 0, increase_new_adult = 0, increase_moved_in = 0, increase_other = 0;
};

// REQUIRES: resolution was computed on `data`.
RulesOutput ApplyRules(const Dataset& data, const Resolution& resolution, const RuleConfig& config);

}  // namespace rollmatch
