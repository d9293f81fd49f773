#pragma once
// The run configuration (spec/feeds.md "The run configuration"): a JSON
// object read from `rollmatch run --config FILE.json`, with command-line
// overrides. Relative paths are relative to the configuration file; they
// may lead out of its folder through ".." (feeds kept in a sibling folder),
// and absolute paths are fine, but no feed, "out" or "state" path may lie
// (after following symbolic links) in /proc, /sys or /dev.

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/date.h"
#include "engine/core/feed.h"
#include "engine/core/status.h"
#include "engine/report/writers.h"
#include "ingest/feed_reader.h"

namespace rollmatch {

struct RunConfig {
  std::string config_path;  // as given
  std::string base_dir;     // the configuration file's folder
  std::string config_json;  // the file's text, for the manifest

  std::string scope;
  Date election_day;
  Date previous_election_day;
  std::array<std::vector<FeedFile>, kNumFeeds> feeds;
  std::array<bool, kNumFeeds> present = {};
  std::string out_dir;     // resolved
  std::string state_path;  // resolved
  double max_reject_ratio = 0.01;

  int threads = 0;  // 0 = all cores
  std::string resolver = "probabilistic";
  ReportOptions report;
  // When set, the record → person assignment is written here as CSV
  // (feed,record_id,person_id): for evaluations against a known truth.
  std::string persons_out;
  // Called at each named point of a run ("ingest", "resolve", "write",
  // "state", "swap", "cleanup": see RunNightly) when set: the CLI uses it
  // to pause there for the crash tests (ROLLMATCH_TEST_PAUSE_AT).
  std::function<void(std::string_view point)> at_point;
  // Set by the CLI, whose process ends right after the run: the persons and
  // flags of a successful run are then left to the process's end instead of
  // being freed object by object (2.3 s at ten million persons; the kernel
  // takes back the whole heap in a fraction of that). A library caller
  // running many nights in one process leaves it unset.
  bool leave_memory_to_exit = false;
};

// Command-line values that replace configuration keys when set.
struct ConfigOverrides {
  std::optional<std::string> scope, election_day, previous_election_day, out, state, resolver;
  std::optional<double> max_reject_ratio;
};

// Reads and validates the configuration. Errors name the file and say what
// is wrong: unreadable file, not JSON, a missing required key or feed, a
// scope that is not a 2/6/9-digit region prefix, a date that is not a date,
// a path in /proc, /sys or /dev.
Result<RunConfig> LoadRunConfig(const std::string& path, const ConfigOverrides& overrides);

}  // namespace rollmatch
