// `rollmatch run`: configuration → pipeline → summary and exit code.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <filesystem>
#include <iostream>

#include "engine/pipeline/pipeline.h"
#include "engine/pipeline/run_config.h"
#include "engine/cli/commands.h"
#include "engine/cli/run_display.h"
#include "engine/state/state_db.h"
#include "engine/report/writers.h"
#include "rules/flag.h"

namespace rollmatch::cli {
namespace {

struct RunFlags {
  std::string config;
  ConfigOverrides overrides;
  int threads = 0;
  bool quiet = false;
  bool verbose = false;
  bool show_rights_kind = false;
  bool redact = false;
  std::string persons_out;
};

// A message from the library as one line of log: line ends and other
// control characters shown as \xNN, and anything shaped like an ID number
// (15 or more digits) masked, so that no ID number reaches a log (issue 7).
std::string ForLog(std::string_view message) {
  std::string line;
  for (char c : message) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      line += fmt::format("\\x{:02X}", u);
    } else {
      line.push_back(c);
    }
  }
  return MaskIdNumbersInText(line);
}

int RunCommand(const RunFlags& flags_in) {
  // Paths typed on the command line are relative to the current folder
  // (those in the configuration file are relative to that file).
  RunFlags flags = flags_in;
  for (std::optional<std::string>* p : {&flags.overrides.out, &flags.overrides.state}) {
    if (*p && !p->value().empty()) *p = std::filesystem::absolute(p->value()).lexically_normal().string();
  }
  auto cfg = LoadRunConfig(flags.config, flags.overrides);
  if (!cfg.ok()) {
    fmt::print(stderr, "rollmatch: error: {}\n", ForLog(cfg.status().message()));
    return 1;
  }
  cfg->threads = flags.threads;
  cfg->report.show_rights_kind = flags.show_rights_kind;
  cfg->report.redact = flags.redact;
  cfg->persons_out = flags.persons_out;
  cfg->at_point = TestPauseHookFromEnvironment();
  cfg->leave_memory_to_exit = true;  // the process ends after the run
  // On a terminal, the time left is estimated from the previous run's stages.
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  std::vector<std::pair<std::string, double>> expected;
  if (terminal && !flags.quiet && std::filesystem::exists(cfg->state_path)) {
    if (auto state = StateDb::Open(cfg->state_path); state.ok()) {
      if (auto stages = (*state)->LastRunStageSeconds(); stages.ok()) expected = std::move(*stages);
    }
  }
  RunDisplay display(flags.quiet, flags.verbose, terminal, std::move(expected));
  auto result = RunNightly(*cfg, display.Callback());
  display.Finish();
  if (!result.ok()) {
    // One line. A failed run changed nothing (engine/pipeline/run_commit.h),
    // unless it was recorded and only its swap failed, as its message says.
    const std::string& msg = result.status().message();
    fmt::print(stderr, "rollmatch: error: {}{}\n", ForLog(msg),
               msg.find(" is recorded and its outputs wait in ") == std::string::npos
                   ? " (the previous outputs and state were left as they were)"
                   : "");
    return 1;
  }
  const RunSummary& s = *result;
  for (const std::string& w : s.warnings) fmt::print(stderr, "rollmatch: warning: {}\n", ForLog(w));
  if (flags.quiet) return 0;
  fmt::print("rollmatch run {}: {} rows read, {} used, {} rejected; {} persons, {} eligible\n", s.run_id,
             s.rows_read, s.rows_used, s.rows_rejected, s.persons, s.eligible_persons);
  fmt::print("flags:\n");
  for (FlagCode c : kAllFlagCodes) {
    fmt::print("  {:<18} {:<24} {:>8}\n", FlagCodeName(c), FlagLabel(c), s.flags_by_code[static_cast<int>(c)]);
  }
  if (s.eligible_hukou > 0) {
    fmt::print("registration rate (hukou): {}/{} = {:.2f}%\n", s.registered_hukou, s.eligible_hukou,
               100.0 * static_cast<double>(s.registered_hukou) / static_cast<double>(s.eligible_hukou));
  }
  fmt::print("took {:.2f} s, peak memory {:.1f} MiB\n", s.seconds, static_cast<double>(s.peak_rss_bytes) / 1048576.0);
  fmt::print("outputs: {}/ (summary.html, flags.jsonl, stats.csv, townships/<code>/{{report.html,flags.xlsx,flags.csv}}, "
             "manifest.json, rejects.jsonl)\n",
             s.out_dir);
  return 0;
}

}  // namespace

void AddRunCommand(CLI::App& app, int* exit_code) {
  auto run = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand("run", "run the nightly job on the feeds named by a configuration");
  cmd->add_option("--config", run->config, "the run configuration (JSON)")->required();
  cmd->add_option("--out", run->overrides.out, "output folder (overrides \"out\")");
  cmd->add_option("--state", run->overrides.state, "state database (overrides \"state\")");
  cmd->add_option("--scope", run->overrides.scope, "region-code prefix checked (overrides \"scope\")");
  cmd->add_option("--election-day", run->overrides.election_day, "YYYY-MM-DD (overrides \"election_day\")");
  cmd->add_option("--previous-election-day", run->overrides.previous_election_day, "YYYY-MM-DD");
  cmd->add_option("--max-reject-ratio", run->overrides.max_reject_ratio, "0..1 (overrides \"max_reject_ratio\")");
  cmd->add_option("--resolver", run->overrides.resolver,
                  "person resolution: probabilistic (default) or exact-id (the first version, for comparison)");
  cmd->add_option("--threads", run->threads, "worker threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--quiet", run->quiet, "print only errors");
  cmd->add_flag("--verbose", run->verbose, "print every stage start and end");
  cmd->add_flag("--show-rights-kind", run->show_rights_kind,
                "show the kind of rights restriction in township reports");
  cmd->add_flag("--redact", run->redact, "mask ID numbers in township reports (first 6 and last 4 kept)");
  cmd->add_option("--persons-out", run->persons_out,
                  "write the record → person assignment (feed,record_id,person_id) to this CSV, for evaluations");
  cmd->callback([run, exit_code] { *exit_code = RunCommand(*run); });
}

}  // namespace rollmatch::cli

