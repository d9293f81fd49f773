#pragma once
// `rollmatch stats merge` (issue 6): the statistics of several county runs
// combined into a province's (spec/rules.md §4, "summed upward for a
// province").
//
// Each input is a county run's OUT folder (its stats.json). The result has
// the rows a province-wide run writes (rules/rule_engine.h): the scope row
// (the --scope prefix, else the counties' common 2-digit province code),
// one row per county (level `county`: the county run's scope row), then
// every township and village row as the county runs wrote them; counts and
// flag counts summed, registration rates recomputed from the sums by the
// writers. Inputs are refused when a county appears twice (overlapping
// inputs), lies outside the scope (a foreign county), or is not a county
// run (a scope of other than 6 digits).

#include <string>
#include <vector>

#include "engine/core/status.h"
#include "rules/rule_engine.h"

namespace rollmatch {

// One county run's statistics.
struct CountyStats {
  std::string source;  // the OUT folder, for messages
  std::vector<RegionStats> rows;
};

// Reads OUT/stats.json. Errors name the file.
Result<std::vector<RegionStats>> ReadStatsJson(const std::string& path);

// Combines `inputs`. `scope` may be empty (the common province). The
// chosen scope is stored in *scope_used.
Result<std::vector<RegionStats>> MergeCountyStats(const std::vector<CountyStats>& inputs,
                                                  const std::string& scope, std::string* scope_used);

// The province at a glance, self-contained (inline CSS and SVG, no
// script): registration rate per county as a bar chart with the province
// average, and a table per county of the counts, rate and flags. Numbers
// carry data-region / data-col attributes naming the stats.csv cell.
std::string ProvinceSummaryHtml(const std::vector<RegionStats>& stats,
                                const std::vector<std::string>& sources);

// Writes DIR/stats.csv, DIR/stats.json and DIR/summary.html (DIR created).
Status WriteProvinceStats(const std::string& dir, const std::vector<RegionStats>& stats,
                          const std::vector<std::string>& sources);

}  // namespace rollmatch
