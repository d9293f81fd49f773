#pragma once
// The normalized records of every feed: what the resolver and the rules
// work on. Raw text stays in the FeedTables (record ids, values as typed,
// source lines); here each row is parsed and normalized once.

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/core/date.h"
#include "engine/core/feed.h"
#include "engine/core/status.h"
#include "engine/core/text_arena.h"
#include "engine/normalize/citizen_id.h"
#include "engine/normalize/codes.h"
#include "engine/normalize/name_normalizer.h"
#include "ingest/feed_table.h"
#include "ingest/reject.h"

namespace rollmatch {

// The normalized records hold their texts as Text handles into the
// Dataset's arena (8 bytes each, no heap block per value): a record is only
// valid with the Dataset it came from. Members are ordered so that the
// one-byte and four-byte fields fill the gaps.

// The identity fields every person feed carries.
struct PersonFields {
  Text name;  // normalized (NameNormalizer)
  CitizenId id;
  Date birth_date;  // unknown when empty or impossible
  Gender gender = Gender::kUnknown;
};

// 公安户籍: the authority on identity and on where the hukou is.
struct HukouRecord : PersonFields {
  HukouStatus status = HukouStatus::kNormal;
  Date status_date;
  Text region;            // 户籍地 region code (cleaned: ASCII, no spaces)
  Text household_id;      // cleaned
  TextList former_names;  // 曾用名, normalized
};

// 流动人口/居住证.
struct MigrantRecord : PersonFields {
  Date registered_date;
  Date expiry_date;  // unknown = no expiry
  Text hukou_region;
  Text residence_region;
};

// 人社参保.
struct SocialRecord : PersonFields {
  SocialStatus status = SocialStatus::kActive;
  Date last_paid;
  Text insured_region;
};

// 选民名册: one registration.
struct RollRecord : PersonFields {
  Basis basis = Basis::kHukou;
  Date registered_date;
  Text district_code;
  Text region;
};

// A rights restriction covering [from, to] (unknown ends are open).
struct RightsRecord : PersonFields {
  RightsKind kind = RightsKind::kDeprived;
  Date from;
  Date to;
};

// 选区.
struct District {
  std::string code;
  std::string name;
  std::string township;  // 9 digits
  DistrictKind kind = DistrictKind::kArea;
  std::vector<std::string> regions;  // 12-digit (or shorter) codes covered
};

// Move-only: the records point into `texts`.
class Dataset {
 public:
  // After BuildDataset the tables keep only what is read after
  // normalization (see BuildDataset): row keys, file statistics, source lines.
  std::array<FeedTable, kNumFeeds> tables = {FeedTable(Feed::kHukou),  FeedTable(Feed::kMigrant),
                                             FeedTable(Feed::kSocial), FeedTable(Feed::kRoll),
                                             FeedTable(Feed::kRights), FeedTable(Feed::kDistricts)};
  // Which feeds the configuration supplied (optional feeds may be absent).
  std::array<bool, kNumFeeds> present = {};

  std::vector<HukouRecord> hukou;
  std::vector<MigrantRecord> migrant;
  std::vector<SocialRecord> social;
  std::vector<RollRecord> roll;
  std::vector<RightsRecord> rights;
  std::vector<District> districts;
  std::unordered_map<std::string, uint32_t> district_index;  // code → index in districts
  TextArena texts;                                           // the records' texts

  const FeedTable& table(Feed f) const { return tables[FeedIndex(f)]; }
  std::string_view record_id(RecordRef r) const { return table(r.feed).key(r.row); }
  // REQUIRES: r.feed is a person feed (not districts), r.row in range.
  const PersonFields& person_fields(RecordRef r) const;
  // Number of rows of a person feed.
  uint32_t num_records(Feed f) const;
  // The district with this code, or nullptr.
  const District* FindDistrict(std::string_view code) const;
};

// Parses and normalizes every row of `tables` into a Dataset. Rows whose
// coded values cannot be understood (a hukou status, rights kind, basis or
// district kind that is not a word of the contract) become rejects too:
// they are removed from the table and counted as rejected in its FileStats.
// Values that can be read but are wrong (bad ID, impossible date, unknown
// district) are kept. Then each table keeps only its row keys and the raw
// values that evidence quotes (the roll's birth_date as typed, for
// WRONG_DETAILS): FeedTable::Get() of any other field is empty afterwards.
Result<Dataset> BuildDataset(std::array<FeedTable, kNumFeeds> tables, std::array<bool, kNumFeeds> present,
                             const NameNormalizer& names, std::vector<Reject>* rejects);

}  // namespace rollmatch
