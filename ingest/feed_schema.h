#pragma once
// The fields of each feed (spec/feeds.md), by index. A FeedTable stores the
// fields of its feed in this order, whatever the column order of the file.

#include <string_view>
#include <vector>

#include "engine/core/feed.h"

namespace rollmatch {

struct FieldSpec {
  std::string_view name;
  bool required;
};

// Field indices. Index 0 is always the row key (record_id, or district_code
// for the districts feed).
namespace hukou_field {
enum : int { kRecordId, kIdNumber, kName, kFormerNames, kGender, kBirthDate, kEthnicity, kHouseholdId,
             kRegionCode, kAddress, kStatus, kStatusDate, kCount };
}
namespace migrant_field {
enum : int { kRecordId, kIdNumber, kName, kGender, kBirthDate, kHukouRegionCode, kResidenceRegionCode,
             kAddress, kRegisteredDate, kExpiryDate, kCount };
}
namespace social_field {
enum : int { kRecordId, kIdNumber, kName, kGender, kBirthDate, kInsuredRegionCode, kEmployer, kStatus,
             kLastPaid, kCount };
}
namespace roll_field {
enum : int { kRecordId, kIdNumber, kName, kGender, kBirthDate, kDistrictCode, kRegionCode, kBasis,
             kRegisteredDate, kCount };
}
namespace rights_field {
enum : int { kRecordId, kIdNumber, kName, kKind, kFromDate, kToDate, kCount };
}
namespace districts_field {
enum : int { kDistrictCode, kDistrictName, kTownshipCode, kKind, kRegionCodes, kCount };
}

// The fields of `feed`, in index order (names as in the contract).
const std::vector<FieldSpec>& FieldsOf(Feed feed);

}  // namespace rollmatch
