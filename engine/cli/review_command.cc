// `rollmatch review import|list`: the staff's decisions on township flags.
//
//   rollmatch review import --config CONFIG FILE...   returned flags.xlsx / flags.csv → state database
//   rollmatch review list --config CONFIG             the stored decisions

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/cli/commands.h"
#include "engine/pipeline/run_config.h"
#include "engine/report/writers.h"
#include "engine/review/review_import.h"
#include "engine/state/run_lock.h"
#include "engine/state/state_db.h"

namespace rollmatch::cli {
namespace {

struct ReviewFlags {
  std::string config;
  ConfigOverrides overrides;
  std::vector<std::string> files;
  std::string township;
  bool all = false;
  bool dry_run = false;
};

std::string NowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf;
}

// An error message, line by line; ID numbers masked (no ID number in a log).
void PrintError(std::string_view message) {
  bool first = true;
  while (!message.empty()) {
    const size_t nl = message.find('\n');
    const std::string line = MaskIdNumbersInText(message.substr(0, nl));
    fmt::print(stderr, "{}{}\n", first ? "rollmatch: error: " : "  ", line);
    first = false;
    message = nl == std::string_view::npos ? std::string_view() : message.substr(nl + 1);
  }
}

std::string_view DecisionWord(std::string_view d) {
  if (d == "confirmed") return "确认";
  if (d == "dismissed") return "驳回";
  return d;
}

int ImportCommand(const ReviewFlags& flags) {
  auto cfg = LoadRunConfig(flags.config, flags.overrides);
  if (!cfg.ok()) {
    PrintError(cfg.status().message());
    return 1;
  }
  // A nightly run replaces OUT/flags.jsonl and reads the decisions: an import
  // waits for no run, it is refused while one holds the lock (and a run started
  // during the import is refused in the same way).
  auto lock = RunLock::Acquire(cfg->state_path);
  if (!lock.ok()) {
    PrintError(lock.status().message());
    return 1;
  }
  const std::string flags_jsonl = (std::filesystem::path(cfg->out_dir) / "flags.jsonl").string();
  auto known = ReadKnownFlags(flags_jsonl);
  if (!known.ok()) {
    PrintError(known.status().message());
    return 1;
  }
  // Everything is read and checked before the state database is opened.
  auto plan = PlanReviewImport(flags.files, *known, NowIso());
  if (!plan.ok()) {
    PrintError(plan.status().message());
    return 1;
  }
  for (const std::string& w : plan->warnings)
    fmt::print(stderr, "rollmatch: warning: {}\n", MaskIdNumbersInText(w));

  auto state = StateDb::Open(cfg->state_path);
  if (!state.ok()) {
    PrintError(state.status().message());
    return 1;
  }
  auto stored = (*state)->LoadDecisions();
  if (!stored.ok()) {
    PrintError(stored.status().message());
    return 1;
  }
  // A decision already stored with the same word and note is not stored again.
  std::vector<ReviewDecision> changed;
  size_t unchanged = 0, confirmed = 0, dismissed = 0;
  for (const ReviewDecision& d : plan->decisions) {
    auto it = stored->find(d.flag_id);
    if (it != stored->end() && it->second.decision == d.decision && it->second.note == d.note) {
      ++unchanged;
      continue;
    }
    (d.decision == "confirmed" ? confirmed : dismissed)++;
    changed.push_back(d);
  }
  if (!flags.dry_run && !changed.empty()) {
    Status s = (*state)->StoreDecisions(changed);
    if (!s.ok()) {
      PrintError(s.message());
      fmt::print(stderr, "rollmatch: nothing was stored\n");
      return 1;
    }
  }
  fmt::print(
      "rollmatch review import: {} file{}, {} rows: {} decision{} {} ({} 确认, {} 驳回), {} unchanged, {} "
      "rows "
      "without a decision\n",
      plan->files, plan->files == 1 ? "" : "s", plan->rows, changed.size(), changed.size() == 1 ? "" : "s",
      flags.dry_run ? "to store (dry run, nothing stored)" : "stored", confirmed, dismissed, unchanged,
      plan->rows_without_decision);
  if (!flags.dry_run && !changed.empty()) {
    fmt::print(
        "the next `rollmatch run` shows them in the 已确认 / 已驳回 sections of the township reports\n");
  }
  return 0;
}

int ListCommand(const ReviewFlags& flags) {
  auto cfg = LoadRunConfig(flags.config, flags.overrides);
  if (!cfg.ok()) {
    PrintError(cfg.status().message());
    return 1;
  }
  std::error_code ec;
  if (!std::filesystem::exists(cfg->state_path, ec)) {
    fmt::print("no decisions stored yet ({} does not exist)\n", cfg->state_path);
    return 0;
  }
  auto state = StateDb::Open(cfg->state_path);
  if (!state.ok()) {
    PrintError(state.status().message());
    return 1;
  }
  std::vector<ReviewDecision> rows;
  if (flags.all) {
    auto history = (*state)->DecisionHistory();
    if (!history.ok()) {
      PrintError(history.status().message());
      return 1;
    }
    rows = std::move(history).value();
  } else {
    auto latest = (*state)->LoadDecisions();
    if (!latest.ok()) {
      PrintError(latest.status().message());
      return 1;
    }
    for (auto& [id, d] : *latest) rows.push_back(std::move(d));
  }
  // Code and name from the latest run, when the flag is still in it.
  KnownFlags known;
  if (auto k = ReadKnownFlags((std::filesystem::path(cfg->out_dir) / "flags.jsonl").string()); k.ok()) {
    known = std::move(k).value();
  }
  size_t shown = 0;
  fmt::print("flag_id\tdecision\ttownship\tcode\tname\tdecided_at\tfile\tnote\n");
  for (const ReviewDecision& d : rows) {
    if (!flags.township.empty() && d.township != flags.township) continue;
    auto it = known.find(d.flag_id);
    const std::string code = it == known.end() ? "(not in the latest run)" : it->second.code;
    const std::string name = it == known.end() ? "" : it->second.name;
    std::string note = d.note;
    for (char& c : note) {
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    }
    fmt::print("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", d.flag_id, DecisionWord(d.decision), d.township, code,
               name, d.decided_at, std::filesystem::path(d.source_file).filename().string(),
               MaskIdNumbersInText(note));
    ++shown;
  }
  fmt::print(stderr, "{} decision{}{}\n", shown, shown == 1 ? "" : "s",
             flags.all ? " (every one stored)" : "");
  return 0;
}

void AddConfigOptions(CLI::App* cmd, ReviewFlags* flags) {
  cmd->add_option("--config", flags->config,
                  "the run configuration (JSON): where OUT and the state database are")
      ->required();
  cmd->add_option("--out", flags->overrides.out, "output folder (overrides \"out\")");
  cmd->add_option("--state", flags->overrides.state, "state database (overrides \"state\")");
}

}  // namespace

