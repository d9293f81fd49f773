// The province's commands (issue 6; engine/province):
//
//   rollmatch stats merge OUT... --out DIR [--scope 32]    county runs' statistics → the province's
//   rollmatch export-fingerprints --config C --secret-file F --out FILE
//                                                         a county's registrations as keyed fingerprints
//   rollmatch crosscheck FILE... --out DIR                 persons registered in two or more counties

#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/cli/commands.h"
#include "engine/cli/run_display.h"
#include "engine/pipeline/pipeline.h"
#include "engine/pipeline/run_config.h"
#include "engine/province/fingerprints.h"
#include "engine/province/stats_merge.h"

namespace rollmatch::cli {
namespace {

int Fail(const Status& s) {
  fmt::print(stderr, "rollmatch: error: {}\n", LogText(s.message()));
  return 1;
}

struct MergeFlags {
  std::vector<std::string> inputs;
  std::string out;
  std::string scope;
};

int StatsMerge(const MergeFlags& flags) {
  std::vector<CountyStats> inputs;
  for (const std::string& in : flags.inputs) {
    auto rows = ReadStatsJson((std::filesystem::path(in) / "stats.json").string());
    if (!rows.ok()) return Fail(rows.status());
    inputs.push_back({in, std::move(rows).value()});
  }
  std::string scope;
  auto merged = MergeCountyStats(inputs, flags.scope, &scope);
  if (!merged.ok()) return Fail(merged.status());
  Status s = WriteProvinceStats(flags.out, *merged, flags.inputs);
  if (!s.ok()) return Fail(s);
  const RegionStats& top = merged->front();
  fmt::print(
      "rollmatch stats merge: {} count{} → scope {}: {}/{} registered ({:.2f}%); {} rows in {}/stats.csv, "
      "stats.json, summary.html\n",
      inputs.size(), inputs.size() == 1 ? "y" : "ies", scope, top.registered_hukou, top.eligible_hukou,
      top.eligible_hukou ? 100.0 * static_cast<double>(top.registered_hukou) / top.eligible_hukou : 0.0,
      merged->size(), flags.out);
  return 0;
}

struct ExportFlags {
  std::string config;
  std::string secret_file;
  std::string out;
  int threads = 0;
  bool quiet = false;
};

int ExportFingerprints(const ExportFlags& flags) {
  auto cfg = LoadRunConfig(flags.config, ConfigOverrides());
  if (!cfg.ok()) return Fail(cfg.status());
  cfg->threads = flags.threads;
  auto secret = ReadSecretFile(flags.secret_file);
  if (!secret.ok()) return Fail(secret.status());
  RunDisplay display(flags.quiet, false, ::isatty(STDERR_FILENO) == 1, {});
  auto analysis = AnalyzeFeeds(*cfg, display.Callback());
  display.Finish();
  if (!analysis.ok()) return Fail(analysis.status());
  auto fp = ComputeFingerprints(*analysis, cfg->scope, *secret);
  if (!fp.ok()) return Fail(fp.status());
  Status s = WriteFingerprints(flags.out, fp->rows);
  if (!s.ok()) return Fail(s);
  if (!flags.quiet) {
    fmt::print(
        "rollmatch export-fingerprints: {} registrations in scope {}: {} fingerprints (key id {}), {} "
        "without a "
        "valid ID left out → {}\n",
        fp->registrations_in_scope, cfg->scope, fp->rows.size(), KeyId(*secret), fp->without_valid_id,
        flags.out);
  }
  return 0;
}

struct CrosscheckFlags {
  std::vector<std::string> files;
  std::string out;
};

int CrosscheckCommand(const CrosscheckFlags& flags) {
  auto result = Crosscheck(flags.files);
  if (!result.ok()) return Fail(result.status());
  Status s = WriteCrosscheck(flags.out, *result);
  if (!s.ok()) return Fail(s);
  fmt::print("rollmatch crosscheck: {} counties, {} persons registered in two or more counties\n",
             result->registrations.size(), result->persons);
  for (const auto& [county, n] : result->registrations) {
    auto it = result->by_county.find(county);
    const size_t concerned = it == result->by_county.end() ? 0 : it->second.size();
    fmt::print("  {}  {:>8} registrations  {:>6} concerned{}\n", county, n, concerned,
               concerned ? fmt::format(" → {}/{}.csv", flags.out, county) : "");
  }
  return 0;
}

}  // namespace

void AddProvinceCommands(CLI::App& app, int* exit_code) {
  CLI::App* stats = app.add_subcommand("stats", "statistics of several runs");
  stats->require_subcommand(1);
  auto merge = std::make_shared<MergeFlags>();
  CLI::App* m = stats->add_subcommand(
      "merge",
      "combine the stats of county runs (their OUT folders) into a province's: CSV, JSON, summary.html");
  m->add_option("inputs", merge->inputs, "the OUT folders of county runs")->required();
  m->add_option("--out", merge->out, "the folder to write")->required();
  m->add_option("--scope", merge->scope, "the province (or city) prefix; counties outside it are refused");
  m->callback([merge, exit_code] { *exit_code = StatsMerge(*merge); });

  auto exp = std::make_shared<ExportFlags>();
  CLI::App* e = app.add_subcommand(
      "export-fingerprints",
      "a county's in-scope registrations as keyed fingerprints (HMAC-SHA-256 of the ID), for the province");
  e->add_option("--config", exp->config, "the run configuration (JSON)")->required();
  e->add_option("--secret-file", exp->secret_file, "the province's secret (at least 16 bytes)")->required();
  e->add_option("--out", exp->out, "the CSV file to write")->required();
  e->add_option("--threads", exp->threads, "worker threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  e->add_flag("--quiet", exp->quiet, "print only errors");
  e->callback([exp, exit_code] { *exit_code = ExportFingerprints(*exp); });

  auto cc = std::make_shared<CrosscheckFlags>();
  CLI::App* c = app.add_subcommand(
      "crosscheck", "find persons registered in two or more counties from the counties' fingerprint files");
  c->add_option("files", cc->files, "the counties' fingerprint files")->required();
  c->add_option("--out", cc->out, "the folder to write (one CSV per county concerned)")->required();
  c->callback([cc, exit_code] { *exit_code = CrosscheckCommand(*cc); });
}

}  // namespace rollmatch::cli
