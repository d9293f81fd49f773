#include "engine/normalize/dataset.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <string_view>
#include <utility>

#include "engine/core/check.h"
#include "engine/core/hash.h"
#include "ingest/feed_schema.h"

namespace rollmatch {
namespace {

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Codes (region, district, household): trimmed, full-width digits and
// letters (U+FF10–U+FF5A, 3-byte UTF-8 EF BC/BD xx) folded to ASCII, spaces
// (ASCII and U+3000) removed. Returns `s` itself when it is clean already
// (printable ASCII without spaces), else the cleaned text in *scratch.
std::string_view CleanCode(std::string_view s, std::string* scratch) {
  bool clean = true;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F) {
      clean = false;
      break;
    }
  }
  if (clean) return s;
  std::string& out = *scratch;
  out.clear();
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

std::string CleanCode(std::string_view s) {
  std::string scratch;
  return std::string(CleanCode(s, &scratch));
}

Date ParseDateLenient(std::string_view text) {
  std::string scratch;
  return Date::Parse(CleanCode(text, &scratch));
}

// One thread's share of the Dataset's texts while BuildDataset runs: its
// own arena, and the codes it stored last. Region and district codes repeat
// across rows and household ids from one row to the next, so each is mostly
// stored once per thread, not once per row.
struct ThreadTexts {
  TextArena arena;
  std::array<Text, 1024> recent_codes;
  std::array<Text, 4> recent_households;
  std::string scratch;

  Text Name(std::string_view normalized) { return arena.Add(normalized); }
  Text Code(std::string_view raw) { return Cached(raw, &recent_codes); }
  Text Household(std::string_view raw) { return Cached(raw, &recent_households); }

