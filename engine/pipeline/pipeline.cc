#include "engine/pipeline/pipeline.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "engine/core/hash.h"
#include "engine/core/process_usage.h"
#include "engine/normalize/dataset.h"
#include "engine/normalize/name_keys.h"
#include "engine/normalize/name_normalizer.h"
#include "engine/pipeline/flag_history.h"
#include "engine/pipeline/run_commit.h"
#include "engine/report/html_report.h"
#include "engine/report/json_writer.h"
#include "engine/report/write_jobs.h"
#include "engine/report/writers.h"
#include "engine/resolve/resolver.h"
#include "engine/state/run_lock.h"
#include "engine/state/state_db.h"
#include "ingest/feed_reader.h"
#include "rules/rule_engine.h"

#ifndef ROLLMATCH_VERSION
#define ROLLMATCH_VERSION "0.0.0"
#endif

namespace rollmatch {
namespace fs = std::filesystem;

namespace {

// Recording the flag history costs about half of writing flags.jsonl per
// flag (the write jobs' costs, engine/report/write_jobs.h, order the jobs).
constexpr double kHistoryCostPerFlag = 0.6;

using Clock = std::chrono::steady_clock;

std::string NowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf;
}

// Times one stage and reports it.
class StageClock {
 public:
  StageClock(std::vector<StageTiming>* out, const ProgressFn& progress) : out_(out), progress_(progress) {}
  void Start(std::string name) {
    name_ = std::move(name);
    start_ = Clock::now();
    start_cpu_ = CpuSeconds();
    if (progress_) progress_(name_, "start");
  }
  void Stop(uint64_t items, const std::string& message = "") {
    const double s = std::chrono::duration<double>(Clock::now() - start_).count();
    out_->push_back({name_, s, items, CurrentRssBytes(), PeakRssBytes(), HeapInUseBytes(), CpuSeconds() - start_cpu_});
    if (progress_) progress_(name_, message.empty() ? "done" : message);
  }

 private:
  std::vector<StageTiming>* out_;
  const ProgressFn& progress_;
  std::string name_;
  Clock::time_point start_;
  double start_cpu_ = 0;
};

Status WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Status::IoError(path + ": cannot create file");
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.flush();
  if (!f) return Status::IoError(path + ": write failed (disk full?)");
  return Status::Ok();
}

// Checks one feed's reject ratio against the limit.
Status CheckRejectRatio(Feed feed, const FeedTable& table, const std::vector<Reject>& rejects, double limit) {
  const uint64_t read = table.rows_read(), rejected = table.rows_rejected();
  if (read == 0 || static_cast<double>(rejected) <= limit * static_cast<double>(read)) return Status::Ok();
  std::string first;
  for (const Reject& r : rejects) {
    if (r.feed == feed) {
      first = r.file + ":" + std::to_string(r.line) + ": " + r.reason;
      break;
    }
  }
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.2f%%", 100.0 * static_cast<double>(rejected) / static_cast<double>(read));
  return Status::LimitExceeded(std::string(FeedName(feed)) + ": " + std::to_string(rejected) + " of " +
                               std::to_string(read) + " rows rejected (" + ratio + "), over max_reject_ratio " +
                               std::to_string(limit) + "; first: " + first);
}

// Empty inputs (issue 7). A 0-byte file is an export that went wrong (a CSV
// file holds at least its header): an error, whatever the feed. A hukou or
// districts feed without any row would flag every registration: an error.
// An empty roll is a real situation (before a drive's first registrations:
// everyone eligible is missing) and, like a file of an optional feed
// without rows (a CSV header only), allowed with a warning.
Status CheckFeedsNotEmpty(const RunConfig& cfg, const std::array<FeedTable, kNumFeeds>& tables,
                          std::vector<std::string>* warnings) {
  for (Feed f : kAllFeeds) {
    if (!cfg.present[FeedIndex(f)]) continue;
    const FeedTable& t = tables[FeedIndex(f)];
    for (const FileStats& file : t.files()) {
      if (file.size_bytes == 0) {
        return Status::InvalidArgument(file.name +
                                       ": empty file (0 bytes); a feed with no rows is a CSV file holding only "
                                       "its header, or an optional feed left out of the configuration");
      }
    }
    const bool required = f == Feed::kHukou || f == Feed::kDistricts;
    if (required && t.rows_read() == 0) {
      std::string names;
      for (const FileStats& file : t.files()) names += (names.empty() ? "" : ", ") + file.name;
      return Status::InvalidArgument(std::string(FeedName(f)) + ": no rows in " + names +
                                     " (the hukou and districts feeds cannot be empty)");
    }
    for (const FileStats& file : t.files()) {
      if (file.rows_read == 0) warnings->push_back(file.name + ": no rows (" + std::string(FeedName(f)) + ")");
    }
  }
  return Status::Ok();
}