void AddReviewCommand(CLI::App& app, int* exit_code) {
  CLI::App* review = app.add_subcommand("review", "the staff's decisions on township flags (确认 / 驳回)");
  review->require_subcommand(1);

  auto import_flags = std::make_shared<ReviewFlags>();
  CLI::App* import = review->add_subcommand(
      "import",
      "store the decisions of returned township files (flags.xlsx / flags.csv); all files or nothing");
  AddConfigOptions(import, import_flags.get());
  import->add_option("files", import_flags->files, "returned flags.xlsx or flags.csv files")->required();
  import->add_flag("--dry-run", import_flags->dry_run, "check the files and say what would be stored");
  import->callback([import_flags, exit_code] { *exit_code = ImportCommand(*import_flags);
});

auto list_flags = std::make_shared<ReviewFlags>();
CLI::App* list = review->add_subcommand("list", "print the stored decisions (tab-separated)");
AddConfigOptions(list, list_flags.get());
list->add_option("--township", list_flags->township, "only this township (9 digits)");
list->add_flag("--all", list_flags->all,
               "every decision stored, oldest first (default: the latest per flag)");
list->callback([list_flags, exit_code] { *exit_code = ListCommand(*list_flags); });
}  // namespace rollmatch::cli

}  // namespace rollmatch::cli
