#include "engine/state/state_db.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string_view>

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
    // 2: flag history (issue 6) and the output swap still to be done after a
    // run was recorded. Persons are known by their person key, a hash.
    "CREATE TABLE flag_history ("
    "  flag_id TEXT PRIMARY KEY, code TEXT NOT NULL, township TEXT NOT NULL, person_key TEXT NOT NULL,"
    "  first_run TEXT NOT NULL, first_seen TEXT NOT NULL, last_run TEXT NOT NULL, last_seen TEXT NOT NULL,"
    "  resolved_run TEXT);"
    "CREATE INDEX flag_history_last_run ON flag_history(last_run);"
    "CREATE TABLE pending_swap ("
    "  run_id TEXT PRIMARY KEY, staging TEXT NOT NULL, out_dir TEXT NOT NULL);",
    // 3: flag history stored by flag_id (WITHOUT ROWID, no second index), and
    // "raised by the latest recorded run" written as last_run = NULL, so that
    // a night writes only the flags that are new, came back, changed or went
    // away — not every flag it raises again (the upsert of every flag cost
    // about 4 µs a flag: 0.4 s at a million persons, seconds at ten million).
    "CREATE TABLE flag_history_v3 ("
    "  flag_id TEXT PRIMARY KEY, code TEXT NOT NULL, township TEXT NOT NULL, person_key TEXT NOT NULL,"
    "  first_run TEXT NOT NULL, first_seen TEXT NOT NULL, last_run TEXT, last_seen TEXT,"
    "  resolved_run TEXT) WITHOUT ROWID;"
    "INSERT INTO flag_history_v3 SELECT flag_id, code, township, person_key, first_run, first_seen,"
    "  CASE WHEN last_run = (SELECT run_id FROM runs ORDER BY rowid DESC LIMIT 1) THEN NULL ELSE last_run END,"
    "  CASE WHEN last_run = (SELECT run_id FROM runs ORDER BY rowid DESC LIMIT 1) THEN NULL ELSE last_seen END,"
    "  resolved_run FROM flag_history;"
    "DROP TABLE flag_history;"
    "ALTER TABLE flag_history_v3 RENAME TO flag_history;",
};

// A prepared statement, finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr); }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return st_; }
  void Bind(int i, const std::string& v) { sqlite3_bind_text(st_, i, v.c_str(), -1, SQLITE_TRANSIENT); }
  // Binds `v` without a copy: it must outlive the statement's next step.
  void BindStatic(int i, const std::string& v) { sqlite3_bind_text(st_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_STATIC); }
  std::string Text(int i) {
    const unsigned char* t = sqlite3_column_text(st_, i);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  }
  uint64_t Uint(int i) { return static_cast<uint64_t>(sqlite3_column_int64(st_, i)); }
  bool IsNull(int i) { return sqlite3_column_type(st_, i) == SQLITE_NULL; }

 private:
  sqlite3_stmt* st_ = nullptr;
  int rc_;
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

