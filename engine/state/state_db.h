#pragma once
// The state database that survives between nightly runs (SQLite): each
// run's manifest and statistics, and staff review decisions keyed by
// flag_id. Created on first use. Thread safety: one StateDb per thread.

#include <map>
#include <memory>
#include <string>
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

  // A run is recorded inside a transaction: Begin, Record, then Commit (or
  // Rollback when the outputs could not be put in place).
  Status Begin();
  Status RecordRun(const std::string& run_id, const std::string& started_at, const std::string& finished_at,
                   const std::string& manifest_json, const std::string& stats_json);
  Status Commit();
  Status Rollback();

  int schema_version() const { return schema_version_; }

 private:
  StateDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Exec(const char* sql);
  Status Migrate();
  sqlite3* db_;
  std::string path_;
  int schema_version_ = 0;
};

}  // namespace rollmatch
