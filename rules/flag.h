#pragma once
// Flags: the findings of the rules (spec/rules.md §3). Codes are fixed;
// labels and suggested actions are for people (Chinese).

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/feed.h"
#include "engine/normalize/codes.h"
#include "engine/resolve/resolution.h"

namespace rollmatch {

enum class FlagCode : uint8_t {
  kWrongNotFound,
  kWrongDeceased,
  kWrongNoRights,
  kWrongUnderage,
  kWrongMovedOut,
  kWrongDistrict,
  kWrongDetails,
  kDuplicate,
  kMissingEligible,
  kMissingMigrant,
};
inline constexpr int kNumFlagCodes = 10;
inline constexpr std::array<FlagCode, kNumFlagCodes> kAllFlagCodes = {
    FlagCode::kWrongNotFound, FlagCode::kWrongDeceased, FlagCode::kWrongNoRights,  FlagCode::kWrongUnderage,
    FlagCode::kWrongMovedOut, FlagCode::kWrongDistrict, FlagCode::kWrongDetails,   FlagCode::kDuplicate,
    FlagCode::kMissingEligible, FlagCode::kMissingMigrant};

std::string_view FlagCodeName(FlagCode code);   // "WRONG_NOT_FOUND"
std::string_view FlagCategory(FlagCode code);   // "wrong", "duplicate", "missing"
std::string_view FlagCategoryLabel(FlagCode code);  // 错登 / 重登 / 漏登
std::string_view FlagLabel(FlagCode code);      // 查无此人 ...
std::string_view FlagAction(FlagCode code);     // 核实后删除 / 更正登记信息 / 补登 / 联系本人
// True for the six eligibility codes of which a roll record gets at most one.
bool IsEligibilityCode(FlagCode code);

// One field of a registration that differs from the authority.
struct FieldDiff {
  std::string field;  // id_number, name, birth_date, gender
  std::string registered;
  std::string authoritative;
};

// A record's link to the person, as evidence.
struct RecordLink {
  RecordRef record;
  LinkExplanation why;
};

struct Evidence {
  std::optional<RightsKind> kind;                 // WRONG_NO_RIGHTS
  std::vector<FieldDiff> fields;                  // WRONG_DETAILS
  std::vector<std::string> acceptable_districts;  // WRONG_DISTRICT
  std::string registered_district;                // WRONG_DISTRICT
  std::string reason;                             // MISSING_ELIGIBLE: rights_restored, new_adult, moved_in, other
  std::vector<RecordLink> links;                  // the match behind each record
  std::string words;                              // the finding in plain Chinese
};

// The authoritative identity of a person, normalized.
struct PersonSummary {
  std::string id_number;
  std::string name;
  std::string birth_date;
  std::string gender;
};

struct Flag {
  FlagCode code = FlagCode::kWrongNotFound;
  RecordRef subject;
  std::vector<RecordRef> records;  // registrations first, then matched source records
  std::optional<RecordRef> keep;   // DUPLICATE only
  std::string township;            // attributed township (9 digits)
  std::vector<std::string> townships;  // every township that should see it
  std::string village;             // the subject's village/region code, for grouping
  std::string district;            // the subject registration's district code, if any
  PersonId person = 0;
  PersonSummary summary;
  double confidence = 1.0;
  Evidence evidence;
  std::string flag_id;  // stable fingerprint (16 hex)
  std::string review = "open";
  // Across nights (engine/pipeline/flag_history.h): the person's stable key
  // (a hash, no ID number), the first run that raised this flag_id and its
  // date, and whether the previous run did not raise it.
  std::string person_key;
  std::string first_run;
  std::string first_seen;  // YYYY-MM-DD
  bool is_new = true;
};

}  // namespace rollmatch
