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
// own. Each flag is one element carrying data-flag-id="<flag_id>": a <tr>
// of its village's table, or a <tbody> when ShownInFull(). Flags new since
// the previous run are marked 新.
//
// summary.html: registration rate per township as an SVG bar chart with
// the county average, flags per code and township, 三增三减, review
// progress, flags new and resolved since the previous run, rejects per
// feed, and links to each township's report.
// Numbers carry data-region / data-col attributes naming the stats.csv cell
// they show; the new and resolved counts carry data-region and
// data-history="new" / "resolved".

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
  // Since the previous night (engine/pipeline/flag_history.h): its run id
  // ("" on the first run: then no flag is marked new), and how many of its
  // flags are gone (resolved_flags.jsonl), by attributed township.
  std::string previous_run;
  std::map<std::string, uint64_t> resolved_by_township;
};

// Below this confidence a flag is marked 请核实 (as in flags.csv).
inline constexpr double kVerifyBelowConfidence = 0.9;

// Whether report.html shows an open flag in full — every record involved,
// each with its own values and why it was matched — because a person must
// judge it: a DUPLICATE (which registration to keep), a confidence below
// kVerifyBelowConfidence (请核实), a record linked in the resolver's review
// band (0.5 ≤ p < 0.99: 可能为同一人), or — for a finding that rests on a
// record not being matched (WRONG_NOT_FOUND, MISSING_*) — a record whose
// best unlinked candidate lies in that band. Every other flag is one table
// row: the person, the flagged record (a registration with its district),
// the confidence and the finding in words.
bool ShownInFull(const Flag& f);

// Writes report.html in OUT/townships/<township>/ for every township with a
// flag (the folders of WriteTownshipCsvs). IoError names the file.
Status WriteTownshipReports(const std::string& out_dir, const Dataset& data, const RulesOutput& rules,
                            const ReportContext& context, const ReportOptions& options);

// One township's page written to `path` (its folder must exist).
Status WriteTownshipReport(const std::string& path, const std::string& township, const Dataset& data,
                           const RulesOutput& rules, const std::vector<const Flag*>& flags,
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
