// The `rollmatch` executable: subcommands → exit code. The only place that
// prints or exits; each subcommand is in its own *_command.cc.

#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <string>

#include "engine/cli/commands.h"

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Large runs spend much of their time on random reads across gigabytes of
// records (the resolver's pairs, the rules' persons); on 4 KiB pages those
// miss the TLB. glibc's malloc asks for transparent huge pages when its
// tunable glibc.malloc.hugetlb is 1 — 10% less wall time at ten million
// persons (bench/README.md) — but reads its tunables only when a process
// starts. So the program starts itself once more with the tunable added,
// unless it is already set (to any value: GLIBC_TUNABLES=glibc.malloc.hugetlb=0
// turns this off), the malloc is a sanitizer's, or /proc/self/exe cannot be
// run (then it simply goes on).
void RestartWithHugePages(char** argv) {
  if (kSanitized) return;
  const char* current = std::getenv("GLIBC_TUNABLES");
  std::string tunables = current != nullptr ? current : "";
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;
  tunables += (tunables.empty() ? "" : ":") + std::string("glibc.malloc.hugetlb=1");
  if (::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Not restarted: go on as we are, without leaving the tunable for children.
  if (current != nullptr) {
    ::setenv("GLIBC_TUNABLES", current, 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
}

// On huge pages, memory handed back to the system and taken again is zeroed
// 2 MiB at a time: that was a third of the ingest stage (its 4 MiB pieces
// come and go). Freed memory stays in the process instead: blocks up to
// 32 MiB come from the heap, whose top is given back only past 256 MiB.
// (mallopt fixes both thresholds; glibc would otherwise move them.)
void KeepFreedMemory() {
  if (kSanitized) return;
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  RestartWithHugePages(argv);
  KeepFreedMemory();
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
