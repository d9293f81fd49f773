#pragma once
// The state database that survives between nightly runs (SQLite, WAL): each
// run's manifest and statistics, every flag's first and last night seen
// (flag_history), the output swap still to be done after a run was recorded
// (pending_swap), and staff review decisions keyed by flag_id. Created on
// first use; the schema version (PRAGMA user_version) is checked and
// migrated forward on open. No ID number is stored: persons are known by a
// person key (a hash, see engine/pipeline/flag_history.h).
// Thread safety: one StateDb per thread.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/status.h"

struct sqlite3;

namespace rollmatch {

struct ReviewDecision {
  std::string flag_id;
  std::string decision;  // confirmed, dismissed
  std::string note;
  std::string township;
  std::string source_file;
  std::string decided_at;
};

// One recorded run with its key figures (read from its manifest and stats).
struct RunRecord {
  std::string run_id;
  std::string started_at, finished_at;
  std::string scope;
  uint64_t rows_read = 0, persons = 0, eligible_persons = 0;
  uint64_t eligible_hukou = 0, registered_hukou = 0;
  uint64_t flags_total = 0;
  std::map<std::string, uint64_t> flags_by_code;
  // 三增: MISSING_ELIGIBLE by reason; 三减: WRONG_DECEASED, WRONG_MOVED_OUT, WRONG_NO_RIGHTS.
  uint64_t inc_rights_restored = 0, inc_new_adult = 0, inc_moved_in = 0, inc_other = 0;
  uint64_t dec_deceased = 0, dec_moved_out = 0, dec_no_rights = 0;
  // Against the run before it; absent for runs recorded before schema 2.
  std::optional<uint64_t> flags_new, flags_resolved;
  bool outputs_pending = false;  // recorded, its output folder not yet swapped in
};

// What the state database knows of one flag_id.
struct FlagSeen {
  std::string first_run, first_seen;  // run id, YYYY-MM-DD
  std::string last_run, last_seen;
};

// One flag of a run, as the history keeps it.
struct FlagHistoryRow {
  std::string flag_id;
  std::string code;
  std::string township;
  std::string person_key;
};

// A flag of the previous run that the current run no longer raises.
struct ResolvedFlag {
  std::string flag_id, code, township, person_key;
  std::string first_seen, last_seen;
};

// A recorded run whose output folder still has to be swapped in.
struct PendingSwap {
  std::string run_id;
  std::string staging;  // the complete new folder (or, after the swap, the old one)
  std::string out_dir;
};

class StateDb {
 public:
  // Opens (creating the file and its folder, mode 0600/0700) and migrates.
  static Result<std::unique_ptr<StateDb>> Open(const std::string& path);
  ~StateDb();
  StateDb(const StateDb&) = delete;
  StateDb& operator=(const StateDb&) = delete;

  // Every stored decision, by flag_id (the latest for each).
  Result<std::map<std::string, ReviewDecision>> LoadDecisions();
  // Every stored decision row, oldest first (a flag decided twice has two).
  Result<std::vector<ReviewDecision>> DecisionHistory();
  // Stores `decisions` in one transaction: all of them or, on any error,
  // none. REQUIRES: no transaction open (Begin).
  Status StoreDecisions(const std::vector<ReviewDecision>& decisions);

  // A run is recorded inside a transaction: Begin, RecordRun, RecordFlags,
  // SetPendingSwap, then Commit (or Rollback on any error).
  Status Begin();
  Status RecordRun(const std::string& run_id, const std::string& started_at, const std::string& finished_at,
                   const std::string& manifest_json, const std::string& stats_json);
  // Marks `flags` seen in `run_id` (dated run_date, YYYY-MM-DD) and every
  // flag of `previous_run` not raised now as resolved by `run_id`.
  // REQUIRES: previous_run is the latest run recorded before this one ("" if
  // none). Writes only the flags that are new, came back, changed or went:
  // a flag raised again unchanged costs a look-up, not a write.
  Status RecordFlags(const std::string& run_id, const std::string& run_date, const std::string& previous_run,
                     const std::vector<FlagHistoryRow>& flags);
  Status SetPendingSwap(const PendingSwap& swap);
  Status ClearPendingSwap(const std::string& run_id);
  Status Commit();
  Status Rollback();

  // The latest recorded run's id, "" when none.
  Result<std::string> LastRunId();
  // Every flag_id ever seen, with its first and last run.
  Result<std::unordered_map<std::string, FlagSeen>> LoadFlagHistory();
  // The flags of `previous_run` that are not in `current` (sorted by flag_id).
  // REQUIRES: previous_run is the latest recorded run; `current` is sorted.
  Result<std::vector<ResolvedFlag>> ResolvedSince(const std::string& previous_run,
                                                  const std::vector<std::string_view>& current);
  // Recorded runs, oldest first.
  Result<std::vector<RunRecord>> ListRuns();
  // Swaps recorded but not (known to be) done.
  Result<std::vector<PendingSwap>> PendingSwaps();
  // The stage timings of the latest run (stage, seconds), for time-left estimates.
  Result<std::vector<std::pair<std::string, double>>> LastRunStageSeconds();

  int schema_version() const { return schema_version_; }

 private:
  StateDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Exec(const char* sql);
  Status Error(const std::string& what);
  Status Migrate();
  sqlite3* db_;
  std::string path_;
  int schema_version_ = 0;
};

}  // namespace rollmatch
