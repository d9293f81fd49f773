#pragma once
// Each `rollmatch` subcommand lives in its own file and registers itself on
// the CLI11 app; the callback it sets returns the process exit code through
// *exit_code. Only engine/cli prints or exits.

#include <CLI/CLI.hpp>

namespace rollmatch::cli {

// `rollmatch run --config FILE`: the nightly job.
void AddRunCommand(CLI::App& app, int* exit_code);
// `rollmatch review import|list --config FILE`: the staff's decisions.
void AddReviewCommand(CLI::App& app, int* exit_code);
// `rollmatch history --config FILE`: the recorded runs and their changes.
void AddHistoryCommand(CLI::App& app, int* exit_code);
// `rollmatch stats merge`, `export-fingerprints`, `crosscheck`: the province.
void AddProvinceCommands(CLI::App& app, int* exit_code);

}  // namespace rollmatch::cli
