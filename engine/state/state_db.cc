#include "engine/state/state_db.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>

namespace rollmatch {
namespace fs = std::filesystem;

namespace {

// Schema migrations, applied in order; user_version is the count applied.
const char* const kMigrations[] = {
    // 1: runs and review decisions.
    "CREATE TABLE runs ("
    "  run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,"
    "  manifest_json TEXT NOT NULL, stats_json TEXT NOT NULL);"
    "CREATE TABLE decisions ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, flag_id TEXT NOT NULL, decision TEXT NOT NULL"
    "    CHECK (decision IN ('confirmed','dismissed')),"
    "  note TEXT NOT NULL DEFAULT '', township TEXT NOT NULL DEFAULT '', source_file TEXT NOT NULL DEFAULT '',"
    "  decided_at TEXT NOT NULL);"
    "CREATE INDEX decisions_flag ON decisions(flag_id);",
};

}  // namespace

Result<std::unique_ptr<StateDb>> StateDb::Open(const std::string& path) {
  std::error_code ec;
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) return Status::IoError(path + ": cannot create the state folder: " + ec.message());
    ::chmod(parent.c_str(), 0700);
  }
  const bool existed = fs::exists(path, ec);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::IoError(path + ": cannot open the state database: " + msg);
  }
  if (!existed) ::chmod(path.c_str(), 0600);
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<StateDb> state(new StateDb(db, path));
  RM_RETURN_IF_ERROR(state->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  RM_RETURN_IF_ERROR(state->Migrate());
  return state;
}

StateDb::~StateDb() { sqlite3_close(db_); }

Status StateDb::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::IoError(path_ + ": " + msg);
  }
  return Status::Ok();
}

Status StateDb::Migrate() {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &st, nullptr) != SQLITE_OK)
    return Status::IoError(path_ + ": " + sqlite3_errmsg(db_));
  int version = 0;
  if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  const int target = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));
  if (version > target)
    return Status::Corrupt(path_ + ": state database schema version " + std::to_string(version) +
                           " is newer than this program (" + std::to_string(target) + ")");
  for (int v = version; v < target; ++v) {
    RM_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status s = Exec(kMigrations[v]);
    if (s.ok()) s = Exec(("PRAGMA user_version=" + std::to_string(v + 1)).c_str());
    if (!s.ok()) {
      Exec("ROLLBACK");
      return s;
    }
    RM_RETURN_IF_ERROR(Exec("COMMIT"));
  }
  schema_version_ = target;
  return Status::Ok();
}

Result<std::map<std::string, ReviewDecision>> StateDb::LoadDecisions() {
  std::map<std::string, ReviewDecision> out;
  sqlite3_stmt* st = nullptr;
  const char* sql =
      "SELECT flag_id, decision, note, township, source_file, decided_at FROM decisions ORDER BY id";
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK)
    return Status::IoError(path_ + ": " + sqlite3_errmsg(db_));
  auto col = [&](int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    ReviewDecision d{col(0), col(1), col(2), col(3), col(4), col(5)};
    out[d.flag_id] = std::move(d);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return Status::IoError(path_ + ": " + sqlite3_errmsg(db_));
  return out;
}

Result<std::vector<ReviewDecision>> StateDb::DecisionHistory() {
  std::vector<ReviewDecision> out;
  sqlite3_stmt* st = nullptr;
  const char* sql =
      "SELECT flag_id, decision, note, township, source_file, decided_at FROM decisions ORDER BY id";
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK)
    return Status::IoError(path_ + ": " + sqlite3_errmsg(db_));
  auto col = [&](int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    out.push_back({col(0), col(1), col(2), col(3), col(4), col(5)});
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return Status::IoError(path_ + ": " + sqlite3_errmsg(db_));
  return out;
}

Status StateDb::StoreDecisions(const std::vector<ReviewDecision>& decisions) {
  RM_RETURN_IF_ERROR(Begin());
  sqlite3_stmt* st = nullptr;
  const char* sql =
      "INSERT INTO decisions(flag_id, decision, note, township, source_file, decided_at) "
      "VALUES (?,?,?,?,?,?)";
  Status s;
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) {
    s = Status::IoError(path_ + ": " + sqlite3_errmsg(db_));
  }
  for (size_t i = 0; s.ok() && i < decisions.size(); ++i) {
    const ReviewDecision& d = decisions[i];
    sqlite3_bind_text(st, 1, d.flag_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, d.decision.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, d.note.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, d.township.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, d.source_file.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, d.decided_at.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) {
      s = Status::IoError(path_ + ": cannot store the decision for " + d.flag_id + ": " +
                          sqlite3_errmsg(db_));
    }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  if (!s.ok()) {
    Rollback();
    return s;
  }
  return Commit();
}

Status StateDb::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status StateDb::Commit() { return Exec("COMMIT"); }
Status StateDb::Rollback() { return Exec("ROLLBACK"); }

Status StateDb::RecordRun(const std::string& run_id, const std::string& started_at, const std::string& finished_at,
                          const std::string& manifest_json, const std::string& stats_json) {
  sqlite3_stmt* st = nullptr;
  const char* sql =
      "INSERT INTO runs(run_id, started_at, finished_at, manifest_json, stats_json) VALUES (?,?,?,?,?)";
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK)
    return Status::IoError(path_ + ": " + sqlite3_errmsg(db_));
  sqlite3_bind_text(st, 1, run_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, started_at.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, finished_at.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, manifest_json.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, stats_json.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return Status::IoError(path_ + ": cannot record the run: " + sqlite3_errmsg(db_));
  return Status::Ok();
}

}  // namespace rollmatch
