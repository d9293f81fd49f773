// `rollmatch history --config FILE`: the recorded runs with their key
// figures and the change since the run before each (三增三减, flags, and
// the flags new and resolved since the previous run). Reads the state
// database only; a run in progress is not disturbed.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/cli/commands.h"
#include "engine/cli/run_display.h"
#include "engine/pipeline/run_config.h"
#include "engine/state/state_db.h"

namespace rollmatch::cli {
namespace {

struct HistoryFlags {
  std::string config;
  ConfigOverrides overrides;
  size_t last = 0;
};

std::string Signed(int64_t d) { return d > 0 ? "+" + std::to_string(d) : std::to_string(d); }

std::string Rate(const RunRecord& r) {
  if (r.eligible_hukou == 0) return "-";
  return fmt::format("{:.2f}%",
                     100.0 * static_cast<double>(r.registered_hukou) / static_cast<double>(r.eligible_hukou));
}

uint64_t Increases(const RunRecord& r) {
  return r.inc_rights_restored + r.inc_new_adult + r.inc_moved_in + r.inc_other;
}
uint64_t Decreases(const RunRecord& r) { return r.dec_deceased + r.dec_moved_out + r.dec_no_rights; }

int HistoryCommand(const HistoryFlags& flags) {
  auto cfg = LoadRunConfig(flags.config, flags.overrides);
  if (!cfg.ok()) {
    fmt::print(stderr, "rollmatch: error: {}\n", LogText(cfg.status().message()));
    return 1;
  }
  std::error_code ec;
  if (!std::filesystem::exists(cfg->state_path, ec)) {
    fmt::print("no run recorded yet ({} does not exist)\n", cfg->state_path);
    return 0;
  }
  auto state = StateDb::Open(cfg->state_path);
  if (!state.ok()) {
    fmt::print(stderr, "rollmatch: error: {}\n", LogText(state.status().message()));
    return 1;
  }
  auto runs = (*state)->ListRuns();
  if (!runs.ok()) {
    fmt::print(stderr, "rollmatch: error: {}\n", LogText(runs.status().message()));
    return 1;
  }
  const size_t first = flags.last > 0 && runs->size() > flags.last ? runs->size() - flags.last : 0;
  // 三增: MISSING_ELIGIBLE by reason (new adults, moved in, rights restored,
  // other); 三减: WRONG_DECEASED, WRONG_MOVED_OUT, WRONG_NO_RIGHTS.
  fmt::print("{:<28} {:<19} {:>9} {:>9} {:>8} {:>7} {:>6} {:>7} {:>6} {:>7} {:>6} {:>6} {:>8}\n", "run_id",
             "started", "eligible", "register", "rate", "三增", "Δ", "三减", "Δ", "flags", "Δ", "new",
             "resolved");
  for (size_t i = first; i < runs->size(); ++i) {
    const RunRecord& r = (*runs)[i];
    const RunRecord* prev = i > 0 ? &(*runs)[i - 1] : nullptr;
    auto delta = [&](uint64_t now, uint64_t before) {
      return prev ? Signed(static_cast<int64_t>(now) - static_cast<int64_t>(before)) : std::string("-");
    };
    fmt::print("{:<28} {:<19} {:>9} {:>9} {:>8} {:>7} {:>6} {:>7} {:>6} {:>7} {:>6} {:>6} {:>8}{}\n",
               r.run_id, r.started_at.substr(0, 19), r.eligible_hukou, r.registered_hukou, Rate(r),
               Increases(r), delta(Increases(r), prev ? Increases(*prev) : 0), Decreases(r),
               delta(Decreases(r), prev ? Decreases(*prev) : 0), r.flags_total,
               delta(r.flags_total, prev ? prev->flags_total : 0),
               r.flags_new ? std::to_string(*r.flags_new) : "-",
               r.flags_resolved ? std::to_string(*r.flags_resolved) : "-",
               r.outputs_pending ? "  (outputs not yet swapped in: the next run does it)" : "");
  }
  if (!runs->empty()) {
    const RunRecord& r = runs->back();
    fmt::print(
        "\nlatest run {} (scope {}): 三增 new_adult {}, moved_in {}, rights_restored {}, other {}; "
        "三减 deceased {}, moved_out {}, no_rights {}\n",
        r.run_id, r.scope, r.inc_new_adult, r.inc_moved_in, r.inc_rights_restored, r.inc_other,
        r.dec_deceased, r.dec_moved_out, r.dec_no_rights);
    std::string codes;
    for (const auto& [code, n] : r.flags_by_code)
      codes += fmt::format("{}{} {}", codes.empty() ? "" : ", ", code, n);
    fmt::print("flags by code: {}\n", codes);
  }
  fmt::print(stderr, "{} run{} recorded in {}\n", runs->size(), runs->size() == 1 ? "" : "s",
             cfg->state_path);
  return 0;
}

}  // namespace

void AddHistoryCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<HistoryFlags>();
  CLI::App* cmd = app.add_subcommand(
      "history", "the recorded runs: key figures and the change since the run before (三增三减, flags)");
  cmd->add_option("--config", flags->config, "the run configuration (JSON): where the state database is")
      ->required();
  cmd->add_option("--state", flags->overrides.state, "state database (overrides \"state\")");
  cmd->add_option("--last", flags->last, "show only the last N runs");
  cmd->callback([flags, exit_code] { *exit_code = HistoryCommand(*flags); });
}

}  // namespace rollmatch::cli
