#pragma once
// What `rollmatch run` shows while it works (issue 6), and the pause points
// of the crash tests.
//
// On an interactive terminal (isatty(stderr)) the running stage is drawn as
// one line redrawn in place: a bar, the time spent, the rate (input rows
// per second) and the time left, estimated from the previous run's stage
// times in the state database (the same county's feeds change little from
// night to night); on the first run only the time spent is shown. Each
// finished stage leaves a timestamped line. Not on a terminal (nightly jobs,
// CI): only the timestamped lines, as before. --quiet shows nothing;
// --verbose adds the stage starts. Every message goes through LogText: no
// control characters and no ID number reach the terminal or a log.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "engine/pipeline/pipeline.h"

namespace rollmatch::cli {

// A message as one line of log: control characters shown as \xNN, runs of
// 15 or more digits masked as ID numbers.
std::string LogText(std::string_view message);

class RunDisplay {
 public:
  // `expected`: (stage, seconds) of the previous run, may be empty.
  RunDisplay(bool quiet, bool verbose, bool terminal, std::vector<std::pair<std::string, double>> expected);
  ~RunDisplay();
  RunDisplay(const RunDisplay&) = delete;
  RunDisplay& operator=(const RunDisplay&) = delete;

  // The pipeline's progress callback; valid while this object lives.
  ProgressFn Callback();
  // Clears the drawn line (before the run's own messages are printed).
  void Finish();

 private:
  using Clock = std::chrono::steady_clock;
  void OnProgress(std::string_view stage, std::string_view message);
  void Tick();
  void DrawLocked();
  void ClearLocked();
  double ExpectedSeconds(const std::string& stage) const;

  const bool quiet_, verbose_, terminal_;
  const std::vector<std::pair<std::string, double>> expected_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool drawn_ = false;
  std::string stage_;  // running stage, "" between stages
  Clock::time_point run_start_, stage_start_;
  std::vector<std::string> done_stages_;
  uint64_t rows_ = 0;  // input rows, once ingest is done
  std::thread ticker_;
};

// The crash tests' hook (tests/e2e/kill_test.py): with
// ROLLMATCH_TEST_PAUSE_AT=<point>[:<seconds>] in the environment, a run
// reaching that point (RunConfig::at_point) prints "rollmatch: test pause
// at <point> (pid N)" and sleeps (an hour by default). Empty when unset.
std::function<void(std::string_view)> TestPauseHookFromEnvironment();

}  // namespace rollmatch::cli
