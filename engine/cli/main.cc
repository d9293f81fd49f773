// The `rollmatch` executable: subcommands → exit code. The only place that
// prints or exits; each subcommand is in its own *_command.cc.

#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include "engine/cli/commands.h"

int main(int argc, char** argv) {
  // Everything rollmatch creates (outputs, the state database, its folders)
  // holds personal data: readable by its owner only (0700 / 0600).
  ::umask(077);
  CLI::App app{"rollmatch: checks a voter roll (选民名册) against population records"};
  app.require_subcommand(1);
  int exit_code = 0;
  rollmatch::cli::AddRunCommand(app, &exit_code);
  rollmatch::cli::AddReviewCommand(app, &exit_code);
  rollmatch::cli::AddHistoryCommand(app, &exit_code);
  rollmatch::cli::AddProvinceCommands(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
