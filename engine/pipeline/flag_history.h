#pragma once
// Flags across nights (issue 6): a stable person key on every flag, and each
// flag marked against the state database's history: first night seen, and
// whether it is new since the previous run; the previous run's flags that
// are gone are "resolved".
//
// The person key. The resolver's person numbers change from night to night,
// so a flag carries `person_key`, derived from what stays the same:
//   "i" + XXH3-64 of the person's authoritative 18-character ID, when it is
//       valid (the hukou's ID for a person with a hukou record);
//   "r" + XXH3-64 of the smallest "feed:record_id" among the person's
//       records otherwise (a person known only by registrations or records
//       without a valid ID: stable while that record stays in its feed).
// A hash, so the state database holds no ID number in clear. It is a
// pseudonym, not a protection: an unkeyed hash of an ID number can be
// brute-forced (see docs/province.md); the state database is as private as
// the outputs (mode 0600). Two persons given the same valid ID (a clerk's
// slip that happens to be another person's ID) share a key.

#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/normalize/dataset.h"
#include "engine/resolve/resolution.h"
#include "engine/state/state_db.h"
#include "rules/flag.h"

namespace rollmatch {

// Sets Flag::person_key on every flag.
void AssignPersonKeys(const Dataset& data, const Resolution& resolution, std::vector<Flag>* flags);

// How this run's flags compare with the previous run's.
struct FlagHistoryMarks {
  std::string previous_run;            // "" for the first run
  uint64_t new_flags = 0;              // not raised by the previous run
  std::vector<ResolvedFlag> resolved;  // raised by the previous run, not now
};

// Sets first_seen, first_run and is_new on every flag from the history in
// `state` (a flag never seen before is first seen in `run_id` on
// `run_date`). REQUIRES: person keys assigned; the run lock held, so the
// history cannot change before the run is recorded.
Result<FlagHistoryMarks> MarkFlagsAgainstHistory(StateDb& state, const std::string& run_id,
                                                 const std::string& run_date, std::vector<Flag>* flags);

// The rows the history keeps for `flags`, sorted by flag_id (the order
// StateDb::RecordFlags writes them in).
std::vector<FlagHistoryRow> FlagHistoryRows(const std::vector<Flag>& flags);

// OUT/resolved_flags.jsonl: one object per resolved flag (flag_id, code,
// township, person_key, first_seen, last_seen); no personal data.
Status WriteResolvedFlagsJsonl(const std::string& path, const std::vector<ResolvedFlag>& resolved);

}  // namespace rollmatch
