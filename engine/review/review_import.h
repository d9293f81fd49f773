#pragma once
// The review loop's way in: the staff's returned township files (flags.xlsx
// or flags.csv with 处理意见 filled in) → validated decisions for the
// state database. Everything is checked before anything is stored:
//   - every 标识 with a decision is a flag of the latest run (OUT/flags.jsonl);
//   - every decision word is one of 确认 / 已确认 / confirmed, 驳回 / 已驳回 /
//     dismissed (case-insensitive; empty = no decision);
//   - every row belongs to the file's township (a 9-digit code in the file
//     name, else in its folder's name, else the XLSX document property);
//   - the 身份证号 column still holds each flag's ID number (or its masked
//     form from a --redact run): Excel turning it into 3.2E+17, or rows
//     pasted from elsewhere, are refused;
//   - no flag gets two different decisions.
// An ID number typed into a note is masked (first 6 and last 4 kept): the
// state database holds no ID number.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/status.h"
#include "engine/state/state_db.h"

namespace rollmatch {

// What the importer needs of one flag of OUT/flags.jsonl.
struct KnownFlag {
  std::string code;
  std::vector<std::string> townships;
  std::string id_number;
  std::string name;
};
using KnownFlags = std::unordered_map<std::string, KnownFlag>;  // by flag_id

// Reads OUT/flags.jsonl. NotFound when there is no run yet; Corrupt names
// the line of a malformed object.
Result<KnownFlags> ReadKnownFlags(const std::string& flags_jsonl);

// "confirmed" / "dismissed" for the accepted words, "" for empty text,
// nullopt for anything else.
std::optional<std::string> ParseDecisionWord(std::string_view text);

// The 9-digit township code a file's name (else its folder's name) carries,
// as a run of exactly 9 digits, or "".
std::string TownshipFromPath(const std::string& path);

struct ImportPlan {
  std::vector<ReviewDecision> decisions;  // one per flag_id, in file order
  size_t files = 0;
  size_t rows = 0;                   // data rows read
  size_t rows_without_decision = 0;  // rows left empty in 处理意见
  std::vector<std::string> warnings;
};

// Most problems listed in one error.
inline constexpr size_t kMaxImportProblems = 30;

// Reads and validates every file against `flags`. Returns InvalidArgument
// whose message lists every problem found (one per line, each naming the
// file, sheet, row and column; at most kMaxImportProblems) when anything is
// wrong; then nothing may be stored. `decided_at` is stamped on every
// decision; source_file is the file's absolute path.
Result<ImportPlan> PlanReviewImport(const std::vector<std::string>& files, const KnownFlags& flags,
                                    const std::string& decided_at);

}  // namespace rollmatch