Status StateDb::Error(const std::string& what) {
  return Status::IoError(path_ + ": " + what + (what.empty() ? "" : ": ") + sqlite3_errmsg(db_));
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
    // Another process may have migrated since user_version was read.
    int now = v;
    if (sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK) {
      if (sqlite3_step(st) == SQLITE_ROW) now = sqlite3_column_int(st, 0);
      sqlite3_finalize(st);
    }
    if (now != v) {
      RM_RETURN_IF_ERROR(Exec("COMMIT"));
      if (now > v) v = now - 1;
      continue;
    }
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

Status StateDb::RecordFlags(const std::string& run_id, const std::string& run_date,
                           const std::string& previous_run, const std::vector<FlagHistoryRow>& flags) {
  // last_run = NULL marks the flags of the latest recorded run. This run's
  // flags are merged with the previous run's, both in flag_id order: the
  // previous ones not raised now get the previous run as their last run and
  // this run as their resolving run; this run's flags are inserted, or
  // updated only when they came back or their fields changed.
  std::vector<const FlagHistoryRow*> now;
  now.reserve(flags.size());
  for (const FlagHistoryRow& f : flags) now.push_back(&f);
  auto by_id = [](const FlagHistoryRow* a, const FlagHistoryRow* b) { return a->flag_id < b->flag_id; };
  if (!std::is_sorted(now.begin(), now.end(), by_id)) std::sort(now.begin(), now.end(), by_id);
  if (!previous_run.empty()) {
    std::string previous_date;
    {
      Stmt st(db_, "SELECT substr(started_at, 1, 10) FROM runs WHERE run_id=?1");
      if (!st.ok()) return Error("cannot record the resolved flags");
      st.Bind(1, previous_run);
      if (sqlite3_step(st.get()) == SQLITE_ROW) previous_date = st.Text(0);
    }
    std::vector<std::string> gone;
    {
      Stmt st(db_, "SELECT flag_id FROM flag_history WHERE last_run IS NULL ORDER BY flag_id");
      if (!st.ok()) return Error("cannot record the resolved flags");
      size_t i = 0;
      int rc;
      while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
        const char* id = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
        const std::string_view was(id ? id : "");
        while (i < now.size() && std::string_view(now[i]->flag_id) < was) ++i;
        if (i == now.size() || std::string_view(now[i]->flag_id) != was) gone.emplace_back(was);
      }
      if (rc != SQLITE_DONE) return Error("cannot record the resolved flags");
    }
    Stmt res(db_, "UPDATE flag_history SET last_run=?2, last_seen=?3, resolved_run=?4 WHERE flag_id=?1");
    if (!res.ok()) return Error("cannot record the resolved flags");
    res.Bind(2, previous_run);
    res.Bind(3, previous_date);
    res.Bind(4, run_id);
    for (const std::string& id : gone) {
      res.BindStatic(1, id);
      if (sqlite3_step(res.get()) != SQLITE_DONE) return Error("cannot record the resolved flags");
      sqlite3_reset(res.get());
    }
  }
  Stmt up(db_,
          "INSERT INTO flag_history(flag_id, code, township, person_key, first_run, first_seen, last_run,"
          " last_seen, resolved_run) VALUES (?1,?2,?3,?4,?5,?6,NULL,NULL,NULL)"
          " ON CONFLICT(flag_id) DO UPDATE SET code=excluded.code, township=excluded.township,"
          " person_key=excluded.person_key, last_run=NULL, last_seen=NULL, resolved_run=NULL"
          " WHERE last_run IS NOT NULL OR code IS NOT excluded.code OR township IS NOT excluded.township"
          " OR person_key IS NOT excluded.person_key");
  if (!up.ok()) return Error("cannot record the flag history");
  up.Bind(5, run_id);
  up.Bind(6, run_date);
  for (const FlagHistoryRow* f : now) {
    up.BindStatic(1, f->flag_id);
    up.BindStatic(2, f->code);
    up.BindStatic(3, f->township);
    up.BindStatic(4, f->person_key);
    if (sqlite3_step(up.get()) != SQLITE_DONE) return Error("cannot record the flag history");
    sqlite3_reset(up.get());
  }
  return Status::Ok();
}

Status StateDb::SetPendingSwap(const PendingSwap& swap) {
  Stmt st(db_, "INSERT OR REPLACE INTO pending_swap(run_id, staging, out_dir) VALUES (?,?,?)");
  if (!st.ok()) return Error("cannot record the pending swap");
  st.Bind(1, swap.run_id);
  st.Bind(2, swap.staging);
  st.Bind(3, swap.out_dir);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return Error("cannot record the pending swap");
  return Status::Ok();
}

Status StateDb::ClearPendingSwap(const std::string& run_id) {
  Stmt st(db_, "DELETE FROM pending_swap WHERE run_id=?");
  if (!st.ok()) return Error("cannot clear the pending swap");
  st.Bind(1, run_id);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return Error("cannot clear the pending swap");
  return Status::Ok();
}

Result<std::string> StateDb::LastRunId() {
  Stmt st(db_, "SELECT run_id FROM runs ORDER BY rowid DESC LIMIT 1");
  if (!st.ok()) return Error("");
  const int rc = sqlite3_step(st.get());
  if (rc == SQLITE_ROW) return st.Text(0);
  if (rc != SQLITE_DONE) return Error("");
  return std::string();
}

Result<std::unordered_map<std::string, FlagSeen>> StateDb::LoadFlagHistory() {
  std::unordered_map<std::string, FlagSeen> out;
  // last_run NULL: raised by the latest recorded run.
  Stmt st(db_,
          "SELECT flag_id, first_run, first_seen,"
          " coalesce(last_run, (SELECT run_id FROM runs ORDER BY rowid DESC LIMIT 1)),"
          " coalesce(last_seen, (SELECT substr(started_at, 1, 10) FROM runs ORDER BY rowid DESC LIMIT 1))"
          " FROM flag_history");
  if (!st.ok()) return Error("");
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    out[st.Text(0)] = FlagSeen{st.Text(1), st.Text(2), st.Text(3), st.Text(4)};
  }
  if (rc != SQLITE_DONE) return Error("");
  return out;
}

