#include "engine/state/state_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

class StateDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rollmatch-state-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    path_ = (dir_ / "state" / "rollmatch.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Records a run whose manifest names `flags_new` and `flags_resolved`.
  void Record(StateDb& db, const std::string& run, const std::vector<FlagHistoryRow>& flags) {
    auto prev = db.LastRunId();
    ASSERT_TRUE(prev.ok());
    ASSERT_TRUE(db.Begin().ok());
    const std::string manifest =
        "{\"run_id\":\"" + run + "\",\"config\":{\"scope\":\"320481\"},\"flags_by_code\":{\"DUPLICATE\":" +
        std::to_string(flags.size()) + "},\"flag_history\":{\"new\":1,\"resolved\":2}}";
    ASSERT_TRUE(
        db.RecordRun(run, "2026-12-01T01:00:00", "2026-12-01T01:10:00", manifest,
                     "{\"rows\":[{\"region_code\":\"320481\",\"level\":\"scope\",\"eligible_hukou\":10,"
                     "\"registered_hukou\":9}]}")
            .ok());
    ASSERT_TRUE(db.RecordFlags(run, "2026-12-01", *prev, flags).ok());
    ASSERT_TRUE(db.Commit().ok());
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(StateDbTest, CreatedAtTheLatestSchemaInWalMode) {
  auto db = StateDb::Open(path_);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ((*db)->schema_version(), 3);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

TEST_F(StateDbTest, NewerSchemaIsRefused) {
  ASSERT_TRUE(StateDb::Open(path_).ok());
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  sqlite3_exec(raw, "PRAGMA user_version=99", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  auto db = StateDb::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("newer than this program"), std::string::npos);
}

TEST_F(StateDbTest, Version1DatabaseIsMigratedKeepingItsRuns) {
  fs::create_directories(fs::path(path_).parent_path());
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(
                raw,
                "CREATE TABLE runs (run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT "
                "NOT NULL, manifest_json TEXT NOT NULL, stats_json TEXT NOT NULL);"
                "CREATE TABLE decisions (id INTEGER PRIMARY KEY AUTOINCREMENT, flag_id TEXT NOT NULL, "
                "decision TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', township TEXT NOT NULL DEFAULT '', "
                "source_file TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL);"
                "INSERT INTO runs VALUES ('old','a','b','{\"flags_by_code\":{\"DUPLICATE\":3}}','{}');"
                "PRAGMA user_version=1;",
                nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  auto db = StateDb::Open(path_);
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto runs = (*db)->ListRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].flags_total, 3u);
  EXPECT_FALSE((*runs)[0].flags_new.has_value());  // before schema 2: unknown
}

TEST_F(StateDbTest, FlagHistoryKnowsFirstAndLastRunAndWhatWasResolved) {
  auto db = StateDb::Open(path_);
  ASSERT_TRUE(db.ok());
  Record(**db, "r1", {{"f1", "DUPLICATE", "320481101", "ia"}, {"f2", "DUPLICATE", "320481101", "ib"}});
  Record(**db, "r2", {{"f2", "DUPLICATE", "320481101", "ib"}, {"f3", "DUPLICATE", "320481102", "ic"}});
  auto history = (*db)->LoadFlagHistory();
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->at("f1").last_run, "r1");
  EXPECT_EQ(history->at("f2").first_run, "r1");
  EXPECT_EQ(history->at("f2").last_run, "r2");
  EXPECT_EQ(history->at("f3").first_run, "r2");
  // What a third run raising only f3 would call resolved: f2 (f1 went the night before).
  auto resolved = (*db)->ResolvedSince("r2", {"f3"});
  ASSERT_TRUE(resolved.ok());
  ASSERT_EQ(resolved->size(), 1u);
  EXPECT_EQ((*resolved)[0].flag_id, "f2");
  EXPECT_EQ((*resolved)[0].person_key, "ib");
  // A flag that comes back keeps its first run.
  Record(**db, "r3", {{"f1", "DUPLICATE", "320481101", "ia"}});
  history = (*db)->LoadFlagHistory();
  EXPECT_EQ(history->at("f1").first_run, "r1");
  EXPECT_EQ(history->at("f1").last_run, "r3");
  auto runs = (*db)->ListRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 3u);
  EXPECT_EQ((*runs)[2].run_id, "r3");
  EXPECT_EQ((*runs)[2].eligible_hukou, 10u);
  EXPECT_EQ((*runs)[2].registered_hukou, 9u);
  EXPECT_EQ((*runs)[2].flags_new, 1u);
  EXPECT_EQ((*runs)[2].flags_resolved, 2u);
}

// Rows of flag_history as stored: flag_id -> (last_run or "NULL", resolved_run or "NULL").
std::map<std::string, std::pair<std::string, std::string>> StoredHistory(const std::string& path) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(raw,
                               "SELECT flag_id, coalesce(last_run,'NULL'), coalesce(resolved_run,'NULL')"
                               " FROM flag_history",
                               -1, &st, nullptr),
            SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto text = [&](int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i))); };
    out[text(0)] = {text(1), text(2)};
  }
  sqlite3_finalize(st);
  sqlite3_close(raw);
  return out;
}