 private:
  // The cleaned code (see CleanCode), from `cache` when the slot its hash
  // picks holds it already.
  template <size_t N>
  Text Cached(std::string_view raw, std::array<Text, N>* cache) {
    const std::string_view code = CleanCode(raw, &scratch);
    if (code.empty()) return Text();
    Text& slot = (*cache)[Hash64(code) & (N - 1)];
    if (slot.view() != code) slot = arena.Add(code);
    return slot;
  }
};
using TextsPerThread = tbb::enumerable_thread_specific<ThreadTexts>;

template <typename Rec>
void FillPerson(const FeedTable& t, uint32_t row, int id_field, int name_field, int gender_field, int birth_field,
                const NameNormalizer& names, ThreadTexts* texts, Rec* rec) {
  rec->id = NormalizeCitizenId(t.Get(row, id_field));
  rec->name = texts->Name(names.Normalize(t.Get(row, name_field)));
  if (birth_field >= 0) rec->birth_date = ParseDateLenient(t.Get(row, birth_field));
  if (gender_field >= 0) rec->gender = ParseGender(t.Get(row, gender_field)).value_or(Gender::kUnknown);
}

// Removes the rows marked in `drop` from the table, and counts each as
// rejected in its file's statistics.
void RemoveRows(const std::vector<bool>& drop, FeedTable* t) {
  bool any = false;
  for (uint32_t r = 0; r < t->num_rows(); ++r) {
    if (!drop[r]) continue;
    FileStats& fs = t->mutable_files()[t->pos(r).file];
    fs.rows_used--;
    fs.rows_rejected++;
    any = true;
  }
  if (any) t->RemoveRows(drop);
}

// Runs fn(row, texts) for every row, in parallel (each row writes only its
// own record; `texts` is the running thread's).
template <typename Fn>
void ParallelRows(uint32_t n, TextsPerThread* texts, Fn fn) {
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 4096), [&](const tbb::blocked_range<uint32_t>& range) {
    ThreadTexts& local = texts->local();
    for (uint32_t r = range.begin(); r != range.end(); ++r) fn(r, &local);
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
  // The rows are checked in parallel; the few bad ones become rejects in row order.
  std::vector<uint8_t> bad(t.num_rows(), 0);
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, t.num_rows(), 16384),
                    [&](const tbb::blocked_range<uint32_t>& range) {
                      for (uint32_t r = range.begin(); r != range.end(); ++r) bad[r] = !check(r).empty();
                    });
  std::vector<bool> drop(t.num_rows(), false);
  for (uint32_t r = 0; r < t.num_rows(); ++r) {
    if (!bad[r]) continue;
    std::string reason = check(r);
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
    RemoveRows(drop, &t);
  };
  reject_unknown(Feed::kHukou, hukou_field::kStatus, "status", ParseHukouStatus);
  reject_unknown(Feed::kSocial, social_field::kStatus, "status", ParseSocialStatus);
  reject_unknown(Feed::kRoll, roll_field::kBasis, "basis", ParseBasis);
  reject_unknown(Feed::kRights, rights_field::kKind, "kind", ParseRightsKind);
  reject_unknown(Feed::kDistricts, districts_field::kKind, "kind", ParseDistrictKind);
  ds.tables = std::move(tables);

  // 2. Normalize, feed by feed; then each table drops the values that are
  // not read again (all but the row keys and the roll's birth_date as typed),
  // so that the raw text and the records of all feeds are never all held.
  TextsPerThread texts;
  // Each table drops its values in the background while the next feed is
  // normalized (the tables are independent); with one thread, at once, so
  // that the raw text of all feeds is never held.
  tbb::task_group compacting;
  const bool in_background =
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism) > 1;
  auto drop_values = [&](FeedTable* t, int keep_field) {
    auto job = [t, keep_field] {
      if (keep_field < 0) {
        t->KeepFields({});
      } else {
        t->KeepFields({keep_field});
      }
    };
    if (in_background) {
      compacting.run(job);
    } else {
      job();
    }
  };
  {
    FeedTable& t = ds.tables[FeedIndex(Feed::kHukou)];
    ds.hukou.resize(t.num_rows());
    ParallelRows(t.num_rows(), &texts, [&](uint32_t r, ThreadTexts* tt) {
      HukouRecord& h = ds.hukou[r];
      using namespace hukou_field;
      FillPerson(t, r, kIdNumber, kName, kGender, kBirthDate, names, tt, &h);
      const std::string_view former = t.Get(r, kFormerNames);
      if (!former.empty()) h.former_names = tt->arena.AddList(names.NormalizeList(former));
      h.region = tt->Code(t.Get(r, kRegionCode));
      h.status = *ParseHukouStatus(t.Get(r, kStatus));
      h.status_date = ParseDateLenient(t.Get(r, kStatusDate));
      h.household_id = tt->Household(t.Get(r, kHouseholdId));
    });
    drop_values(&t, -1);
  }
  {
    FeedTable& t = ds.tables[FeedIndex(Feed::kMigrant)];
    ds.migrant.resize(t.num_rows());
    ParallelRows(t.num_rows(), &texts, [&](uint32_t r, ThreadTexts* tt) {
      MigrantRecord& m = ds.migrant[r];
      using namespace migrant_field;
      FillPerson(t, r, kIdNumber, kName, kGender, kBirthDate, names, tt, &m);
      m.hukou_region = tt->Code(t.Get(r, kHukouRegionCode));
      m.residence_region = tt->Code(t.Get(r, kResidenceRegionCode));
      m.registered_date = ParseDateLenient(t.Get(r, kRegisteredDate));
      m.expiry_date = ParseDateLenient(t.Get(r, kExpiryDate));
    });
    drop_values(&t, -1);
  }
  {
    FeedTable& t = ds.tables[FeedIndex(Feed::kSocial)];
    ds.social.resize(t.num_rows());
    ParallelRows(t.num_rows(), &texts, [&](uint32_t r, ThreadTexts* tt) {
      SocialRecord& s = ds.social[r];
      using namespace social_field;
      FillPerson(t, r, kIdNumber, kName, kGender, kBirthDate, names, tt, &s);
      s.insured_region = tt->Code(t.Get(r, kInsuredRegionCode));
      s.status = *ParseSocialStatus(t.Get(r, kStatus));
      s.last_paid = Date::ParseMonth(CleanCode(t.Get(r, kLastPaid), &tt->scratch));
    });
    drop_values(&t, -1);
  }
  {
    FeedTable& t = ds.tables[FeedIndex(Feed::kRoll)];
    ds.roll.resize(t.num_rows());
    ParallelRows(t.num_rows(), &texts, [&](uint32_t r, ThreadTexts* tt) {
      RollRecord& x = ds.roll[r];
      using namespace roll_field;
      FillPerson(t, r, kIdNumber, kName, kGender, kBirthDate, names, tt, &x);
      x.district_code = tt->Code(t.Get(r, kDistrictCode));
      x.region = tt->Code(t.Get(r, kRegionCode));
      x.basis = *ParseBasis(t.Get(r, kBasis));
      x.registered_date = ParseDateLenient(t.Get(r, kRegisteredDate));
    });
    // WRONG_DETAILS quotes an impossible birth date as typed.
    drop_values(&t, roll_field::kBirthDate);
  }
  {
    FeedTable& t = ds.tables[FeedIndex(Feed::kRights)];
    ds.rights.resize(t.num_rows());
    ParallelRows(t.num_rows(), &texts, [&](uint32_t r, ThreadTexts* tt) {
      RightsRecord& x = ds.rights[r];
      using namespace rights_field;
      FillPerson(t, r, kIdNumber, kName, -1, -1, names, tt, &x);
      x.kind = *ParseRightsKind(t.Get(r, kKind));
      x.from = ParseDateLenient(t.Get(r, kFromDate));
      x.to = ParseDateLenient(t.Get(r, kToDate));
    });
    drop_values(&t, -1);
  }
  compacting.wait();
  for (ThreadTexts& tt : texts) ds.texts.Absorb(std::move(tt.arena));
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
