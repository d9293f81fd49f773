#include "ingest/feed_schema.h"

namespace rollmatch {

const std::vector<FieldSpec>& FieldsOf(Feed feed) {
  // Field order must match the enums in feed_schema.h.
  static const std::vector<FieldSpec> kHukou = {
      {"record_id", true},   {"id_number", true},   {"name", true},       {"former_names", false},
      {"gender", false},     {"birth_date", false}, {"ethnicity", false}, {"household_id", false},
      {"region_code", true}, {"address", false},    {"status", false},    {"status_date", false},
  };
  static const std::vector<FieldSpec> kMigrant = {
      {"record_id", true},
      {"id_number", false},
      {"name", true},
      {"gender", false},
      {"birth_date", false},
      {"hukou_region_code", false},
      {"residence_region_code", true},
      {"address", false},
      {"registered_date", false},
      {"expiry_date", false},
  };
  static const std::vector<FieldSpec> kSocial = {
      {"record_id", true}, {"id_number", false},  {"name", true},
      {"gender", false},   {"birth_date", false}, {"insured_region_code", true},
      {"employer", false}, {"status", false},     {"last_paid", false},
  };
  static const std::vector<FieldSpec> kRoll = {
      {"record_id", true},    {"id_number", false},  {"name", true},
      {"gender", false},      {"birth_date", false}, {"district_code", true},
      {"region_code", false}, {"basis", false},      {"registered_date", false},
  };
  static const std::vector<FieldSpec> kRights = {
      {"record_id", true}, {"id_number", false}, {"name", true},
      {"kind", true},      {"from_date", false}, {"to_date", false},
  };
  static const std::vector<FieldSpec> kDistricts = {
      {"district_code", true}, {"district_name", false}, {"township_code", true},
      {"kind", false},         {"region_codes", true},
  };
  switch (feed) {
    case Feed::kHukou:
      return kHukou;
    case Feed::kMigrant:
      return kMigrant;
    case Feed::kSocial:
      return kSocial;
    case Feed::kRoll:
      return kRoll;
    case Feed::kRights:
      return kRights;
    case Feed::kDistricts:
      return kDistricts;
  }
  return kHukou;
}

}  // namespace rollmatch