TEST_F(StateDbTest, FlagsRaisedAgainAreNotRewrittenAndGoneOnesKeepTheirLastRun) {
  auto db = StateDb::Open(path_);
  ASSERT_TRUE(db.ok());
  Record(**db, "r1", {{"f1", "DUPLICATE", "320481101", "ia"}, {"f2", "DUPLICATE", "320481101", "ib"}});
  Record(**db, "r2", {{"f2", "DUPLICATE", "320481101", "ib"}, {"f3", "DUPLICATE", "320481102", "ic"}});
  // The latest run's flags are stored with last_run NULL; f1 went in r2.
  auto stored = StoredHistory(path_);
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored["f1"], std::make_pair(std::string("r1"), std::string("r2")));
  EXPECT_EQ(stored["f2"], std::make_pair(std::string("NULL"), std::string("NULL")));
  EXPECT_EQ(stored["f3"], std::make_pair(std::string("NULL"), std::string("NULL")));
  // Read back, NULL is the latest run and its date.
  auto history = (*db)->LoadFlagHistory();
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->at("f2").last_run, "r2");
  EXPECT_EQ(history->at("f2").last_seen, "2026-12-01");
  EXPECT_EQ(history->at("f1").last_seen, "2026-12-01");
  // A flag whose township changed is updated in place; one that came back is current again.
  Record(**db, "r3", {{"f1", "DUPLICATE", "320481101", "ia"}, {"f2", "DUPLICATE", "320481109", "ib"}});
  stored = StoredHistory(path_);
  EXPECT_EQ(stored["f1"], std::make_pair(std::string("NULL"), std::string("NULL")));
  EXPECT_EQ(stored["f3"], std::make_pair(std::string("r2"), std::string("r3")));
  auto resolved = (*db)->ResolvedSince("r3", {"f1"});
  ASSERT_TRUE(resolved.ok());
  ASSERT_EQ(resolved->size(), 1u);
  EXPECT_EQ((*resolved)[0].flag_id, "f2");
  EXPECT_EQ((*resolved)[0].township, "320481109");
  EXPECT_EQ((*resolved)[0].last_seen, "2026-12-01");
}

TEST_F(StateDbTest, Version2FlagHistoryIsMigratedWithTheLatestRunsFlagsCurrent) {
  fs::create_directories(fs::path(path_).parent_path());
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(
                raw,
                "CREATE TABLE runs (run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT "
                "NOT NULL, manifest_json TEXT NOT NULL, stats_json TEXT NOT NULL);"
                "CREATE TABLE decisions (id INTEGER PRIMARY KEY AUTOINCREMENT, flag_id TEXT NOT NULL, "
                "decision TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', township TEXT NOT NULL DEFAULT '', "
                "source_file TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL);"
                "CREATE TABLE flag_history (flag_id TEXT PRIMARY KEY, code TEXT NOT NULL, township TEXT NOT "
                "NULL, person_key TEXT NOT NULL, first_run TEXT NOT NULL, first_seen TEXT NOT NULL, last_run "
                "TEXT NOT NULL, last_seen TEXT NOT NULL, resolved_run TEXT);"
                "CREATE INDEX flag_history_last_run ON flag_history(last_run);"
                "CREATE TABLE pending_swap (run_id TEXT PRIMARY KEY, staging TEXT NOT NULL, out_dir TEXT NOT "
                "NULL);"
                "INSERT INTO runs VALUES ('r1','2026-11-01T01:00:00','b','{}','{}');"
                "INSERT INTO runs VALUES ('r2','2026-11-02T01:00:00','b','{}','{}');"
                "INSERT INTO flag_history VALUES ('f1','DUPLICATE','320481101','ia','r1','2026-11-01','r1',"
                "'2026-11-01','r2');"
                "INSERT INTO flag_history VALUES ('f2','DUPLICATE','320481101','ib','r1','2026-11-01','r2',"
                "'2026-11-02',NULL);"
                "PRAGMA user_version=2;",
                nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  auto db = StateDb::Open(path_);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ((*db)->schema_version(), 3);
  auto stored = StoredHistory(path_);
  EXPECT_EQ(stored["f1"], std::make_pair(std::string("r1"), std::string("r2")));
  EXPECT_EQ(stored["f2"], std::make_pair(std::string("NULL"), std::string("NULL")));
  auto history = (*db)->LoadFlagHistory();
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->at("f1").last_run, "r1");
  EXPECT_EQ(history->at("f2").last_run, "r2");
  EXPECT_EQ(history->at("f2").last_seen, "2026-11-02");
  EXPECT_EQ(history->at("f2").first_run, "r1");
  // The next night that no longer raises f2 resolves it.
  Record(**db, "r3", {});
  stored = StoredHistory(path_);
  EXPECT_EQ(stored["f2"], std::make_pair(std::string("r2"), std::string("r3")));
}

TEST_F(StateDbTest, PendingSwapIsCommittedWithTheRunAndGoneAfterRollback) {
  auto db = StateDb::Open(path_);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Begin().ok());
  ASSERT_TRUE((*db)->RecordRun("r1", "a", "b", "{}", "{}").ok());
  ASSERT_TRUE((*db)->SetPendingSwap({"r1", "/x/out.staging-1", "/x/out"}).ok());
  ASSERT_TRUE((*db)->Rollback().ok());
  EXPECT_TRUE((*db)->PendingSwaps()->empty());
  EXPECT_TRUE((*db)->ListRuns()->empty());
  ASSERT_TRUE((*db)->Begin().ok());
  ASSERT_TRUE((*db)->RecordRun("r1", "a", "b", "{}", "{}").ok());
  ASSERT_TRUE((*db)->SetPendingSwap({"r1", "/x/out.staging-1", "/x/out"}).ok());
  ASSERT_TRUE((*db)->Commit().ok());
  auto pending = (*db)->PendingSwaps();
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].staging, "/x/out.staging-1");
  EXPECT_TRUE((*db)->ListRuns()->at(0).outputs_pending);
  ASSERT_TRUE((*db)->ClearPendingSwap("r1").ok());
  EXPECT_TRUE((*db)->PendingSwaps()->empty());
}

}  // namespace
}  // namespace rollmatch
