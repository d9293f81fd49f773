#pragma once
// The nightly run: feeds → ingest → normalize → resolve → rules → outputs,
// written beside the old output folder and swapped in only when complete.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/normalize/dataset.h"
#include "engine/pipeline/run_config.h"
#include "engine/resolve/resolution.h"
#include "ingest/reject.h"
#include "rules/flag.h"
#include "rules/rule_engine.h"

namespace rollmatch {

struct StageTiming {
  std::string stage;
  double seconds = 0;
  uint64_t items = 0;  // records handled by the stage
  // Memory when the stage ended: resident set, and the peak resident set so
  // far (the process's, so the stage's own peak when it is the largest yet).
  uint64_t rss_after_bytes = 0;
  uint64_t peak_rss_after_bytes = 0;
  uint64_t heap_after_bytes = 0;  // malloc'd, not freed, touched or not (glibc; else 0)
  double cpu_seconds = 0;         // user + system CPU time of the process during the stage
};

// What a finished run did (also in OUT/manifest.json).
struct RunSummary {
  std::string run_id;
  std::string out_dir;
  uint64_t rows_read = 0, rows_used = 0, rows_rejected = 0;
  uint64_t persons = 0;
  uint64_t eligible_persons = 0;
  std::array<uint64_t, kNumFlagCodes> flags_by_code = {};
  uint64_t eligible_hukou = 0, registered_hukou = 0;
  std::vector<StageTiming> stages;
  double seconds = 0;
  uint64_t peak_rss_bytes = 0;
  std::vector<std::string> warnings;
};

// Called at each stage start/end with a short message ("ingest", "read 2,000,000 rows").
using ProgressFn = std::function<void(std::string_view stage, std::string_view message)>;

// What the rules found in the feeds, before anything is written: stages 1–4
// of the nightly run (ingest, normalize, resolve, rules).
struct Analysis {
  Dataset data;
  Resolution resolution;
  RulesOutput rules;
  std::vector<Reject> rejects;
  std::vector<StageTiming> stages;
  std::vector<std::string> warnings;
  uint64_t rows_read = 0, rows_used = 0, rows_rejected = 0;
  std::string resolver_name;
};

// Stages 1–4 of RunNightly, for commands that need the persons and flags
// without writing outputs (export-fingerprints). Writes nothing (except
// config.persons_out when set) and takes no lock.
Result<Analysis> AnalyzeFeeds(const RunConfig& config, const ProgressFn& progress);

// Runs the whole nightly job. On any error the previous output folder and
// the state database are left as they were.
Result<RunSummary> RunNightly(const RunConfig& config, const ProgressFn& progress);

}  // namespace rollmatch
