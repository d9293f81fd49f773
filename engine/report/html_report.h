#pragma once
// The township review report, OUT/townships/<township>/report.html, and
// the county overview, OUT/summary.html: self-contained pages in Chinese
// (inline CSS and SVG; no script, font, image or link that needs the
// network), printable on A4 (running page header with township, run date
// and page numbers; no flag or table row cut across pages).
//
// report.html: summary counts first (by category and code, 三增三减, the
// registration rate of the township and its villages, the model's
// self-estimated error rates), then the open flags grouped by category and
// village, then the confirmed and the dismissed flags in sections of their
// own. Each flag is one element carrying data-flag-id="<flag_id>".
//
// summary.html: registration rate per township as an SVG bar chart with
// the county average, flags per code and township, 三增三减, review
// progress, rejects per feed, and links to each township's report.
// Numbers carry data-region / data-col attributes naming the stats.csv cell
// they show.

#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/normalize/dataset.h"
#include "engine/report/writers.h"
#include "engine/resolve/resolution.h"
#include "rules/rule_engine.h"

namespace rollmatch {

// The staff decision behind a Flag::review that is not "open".
struct ReviewNote {
  std::string decision;  // confirmed, dismissed
  std::string note;
  std::string decided_at;
  std::string source_file;
};

// What the pages show besides the flags and statistics.
struct ReportContext {
  std::string run_id;
  std::string run_date;                         // YYYY-MM-DD, in every page header
  std::string scope;                            // region-code prefix of the run
  std::string election_day;                     // YYYY-MM-DD
  std::string previous_election_day;            // "" when not configured
  std::vector<ErrorEstimate> estimates;         // the resolver's, by township
  std::map<std::string, ReviewNote> decisions;  // by flag_id
};

// Below this confidence a flag is marked 请核实 (as in flags.csv).
inline constexpr double kVerifyBelowConfidence = 0.9;

// Writes report.html in OUT/townships/<township>/ for every township with a
// flag (the folders of WriteTownshipCsvs). IoError names the file.
Status WriteTownshipReports(const std::string& out_dir, const Dataset& data, const RulesOutput& rules,
                            const ReportContext& context, const ReportOptions& options);

// One township's page: `flags` are that township's (FlagsByTownship).
std::string TownshipReportHtml(const std::string& township, const Dataset& data, const RulesOutput& rules,
                               const std::vector<const Flag*>& flags, const ReportContext& context,
                               const ReportOptions& options);

// OUT/summary.html.
Status WriteSummaryHtml(const std::string& path, const Dataset& data, const RulesOutput& rules,
                        const ReportContext& context);
std::string SummaryHtml(const Dataset& data, const RulesOutput& rules, const ReportContext& context);

}  // namespace rollmatch
