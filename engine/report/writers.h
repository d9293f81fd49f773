#pragma once
// One writer per output file of spec/outputs.md. Each writes a whole file
// and returns IoError (naming the path) when it cannot.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/normalize/dataset.h"
#include "ingest/reject.h"
#include "rules/flag.h"
#include "rules/rule_engine.h"

namespace rollmatch {

struct ReportOptions {
  bool show_rights_kind = true;  // false: a township report says only 无选举权利
  bool redact = false;           // true: ID numbers masked (first 6 and last 4 kept)
};

// OUT/flags.jsonl: one JSON object per flag with every key of the contract.
Status WriteFlagsJsonl(const std::string& path, const Dataset& data, const std::vector<Flag>& flags);
// OUT/stats.csv (UTF-8 with BOM) and OUT/stats.json.
Status WriteStatsCsv(const std::string& path, const std::vector<RegionStats>& stats);
Status WriteStatsJson(const std::string& path, const std::vector<RegionStats>& stats);
// OUT/rejects.jsonl.
Status WriteRejectsJsonl(const std::string& path, const std::vector<Reject>& rejects);
// OUT/townships/<township>/flags.csv for every township with a flag (a
// flag appears in the folder of each of its `townships`).
Status WriteTownshipCsvs(const std::string& out_dir, const Dataset& data, const std::vector<Flag>& flags,
                         const ReportOptions& options);
// One township's flags.csv from its rows: rows[i] = TownshipRowValues of
// its i-th flag in report order (FlagsByTownship).
Status WriteTownshipCsvRows(const std::string& path, const std::vector<std::vector<std::string>>& rows);

// The columns of stats.csv / stats.json, in order: region_code, level, the
// counts and registration_rate of spec/rules.md §4, then one per flag code.
std::vector<std::string> StatsColumns();
// The header of a township flags.csv, in order.
const std::vector<std::string_view>& TownshipCsvColumns();
// The cells of one township row, in TownshipCsvColumns() order, as plain
// text: no CSV quoting, no spreadsheet escapes, the ID number without the
// CSV's leading TAB (flags.xlsx stores these as text cells).
std::vector<std::string> TownshipRowValues(const Dataset& data, const Flag& f, const ReportOptions& options);
// The flags of each township folder: a flag is in the folder of each of its
// `townships` (9-digit codes only, once each), in report order: category,
// village, code, subject record id, flag_id.
std::map<std::string, std::vector<const Flag*>> FlagsByTownship(const Dataset& data,
                                                                const std::vector<Flag>& flags);
// The finding in words as the township files show it: Flag::evidence.words;
// for WRONG_NO_RIGHTS only 无选举权利, unless options.show_rights_kind (then
// the words and the kind of restriction); ID numbers masked when redacting.
std::string EvidenceWords(const Flag& f, const ReportOptions& options);
// 待审核 / 已确认 / 已驳回 for a Flag::review value (other values unchanged).
std::string_view ReviewWord(std::string_view review);

// An ID number with all but its first 6 and last 4 characters replaced by
// '*' (320481********1014); a number of 10 characters or fewer is masked
// entirely. Counts UTF-8 characters, not bytes.
std::string MaskIdNumber(std::string_view id);
// `text` with every ID-number-like run (15 or more ASCII digits, optionally
// ending in X) masked as by MaskIdNumber: for free text such as evidence words.
std::string MaskIdNumbersInText(std::string_view text);

}  // namespace rollmatch