void FeedStatsJson(JsonWriter& w, const FeedTable& t) {
  w.BeginObject();
  w.Key("rows_read"); w.Uint(t.rows_read());
  w.Key("rows_used"); w.Uint(t.rows_used());
  w.Key("rows_rejected"); w.Uint(t.rows_rejected());
  w.Key("files");
  w.BeginArray();
  for (const FileStats& fs : t.files()) {
    w.BeginObject();
    w.Key("name"); w.String(fs.name);
    w.Key("encoding"); w.String(fs.encoding);
    w.Key("size_bytes"); w.Uint(fs.size_bytes);
    w.Key("xxh3_64"); w.String(HashHex(fs.content_hash));
    w.Key("rows_read"); w.Uint(fs.rows_read);
    w.Key("rows_used"); w.Uint(fs.rows_used);
    w.Key("rows_rejected"); w.Uint(fs.rows_rejected);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

// About how long reading the files of a feed takes, as bytes of plain UTF-8
// text: gzip data inflates to several times its size (and one thread
// inflates a stream), GB18030 is decoded first. Only to order the work.
double IngestCost(const std::vector<FeedFile>& files) {
  double cost = 0;
  for (const FeedFile& f : files) {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(f.path.empty() ? f.name : f.path, ec);
    if (ec) continue;
    double factor = 1;
    const std::string& path = f.path.empty() ? f.name : f.path;
    if (path.size() >= 3 && (path.compare(path.size() - 3, 3, ".gz") == 0 || path.compare(path.size() - 3, 3, ".GZ") == 0)) {
      factor *= 6;
    }
    if (!f.encoding.empty() && f.encoding != "UTF-8" && f.encoding != "utf-8" && f.encoding != "UTF8") factor *= 2;
    cost += factor * static_cast<double>(size);
  }
  return cost;
}

}  // namespace

Result<Analysis> AnalyzeFeeds(const RunConfig& cfg, const ProgressFn& progress) {
  Analysis a;
  StageClock clock(&a.stages, progress);
  // 1. Ingest every feed (in parallel), while the name tables are built.
  clock.Start("ingest");
  std::array<FeedTable, kNumFeeds> tables = {FeedTable(Feed::kHukou),  FeedTable(Feed::kMigrant),
                                             FeedTable(Feed::kSocial), FeedTable(Feed::kRoll),
                                             FeedTable(Feed::kRights), FeedTable(Feed::kDistricts)};
  std::array<Status, kNumFeeds> feed_status;
  std::array<std::vector<Reject>, kNumFeeds> feed_rejects;
  Result<std::unique_ptr<NameNormalizer>> names = Status::Internal("name tables not built");
  Result<std::unique_ptr<NameKeys>> name_keys = Status::Internal("name keys not built");
  {
    // The feeds and the name tables, longest first: whichever thread is
    // free takes the next, so that a long one never starts last (the JSON
    // Lines feeds are also read by several threads at once, ReadFeed).
    struct Job {
      double cost;  // estimated, in bytes of plain UTF-8 feed text
      std::function<void()> run;
    };
    std::vector<Job> jobs;
    // The name tables take about as long as reading that much feed text.
    jobs.push_back({10e6, [&] { names = NameNormalizer::Create(); }});
    if (cfg.resolver != "exact-id") jobs.push_back({100e6, [&] { name_keys = NameKeys::Create(); }});
    for (int fi = 0; fi < kNumFeeds; ++fi) {
      if (!cfg.present[fi]) continue;
      jobs.push_back({IngestCost(cfg.feeds[fi]), [&, fi] {
                        auto table = ReadFeed(static_cast<Feed>(fi), cfg.feeds[fi], &feed_rejects[fi]);
                        if (!table.ok()) {
                          feed_status[fi] = table.status();
                          return;
                        }
                        tables[fi] = std::move(table).value();
                      }});
    }
    std::stable_sort(jobs.begin(), jobs.end(), [](const Job& x, const Job& y) { return x.cost > y.cost; });
    std::atomic<size_t> next{0};
    tbb::parallel_for(
        tbb::blocked_range<size_t>(0, jobs.size(), 1),
        [&](const tbb::blocked_range<size_t>& r) {
          for (size_t k = r.begin(); k != r.end(); ++k) jobs[next++].run();
        },
        tbb::simple_partitioner());
  }
  for (const Status& s : feed_status) RM_RETURN_IF_ERROR(s);
  if (!names.ok()) return names.status();
  RM_RETURN_IF_ERROR(CheckFeedsNotEmpty(cfg, tables, &a.warnings));
  for (auto& v : feed_rejects) {
    for (Reject& r : v) a.rejects.push_back(std::move(r));
  }
  uint64_t rows = 0;
  for (const FeedTable& t : tables) rows += t.rows_read();
  clock.Stop(rows, std::to_string(rows) + " rows read");
  if (cfg.at_point) cfg.at_point("ingest");

  // 2. Normalize.
  clock.Start("normalize");
  RM_ASSIGN_OR_RETURN(a.data, BuildDataset(std::move(tables), cfg.present, **names, &a.rejects));
  for (Feed f : kAllFeeds) {
    RM_RETURN_IF_ERROR(CheckRejectRatio(f, a.data.table(f), a.rejects, cfg.max_reject_ratio));
  }
  uint64_t records = 0;
  for (const FeedTable& t : a.data.tables) {
    a.rows_read += t.rows_read();
    a.rows_used += t.rows_used();
    a.rows_rejected += t.rows_rejected();
    records += t.num_rows();
  }
  clock.Stop(records);

  // 3. Resolve persons.
  clock.Start("resolve");
  std::unique_ptr<Resolver> resolver;
  if (cfg.resolver == "exact-id") {
    resolver = MakeExactIdResolver();
  } else if (cfg.resolver == "probabilistic") {
    if (!name_keys.ok()) return name_keys.status();
    resolver = MakeProbabilisticResolver(**name_keys, ProbabilisticOptions());
  } else {
    return Status::InvalidArgument("unknown resolver \"" + cfg.resolver + "\" (use probabilistic or exact-id)");
  }
  a.resolver_name = std::string(resolver->name());
  RM_ASSIGN_OR_RETURN(a.resolution, resolver->Resolve(a.data));
  clock.Stop(records, std::to_string(a.resolution.num_persons) + " persons");
  if (cfg.at_point) cfg.at_point("resolve");
  if (!cfg.persons_out.empty()) {
    std::string text = "feed,record_id,person_id\n";
    for (int fi = 0; fi < kNumPersonFeeds; ++fi) {
      const Feed f = static_cast<Feed>(fi);
      for (uint32_t row = 0; row < a.data.num_records(f); ++row) {
        text += FeedName(f);
        text += ',';
        text += a.data.record_id({f, row});
        text += ',';
        text += std::to_string(a.resolution.person_of[fi][row]);
        text += '\n';
      }
    }
    RM_RETURN_IF_ERROR(WriteTextFile(cfg.persons_out, text));
  }

  // 4. Rules.
  clock.Start("rules");
  RuleConfig rule_cfg{cfg.scope, cfg.election_day, cfg.previous_election_day};
  a.rules = ApplyRules(a.data, a.resolution, rule_cfg);
  clock.Stop(a.rules.persons, std::to_string(a.rules.flags.size()) + " flags");
  if (a.rules.roll_in_scope == 0 && a.rules.eligible_persons == 0) {
    a.warnings.push_back("no roll record and no eligible person lies inside scope " + cfg.scope +
                               ": check the scope and the feeds");
  }
  return a;
}

Result<RunSummary> RunNightly(const RunConfig& cfg, const ProgressFn& progress) {
  const auto t0 = Clock::now();
  const std::string started_at = NowIso();
  RunSummary summary;
  std::unique_ptr<tbb::global_control> threads;
  if (cfg.threads > 0)
    threads = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    static_cast<size_t>(cfg.threads));
  const int thread_count = static_cast<int>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  StageClock clock(&summary.stages, progress);
  auto at = [&](std::string_view point) {
    if (cfg.at_point) cfg.at_point(point);
  };

  // 0. One run at a time per state database (a second one fails at once); a
  // run killed after its commit is finished first; the staging folder is
  // made before any work, so that an unwritable output folder fails at once
  // (engine/pipeline/run_commit.h).
  RM_ASSIGN_OR_RETURN(RunLock lock, RunLock::Acquire(cfg.state_path));
  RM_ASSIGN_OR_RETURN(std::unique_ptr<StateDb> state, StateDb::Open(cfg.state_path));
  RM_RETURN_IF_ERROR(RepairInterruptedRuns(*state, cfg.out_dir, &summary.warnings));
  RM_ASSIGN_OR_RETURN(StagingFolder staging_folder, StagingFolder::Create(cfg.out_dir));
  const std::string staging = staging_folder.path();
  summary.run_id = started_at.substr(0, 19) + "-" + HashHex(Hash64(started_at + std::to_string(::getpid()))).substr(0, 8);

  // 1–4. Ingest, normalize, resolve persons, apply the rules.
  RM_ASSIGN_OR_RETURN(Analysis analysis, AnalyzeFeeds(cfg, progress));
  for (StageTiming& t : analysis.stages) summary.stages.push_back(std::move(t));
  for (std::string& w : analysis.warnings) summary.warnings.push_back(std::move(w));
  summary.rows_read = analysis.rows_read;
  summary.rows_used = analysis.rows_used;
  summary.rows_rejected = analysis.rows_rejected;
  const Dataset& data = analysis.data;
  const Resolution& resolution = analysis.resolution;
  RulesOutput& ruled = analysis.rules;
  const std::vector<Reject>& rejects = analysis.rejects;

  // 5. Review decisions from the state database.
  clock.Start("state");
  RM_ASSIGN_OR_RETURN(auto decisions, state->LoadDecisions());
  for (Flag& f : ruled.flags) {
    auto it = decisions.find(f.flag_id);
    if (it != decisions.end()) f.review = it->second.decision;
  }
  // Flags across nights: person keys, first seen, new since the previous run.
  AssignPersonKeys(data, resolution, &ruled.flags);
  RM_ASSIGN_OR_RETURN(FlagHistoryMarks marks,
                      MarkFlagsAgainstHistory(*state, summary.run_id, started_at.substr(0, 10), &ruled.flags));
  clock.Stop(decisions.size());

  // 6. Write every output into a staging folder beside the old one. The
  // state transaction that ends at the commit point opens now: the flag
  // history is recorded as one more job beside the files.
  clock.Start("write");
  std::error_code ec;
  RM_RETURN_IF_ERROR(state->Begin());
  auto fail = [&](Status s) {  // staging_folder removes the folder
    state->Rollback();
    return s;
  };
  // The township reports and the county overview (issue 5).
  ReportContext report_ctx{summary.run_id, started_at.substr(0, 10), cfg.scope, cfg.election_day.ToString(),
                           cfg.previous_election_day.ToString(), resolution.estimates, {}, marks.previous_run, {}};
  for (const auto& [flag_id, d] : decisions)
    report_ctx.decisions[flag_id] = {d.decision, d.note, d.decided_at, d.source_file};
  for (const ResolvedFlag& r : marks.resolved) report_ctx.resolved_by_township[r.township]++;
  fs::create_directories(staging + "/townships", ec);
  // Every output file is a job writing from read-only results; the jobs run
  // side by side, the largest first (engine/report/write_jobs.h). The first
  // error in this order is reported.
  const auto by_township = FlagsByTownship(data, ruled.flags);
  const double num_flags = static_cast<double>(ruled.flags.size());
  std::vector<WriteJob> jobs = {
      {num_flags * kJsonlCostPerFlag, [&] { return WriteFlagsJsonl(staging + "/flags.jsonl", data, ruled.flags); }},
      {1.0, [&] { return WriteStatsCsv(staging + "/stats.csv", ruled.stats); }},
      {1.0, [&] { return WriteStatsJson(staging + "/stats.json", ruled.stats); }},
      {static_cast<double>(rejects.size()) * kJsonlCostPerFlag,
       [&] { return WriteRejectsJsonl(staging + "/rejects.jsonl", rejects); }},
  };
  for (WriteJob& job : TownshipWriteJobs(staging, data, ruled, by_township, report_ctx, cfg.report))
    jobs.push_back(std::move(job));
  jobs.push_back(
      {num_flags * 0.1, [&] { return WriteSummaryHtml(staging + "/summary.html", data, ruled, report_ctx); }});
  jobs.push_back({num_flags * kHistoryCostPerFlag, [&] {
                    return state->RecordFlags(summary.run_id, started_at.substr(0, 10), marks.previous_run,
                                              FlagHistoryRows(ruled.flags));
                  }});
  Status ws = RunWriteJobs(jobs);
  if (ws.ok()) at("write");
  if (!ws.ok()) return fail(ws);
  for (const Flag& f : ruled.flags) summary.flags_by_code[static_cast<int>(f.code)]++;
  for (const RegionStats& r : ruled.stats) {
    if (r.level == "scope") {
      summary.eligible_hukou = r.eligible_hukou;
      summary.registered_hukou = r.registered_hukou;
    }
  }
  summary.persons = ruled.persons;
  summary.eligible_persons = ruled.eligible_persons;
  clock.Stop(ruled.flags.size());

  // 7. The manifest, then the swap and the state update.
  summary.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  summary.peak_rss_bytes = PeakRssBytes();
  const std::string finished_at = NowIso();
  std::string manifest;
  JsonWriter w(&manifest);
  w.BeginObject();
  w.Key("run_id"); w.String(summary.run_id);
  w.Key("program"); w.String("rollmatch");
  w.Key("version"); w.String(ROLLMATCH_VERSION);
  w.Key("started_at"); w.String(started_at);
  w.Key("finished_at"); w.String(finished_at);
  w.Key("config_file"); w.String(cfg.config_path);
  w.Key("config");
  w.BeginObject();
  w.Key("scope"); w.String(cfg.scope);
  w.Key("election_day"); w.String(cfg.election_day.ToString());
  w.Key("previous_election_day"); w.String(cfg.previous_election_day.ToString());
  w.Key("out"); w.String(cfg.out_dir);
  w.Key("state"); w.String(cfg.state_path);
  w.Key("max_reject_ratio"); w.Double(cfg.max_reject_ratio);
  w.Key("resolver"); w.String(analysis.resolver_name);
  w.Key("threads"); w.Int(thread_count);
  w.EndObject();
  w.Key("feeds");
  w.BeginObject();
  for (Feed f : kAllFeeds) {
    if (!cfg.present[FeedIndex(f)]) continue;
    w.Key(FeedName(f));
    FeedStatsJson(w, data.table(f));
  }
  w.EndObject();
  w.Key("rows_read"); w.Uint(summary.rows_read);
  w.Key("rows_used"); w.Uint(summary.rows_used);
  w.Key("rows_rejected"); w.Uint(summary.rows_rejected);
  w.Key("persons_resolved"); w.Uint(resolution.num_persons);
  w.Key("eligible_persons"); w.Uint(ruled.eligible_persons);
  w.Key("roll_records_in_scope"); w.Uint(ruled.roll_in_scope);
  w.Key("roll_records_out_of_scope"); w.Uint(ruled.roll_out_of_scope);
  w.Key("resolution");
  w.BeginObject();
  for (const auto& [k, v] : resolution.counters) {
    w.Key(k);
    w.Uint(v);
  }
  w.Key("possible_matches"); w.Uint(resolution.possible_matches.size());
  for (const auto& [k, v] : resolution.figures) {
    w.Key(k);
    w.Double(v);
  }
  w.Key("estimates_by_township");
  w.BeginArray();
  for (const ErrorEstimate& e : resolution.estimates) {
    w.BeginObject();
    w.Key("township"); w.String(e.township);
    w.Key("links"); w.Uint(e.links);
    w.Key("rejected_pairs"); w.Uint(e.rejected_pairs);
    w.Key("expected_false_links"); w.Double(e.expected_false_links);
    w.Key("expected_missed_links"); w.Double(e.expected_missed_links);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.Key("flags_by_code");
  w.BeginObject();
  for (FlagCode c : kAllFlagCodes) {
    w.Key(FlagCodeName(c));
    w.Uint(summary.flags_by_code[static_cast<int>(c)]);
  }
  w.EndObject();
  w.Key("three_increases");
  w.BeginObject();
  w.Key("rights_restored"); w.Uint(ruled.increase_rights_restored);
  w.Key("new_adult"); w.Uint(ruled.increase_new_adult);
  w.Key("moved_in"); w.Uint(ruled.increase_moved_in);
  w.Key("other_missing"); w.Uint(ruled.increase_other);
  w.EndObject();
  w.Key("three_decreases");
  w.BeginObject();
  w.Key("deceased"); w.Uint(summary.flags_by_code[static_cast<int>(FlagCode::kWrongDeceased)]);
  w.Key("moved_out"); w.Uint(summary.flags_by_code[static_cast<int>(FlagCode::kWrongMovedOut)]);
  w.Key("no_rights"); w.Uint(summary.flags_by_code[static_cast<int>(FlagCode::kWrongNoRights)]);
  w.EndObject();
  w.Key("flag_history");
  w.BeginObject();
  w.Key("previous_run"); w.String(marks.previous_run);
  w.Key("new"); w.Uint(marks.new_flags);
  w.Key("resolved"); w.Uint(marks.resolved.size());
  w.EndObject();
  w.Key("stages");
  w.BeginArray();
  for (const StageTiming& st : summary.stages) {
    w.BeginObject();
    w.Key("stage"); w.String(st.stage);
    w.Key("seconds"); w.Double(st.seconds);
    w.Key("items"); w.Uint(st.items);
    w.Key("items_per_second"); w.Double(st.seconds > 0 ? static_cast<double>(st.items) / st.seconds : 0.0);
    w.Key("rss_after_mib"); w.Uint(st.rss_after_bytes >> 20);
    w.Key("peak_rss_mib"); w.Uint(st.peak_rss_after_bytes >> 20);
    w.Key("heap_mib"); w.Uint(st.heap_after_bytes >> 20);
    w.Key("cpu_seconds"); w.Double(st.cpu_seconds);
    w.EndObject();
  }
  w.EndArray();
  w.Key("seconds"); w.Double(summary.seconds);
  w.Key("peak_rss_bytes"); w.Uint(summary.peak_rss_bytes);
  w.Key("warnings");
  w.BeginArray();
  for (const std::string& s : summary.warnings) w.String(s);
  w.EndArray();
  w.EndObject();
  Status ms = WriteResolvedFlagsJsonl(staging + "/resolved_flags.jsonl", marks.resolved);
  if (ms.ok()) ms = WriteTextFile(staging + "/manifest.json", manifest + "\n");
  if (!ms.ok()) return fail(ms);

  std::string stats_json;
  {
    std::ifstream in(staging + "/stats.json", std::ios::binary);
    stats_json.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // The persons and flags are no longer needed: they are freed (or left to
  // the process's end, RunConfig::leave_memory_to_exit), and the new outputs
  // synced to disk, side by side with the recording below (with --threads 1
  // both run at the wait, one after the other).
  auto finished = std::make_unique<Analysis>(std::move(analysis));
  Status synced;
  tbb::task_group background;
  background.run([&synced, &staging] { synced = SyncTree(staging); });
  if (!cfg.leave_memory_to_exit) background.run([&finished] { finished.reset(); });
  // The commit point: the run, its flag history (recorded while writing)
  // and the swap still to do, in one transaction (engine/pipeline/run_commit.h),
  // committed once the outputs are on disk.
  Status ss = state->RecordRun(summary.run_id, started_at, finished_at, manifest, stats_json);
  if (ss.ok()) ss = state->SetPendingSwap({summary.run_id, staging, cfg.out_dir});
  background.wait();
  if (ss.ok()) ss = synced;
  if (ss.ok()) at("state");
  if (ss.ok()) ss = state->Commit();
  if (!ss.ok()) return fail(ss);
  staging_folder.Keep();
  if (cfg.leave_memory_to_exit) {
    // Still reachable from here, so leak checkers do not report it.
    static Analysis* left_to_exit = nullptr;
    left_to_exit = finished.release();
  }
  at("swap");
  bool exchanged = false;
  Status sw = SwapIn(staging, cfg.out_dir, &exchanged);
  if (sw.ok()) sw = SyncParent(cfg.out_dir);
  if (!sw.ok()) {
    return Status::IoError(sw.message() + "; run " + summary.run_id + " is recorded and its outputs wait in " +
                           staging + ": the next run puts them in place");
  }
  at("cleanup");
  if (exchanged) fs::remove_all(staging, ec);
  // A marker left here (an error now) is cleared by the next run's repair.
  if (!state->ClearPendingSwap(summary.run_id).ok()) {
    summary.warnings.push_back("the state database still marks run " + summary.run_id +
                               " as not swapped in; the next run clears it");
  }
  summary.out_dir = cfg.out_dir;
  return summary;
}

}  // namespace rollmatch