Result<std::vector<ResolvedFlag>> StateDb::ResolvedSince(const std::string& previous_run,
                                                         const std::vector<std::string_view>& current) {
  std::vector<ResolvedFlag> out;
  if (previous_run.empty()) return out;
  Stmt st(db_,
          "SELECT flag_id, code, township, person_key, first_seen,"
          " (SELECT substr(started_at, 1, 10) FROM runs WHERE run_id=?1) FROM flag_history"
          " WHERE last_run IS NULL ORDER BY flag_id");
  if (!st.ok()) return Error("");
  st.Bind(1, previous_run);
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    std::string id = st.Text(0);
    if (std::binary_search(current.begin(), current.end(), std::string_view(id))) continue;
    out.push_back({std::move(id), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)});
  }
  if (rc != SQLITE_DONE) return Error("");
  return out;
}

Result<std::vector<RunRecord>> StateDb::ListRuns() {
  std::vector<RunRecord> out;
  Stmt st(db_,
          "SELECT run_id, started_at, finished_at,"
          " json_extract(manifest_json,'$.config.scope'),"
          " json_extract(manifest_json,'$.rows_read'),"
          " json_extract(manifest_json,'$.persons_resolved'),"
          " json_extract(manifest_json,'$.eligible_persons'),"
          " (SELECT json_extract(value,'$.eligible_hukou') FROM json_each(stats_json,'$.rows')"
          "   WHERE json_extract(value,'$.level')='scope'),"
          " (SELECT json_extract(value,'$.registered_hukou') FROM json_each(stats_json,'$.rows')"
          "   WHERE json_extract(value,'$.level')='scope'),"
          " json_extract(manifest_json,'$.three_increases.rights_restored'),"
          " json_extract(manifest_json,'$.three_increases.new_adult'),"
          " json_extract(manifest_json,'$.three_increases.moved_in'),"
          " json_extract(manifest_json,'$.three_increases.other_missing'),"
          " json_extract(manifest_json,'$.three_decreases.deceased'),"
          " json_extract(manifest_json,'$.three_decreases.moved_out'),"
          " json_extract(manifest_json,'$.three_decreases.no_rights'),"
          " json_extract(manifest_json,'$.flag_history.new'),"
          " json_extract(manifest_json,'$.flag_history.resolved'),"
          " EXISTS (SELECT 1 FROM pending_swap p WHERE p.run_id=runs.run_id),"
          " json_extract(manifest_json,'$.flags_by_code')"
          " FROM runs ORDER BY rowid");
  if (!st.ok()) return Error("");
  Stmt codes(db_, "SELECT key, value FROM json_each(?)");
  if (!codes.ok()) return Error("");
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    RunRecord r;
    r.run_id = st.Text(0);
    r.started_at = st.Text(1);
    r.finished_at = st.Text(2);
    r.scope = st.Text(3);
    r.rows_read = st.Uint(4);
    r.persons = st.Uint(5);
    r.eligible_persons = st.Uint(6);
    r.eligible_hukou = st.Uint(7);
    r.registered_hukou = st.Uint(8);
    r.inc_rights_restored = st.Uint(9);
    r.inc_new_adult = st.Uint(10);
    r.inc_moved_in = st.Uint(11);
    r.inc_other = st.Uint(12);
    r.dec_deceased = st.Uint(13);
    r.dec_moved_out = st.Uint(14);
    r.dec_no_rights = st.Uint(15);
    if (!st.IsNull(16)) r.flags_new = st.Uint(16);
    if (!st.IsNull(17)) r.flags_resolved = st.Uint(17);
    r.outputs_pending = st.Uint(18) != 0;
    if (!st.IsNull(19)) {
      codes.Bind(1, st.Text(19));
      while (sqlite3_step(codes.get()) == SQLITE_ROW) {
        r.flags_by_code[codes.Text(0)] = codes.Uint(1);
        r.flags_total += codes.Uint(1);
      }
      sqlite3_reset(codes.get());
    }
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return Error("");
  return out;
}

Result<std::vector<PendingSwap>> StateDb::PendingSwaps() {
  std::vector<PendingSwap> out;
  Stmt st(db_, "SELECT run_id, staging, out_dir FROM pending_swap ORDER BY rowid");
  if (!st.ok()) return Error("");
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) out.push_back({st.Text(0), st.Text(1), st.Text(2)});
  if (rc != SQLITE_DONE) return Error("");
  return out;
}

Result<std::vector<std::pair<std::string, double>>> StateDb::LastRunStageSeconds() {
  std::vector<std::pair<std::string, double>> out;
  Stmt st(db_,
          "SELECT json_extract(value,'$.stage'), json_extract(value,'$.seconds') FROM"
          " (SELECT manifest_json FROM runs ORDER BY rowid DESC LIMIT 1) AS last,"
          " json_each(last.manifest_json,'$.stages')");
  if (!st.ok()) return Error("");
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    out.emplace_back(st.Text(0), sqlite3_column_double(st.get(), 1));
  }
  if (rc != SQLITE_DONE) return Error("");
  return out;
}

}  // namespace rollmatch
