#include "engine/normalize/dataset.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <string_view>
#include <utility>

#include "engine/core/check.h"
#include "ingest/feed_schema.h"

namespace rollmatch {
namespace {

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Codes (region, district, household): trimmed, full-width digits and
// letters (U+FF10–U+FF5A, 3-byte UTF-8 EF BC/BD xx) folded to ASCII, spaces
// (ASCII and U+3000) removed.
std::string CleanCode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (IsSpaceByte(static_cast<char>(c))) {
      ++i;
      continue;
    }
    if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x80) {  // U+3000
      i += 3;
      continue;
    }
    if (c == 0xEF && i + 2 < s.size()) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]), c2 = static_cast<unsigned char>(s[i + 2]);
      uint32_t cp = ((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        out.push_back(static_cast<char>(cp - 0xFF01 + 0x21));
        i += 3;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

Date ParseDateLenient(std::string_view text) {
  return Date::Parse(CleanCode(text));
}

template <typename Rec>
void FillPerson(const FeedTable& t, uint32_t row, int id_field, int name_field, int gender_field, int birth_field,
                const NameNormalizer& names, Rec* rec) {
  rec->id = NormalizeCitizenId(t.Get(row, id_field));
  rec->name = names.Normalize(t.Get(row, name_field));
  if (birth_field >= 0) rec->birth_date = ParseDateLenient(t.Get(row, birth_field));
  if (gender_field >= 0) rec->gender = ParseGender(t.Get(row, gender_field)).value_or(Gender::kUnknown);
}

// Builds a table holding only the rows not in `drop`, and records each
// dropped row as rejected in its file's counts.
FeedTable Filter(const FeedTable& t, const std::vector<bool>& drop) {
  FeedTable out(t.feed());
  out.mutable_files() = t.files();
  std::vector<std::string_view> values(static_cast<size_t>(t.num_fields()));
  for (uint32_t r = 0; r < t.num_rows(); ++r) {
    if (drop[r]) {
      FileStats& fs = out.mutable_files()[t.pos(r).file];
      fs.rows_used--;
      fs.rows_rejected++;
      continue;
    }
    for (int f = 0; f < t.num_fields(); ++f) values[static_cast<size_t>(f)] = t.Get(r, f);
    out.AddRow(values, t.pos(r));
  }
  return out;
}

// Runs fn(row) for every row, in parallel (each row writes only its own record).
template <typename Fn>
void ParallelRows(uint32_t n, Fn fn) {
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 4096), [&](const tbb::blocked_range<uint32_t>& range) {
    for (uint32_t r = range.begin(); r != range.end(); ++r) fn(r);
  });
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && IsSpaceByte(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpaceByte(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Validates the coded (enumerated) values of one feed; rows with words
// outside the contract are rejected. Returns per-row drop marks.
template <typename Check>
std::vector<bool> CheckCodes(const FeedTable& t, std::vector<Reject>* rejects, Check check) {
  std::vector<bool> drop(t.num_rows(), false);
  for (uint32_t r = 0; r < t.num_rows(); ++r) {
    std::string reason = check(r);
    if (reason.empty()) continue;
    drop[r] = true;
    Reject rj;
    rj.feed = t.feed();
    rj.file = t.files()[t.pos(r).file].name;
    rj.line = t.pos(r).line;
    rj.reason = std::move(reason);
    for (int f = 0; f < t.num_fields(); ++f) {
      if (f) rj.raw += ",";
      rj.raw += t.Get(r, f);
    }
    rejects->push_back(std::move(rj));
  }
  return drop;
}

std::string UnknownWord(std::string_view field, std::string_view value) {
  return "unknown " + std::string(field) + " '" + Trimmed(value) + "'";
}

}  // namespace

const PersonFields& Dataset::person_fields(RecordRef r) const {
  switch (r.feed) {
    case Feed::kHukou: return hukou[r.row];
    case Feed::kMigrant: return migrant[r.row];
    case Feed::kSocial: return social[r.row];
    case Feed::kRoll: return roll[r.row];
    case Feed::kRights: return rights[r.row];
    case Feed::kDistricts: break;
  }
  RM_CHECK(false) << "districts are not person records";
  return hukou[0];
}

uint32_t Dataset::num_records(Feed f) const {
  switch (f) {
    case Feed::kHukou: return static_cast<uint32_t>(hukou.size());
    case Feed::kMigrant: return static_cast<uint32_t>(migrant.size());
    case Feed::kSocial: return static_cast<uint32_t>(social.size());
    case Feed::kRoll: return static_cast<uint32_t>(roll.size());
    case Feed::kRights: return static_cast<uint32_t>(rights.size());
    case Feed::kDistricts: return static_cast<uint32_t>(districts.size());
  }
  return 0;
}

const District* Dataset::FindDistrict(std::string_view code) const {
  auto it = district_index.find(std::string(code));
  return it == district_index.end() ? nullptr : &districts[it->second];
}

Result<Dataset> BuildDataset(std::array<FeedTable, kNumFeeds> tables, std::array<bool, kNumFeeds> present,
                             const NameNormalizer& names, std::vector<Reject>* rejects) {
  Dataset ds;
  ds.present = present;
  // 1. Reject rows whose coded values are not words of the contract.
  auto reject_unknown = [&](Feed feed, int field, std::string_view field_name, auto parse) {
    FeedTable& t = tables[FeedIndex(feed)];
    auto drop = CheckCodes(t, rejects, [&](uint32_t r) -> std::string {
      return parse(t.Get(r, field)) ? std::string() : UnknownWord(field_name, t.Get(r, field));
    });
    t = Filter(t, drop);
  };
  reject_unknown(Feed::kHukou, hukou_field::kStatus, "status", ParseHukouStatus);
  reject_unknown(Feed::kSocial, social_field::kStatus, "status", ParseSocialStatus);
  reject_unknown(Feed::kRoll, roll_field::kBasis, "basis", ParseBasis);
  reject_unknown(Feed::kRights, rights_field::kKind, "kind", ParseRightsKind);
  reject_unknown(Feed::kDistricts, districts_field::kKind, "kind", ParseDistrictKind);
  ds.tables = std::move(tables);

  // 2. Normalize.
  {
    const FeedTable& t = ds.table(Feed::kHukou);
    ds.hukou.resize(t.num_rows());
    ParallelRows(t.num_rows(), [&](uint32_t r) {
      HukouRecord& h = ds.hukou[r];
      using namespace hukou_field;
      FillPerson(t, r, kIdNumber, kName, kGender, kBirthDate, names, &h);
      h.former_names = names.NormalizeList(t.Get(r, kFormerNames));
      h.region = CleanCode(t.Get(r, kRegionCode));
      h.status = *ParseHukouStatus(t.Get(r, kStatus));
      h.status_date = ParseDateLenient(t.Get(r, kStatusDate));
      h.household_id = CleanCode(t.Get(r, kHouseholdId));
    });
  }
  {
    const FeedTable& t = ds.table(Feed::kMigrant);
    ds.migrant.resize(t.num_rows());
    ParallelRows(t.num_rows(), [&](uint32_t r) {
      MigrantRecord& m = ds.migrant[r];
      using namespace migrant_field;
      FillPerson(t, r, kIdNumber, kName, kGender, kBirthDate, names, &m);
      m.hukou_region = CleanCode(t.Get(r, kHukouRegionCode));
      m.residence_region = CleanCode(t.Get(r, kResidenceRegionCode));
      m.registered_date = ParseDateLenient(t.Get(r, kRegisteredDate));
      m.expiry_date = ParseDateLenient(t.Get(r, kExpiryDate));
    });
  }
  {
    const FeedTable& t = ds.table(Feed::kSocial);
    ds.social.resize(t.num_rows());
    ParallelRows(t.num_rows(), [&](uint32_t r) {
      SocialRecord& s = ds.social[r];
      using namespace social_field;
      FillPerson(t, r, kIdNumber, kName, kGender, kBirthDate, names, &s);
      s.insured_region = CleanCode(t.Get(r, kInsuredRegionCode));
      s.status = *ParseSocialStatus(t.Get(r, kStatus));
      s.last_paid = Date::ParseMonth(CleanCode(t.Get(r, kLastPaid)));
    });
  }
  {
    const FeedTable& t = ds.table(Feed::kRoll);
    ds.roll.resize(t.num_rows());
    ParallelRows(t.num_rows(), [&](uint32_t r) {
      RollRecord& x = ds.roll[r];
      using namespace roll_field;
      FillPerson(t, r, kIdNumber, kName, kGender, kBirthDate, names, &x);
      x.district_code = CleanCode(t.Get(r, kDistrictCode));
      x.region = CleanCode(t.Get(r, kRegionCode));
      x.basis = *ParseBasis(t.Get(r, kBasis));
      x.registered_date = ParseDateLenient(t.Get(r, kRegisteredDate));
    });
  }
  {
    const FeedTable& t = ds.table(Feed::kRights);
    ds.rights.resize(t.num_rows());
    ParallelRows(t.num_rows(), [&](uint32_t r) {
      RightsRecord& x = ds.rights[r];
      using namespace rights_field;
      FillPerson(t, r, kIdNumber, kName, -1, -1, names, &x);
      x.kind = *ParseRightsKind(t.Get(r, kKind));
      x.from = ParseDateLenient(t.Get(r, kFromDate));
      x.to = ParseDateLenient(t.Get(r, kToDate));
    });
  }
  {
    const FeedTable& t = ds.table(Feed::kDistricts);
    ds.districts.resize(t.num_rows());
    for (uint32_t r = 0; r < t.num_rows(); ++r) {
      District& d = ds.districts[r];
      using namespace districts_field;
      d.code = CleanCode(t.Get(r, kDistrictCode));
      d.name = Trimmed(t.Get(r, kDistrictName));
      d.township = CleanCode(t.Get(r, kTownshipCode));
      d.kind = *ParseDistrictKind(t.Get(r, kKind));
      std::string codes = CleanCode(t.Get(r, kRegionCodes));
      size_t start = 0;
      while (start <= codes.size()) {
        size_t end = codes.find_first_of(";,", start);
        if (end == std::string::npos) end = codes.size();
        if (end > start) d.regions.push_back(codes.substr(start, end - start));
        start = end + 1;
      }
      ds.district_index.emplace(d.code, r);
    }
  }
  return ds;
}

}  // namespace rollmatch
