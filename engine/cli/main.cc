// The `rollmatch` executable: subcommands → exit code. The only place that
// prints or exits; each subcommand is in its own *_command.cc.

#include <CLI/CLI.hpp>

#include "engine/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"rollmatch: checks a voter roll (选民名册) against population records"};
  app.require_subcommand(1);
  int exit_code = 0;
  rollmatch::cli::AddRunCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
