#pragma once
// The records as person resolution sees them: every person record of a
// Dataset flattened (feed order: hukou, migrant, social, roll, rights; rows
// in order) into a compact ResolveRecord of 32 bytes, with what many
// records share held once in tables: distinct names (and former names),
// region codes with their county and township prefixes, the combinations
// of regions records carry, 户号.
//
// Text is compared as XXH3-64 hashes or interned ids wherever only equality
// (or a region prefix) matters; the ID number is packed into 64 bits.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/core/date.h"
#include "engine/core/feed.h"
#include "engine/normalize/citizen_id.h"
#include "engine/normalize/codes.h"
#include "engine/normalize/dataset.h"
#include "engine/normalize/name_keys.h"

namespace rollmatch {

// A well-formed ID number (18 characters: 17 digits and a check character)
// packed into 64 bits; 0 for anything else (empty, malformed):
//   bit 63     well formed (so a packed ID is never 0)
//   bit 62     valid check character (or converted from 15 digits)
//   bit 61     a hukou record carries this valid ID (ResolveRecord only)
//   bits 4-60  the 17 digits as a decimal number
//   bits 0-3   the check character, '0'-'9' as 0-9 and 'X' as 10
// Two IDs have the same text exactly when their IdText() parts are equal;
// the numeric order of IdText() is the text order.
namespace packed_id {
inline constexpr uint64_t kWellFormed = 1ull << 63;
inline constexpr uint64_t kValid = 1ull << 62;
inline constexpr uint64_t kInHukou = 1ull << 61;
inline constexpr uint64_t kTextMask = (1ull << 61) - 1;
}  // namespace packed_id
uint64_t PackId(const CitizenId& id);
// The packed form of 18 characters, 0 unless 17 digits and [0-9X].
uint64_t PackIdText(std::string_view text18, bool valid);
inline uint64_t IdText(uint64_t packed) { return packed & packed_id::kTextMask; }
// The first 14 digits (issuing region and birth date) as a number.
inline uint64_t IdFirst14(uint64_t packed) { return (IdText(packed) >> 4) / 1000; }
// The 18 characters of a packed ID. REQUIRES: packed != 0.
void UnpackId(uint64_t packed, char out[18]);

// The comparable forms of one distinct (normalized) name or former name,
// computed once however many records carry it. Hashes are XXH3-64.
struct NameInfo {
  uint64_t nodots = 0;    // hash of the name without dots
  uint64_t folded = 0;    // hash of the variant-folded name (dots removed)
  uint64_t pinyin = 0;    // hash of the toneless, surname-aware pinyin; 0 when it is empty
  uint64_t surname = 0;   // hash of the folded surname part (blocking keys; names of 2+ characters)
  uint64_t given = 0;     // hash of the folded given-name part
  double tf = 0;          // share of all records whose folded name is this one's
  uint32_t chars = 0;     // the code points without dots: ResolveRecords::name_chars[chars, chars + length)
  uint32_t length = 0;
  uint8_t surname_len = 1;
};

// A region code as the comparisons see it (codes shorter than 6 characters
// count as missing and have no entry).
struct RegionInfo {
  uint32_t county = 0;    // prefix id of the first 6 characters
  uint32_t township = 0;  // prefix id of the first 9 characters, 0 when the code is shorter
  bool village = false;   // 12 characters: equal region ids mean the same village
};

// The regions one record carries, region ids (0: none): hukou: the hukou
// region; migrant: residence, hukou region; social: the insured region;
// roll: the registration region, the township of its district.
using RegionSet = std::array<uint32_t, 2>;

// What resolution needs of one record, precomputed once. Its feed row is
// its index minus ResolveRecords::offsets[feed].
struct ResolveRecord {
  uint64_t id = 0;          // packed ID number (packed_id above), 0 when not well formed
  uint32_t name = 0;        // index in ResolveRecords::names
  uint32_t former = 0;      // former names (曾用名): ResolveRecords::former[former] is the count, the name
                            // indices follow; 0 when none
  uint32_t regions = 0;     // index in ResolveRecords::region_sets
  uint32_t household = 0;   // interned 户号, 0 when none
  Date birth;               // the record's own birth date, else the one its valid ID encodes
  Feed feed = Feed::kHukou;
  Gender gender = Gender::kUnknown;
  IdStatus id_status = IdStatus::kEmpty;
  bool id_consistent = true;  // the ID's encoded birth date and gender agree with the record's own

  bool is_hukou() const { return feed == Feed::kHukou; }
  bool well_formed() const { return id != 0; }
  bool valid() const { return (id & packed_id::kValid) != 0; }
  bool from15() const { return id_status == IdStatus::kValidFrom15; }
  bool id_in_hukou() const { return (id & packed_id::kInHukou) != 0; }  // a hukou record carries this valid ID
  bool anchored() const { return id_in_hukou(); }
};
static_assert(sizeof(ResolveRecord) == 32);

struct ResolveRecords {
  std::vector<ResolveRecord> records;
  std::array<uint32_t, kNumPersonFeeds + 1> offsets{};  // index of each feed's first record
  std::vector<NameInfo> names;                          // distinct names and former names
  std::vector<char32_t> name_chars;                     // code points of every name, dots removed
  std::vector<uint32_t> former;                         // former-name lists (see ResolveRecord::former)
  std::vector<RegionInfo> regions;                      // by region id; [0] unused
  std::vector<RegionSet> region_sets;                   // [0] none
  std::vector<std::string_view> prefixes;               // county / township text by prefix id; [0] ""
  std::vector<uint64_t> prefix_hash;                    // hash of each prefix's text

  uint32_t IndexOf(RecordRef r) const { return offsets[FeedIndex(r.feed)] + r.row; }
  RecordRef ref(uint32_t index) const {
    const Feed f = records[index].feed;
    return {f, index - offsets[FeedIndex(f)]};
  }
  uint32_t size() const { return static_cast<uint32_t>(records.size()); }
  const NameInfo& name(const ResolveRecord& r) const { return names[r.name]; }
  const RegionSet& regions_of(const ResolveRecord& r) const { return region_sets[r.regions]; }
  std::u32string_view chars(const NameInfo& n) const { return {name_chars.data() + n.chars, n.length}; }
  std::span<const uint32_t> former_names(const ResolveRecord& r) const {
    if (r.former == 0) return {};
    return {former.data() + r.former + 1, former[r.former]};
  }
  // The township (9 characters) of the record's first region that has one, "" when none.
  uint32_t township(const ResolveRecord& r) const {
    for (uint32_t g : region_sets[r.regions]) {
      if (g != 0 && regions[g].township != 0) return regions[g].township;
    }
    return 0;
  }
};

// REQUIRES: `data` outlives the result (names point into it).
ResolveRecords BuildResolveRecords(const Dataset& data, const NameKeys& keys);

}  // namespace rollmatch
