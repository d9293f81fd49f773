#pragma once
// The write stage's work as jobs: each output file (or a township's pair of
// files) is a job with an expected cost, and the jobs run on the TBB
// threads longest first, each free thread taking the next one (greedy
// longest-processing-time scheduling). One large township's files then
// start at once instead of ending the stage alone on one thread, and no job
// waits for another.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/normalize/dataset.h"
#include "engine/report/html_report.h"
#include "engine/report/writers.h"
#include "rules/rule_engine.h"

namespace rollmatch {

struct WriteJob {
  double cost = 1.0;  // expected work, in a unit shared by the jobs of one run
  std::function<Status()> run;
};

// Expected cost per flag of each kind of job, relative to writing a flag's
// line of flags.jsonl (CPU time per flag measured at 1,000,000 persons).
inline constexpr double kJsonlCostPerFlag = 1.0;
inline constexpr double kTownshipTablesCostPerFlag = 6.0;  // flags.csv + flags.xlsx
inline constexpr double kTownshipHtmlCostPerFlag = 1.0;

// Runs every job, also after one fails, and returns the first error in the
// order of `jobs`. Thread safety: jobs run concurrently; each must write
// only its own files.
Status RunWriteJobs(const std::vector<WriteJob>& jobs);

// The jobs writing OUT/townships/<township>/ for each township of
// `by_township` (FlagsByTownship): one for flags.csv and flags.xlsx, whose
// rows are made once for both, and one for report.html. Everything passed
// is used by reference and must outlive the jobs.
std::vector<WriteJob> TownshipWriteJobs(const std::string& out_dir, const Dataset& data, const RulesOutput& rules,
                                        const std::map<std::string, std::vector<const Flag*>>& by_township,
                                        const ReportContext& context, const ReportOptions& options);

}  // namespace rollmatch
