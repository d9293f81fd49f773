#pragma once
// Blocking: which pairs of records are worth comparing. Each record emits
// keys of several kinds (hashed with XXH3); records sharing a key form a
// block, and every pair within a block is a candidate pair. Blocks larger
// than the cap are not expanded (they would be mostly strangers: 王伟 born
// on a common day); the cap and what it dropped are reported per key.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/normalize/name_keys.h"
#include "engine/resolve/comparison.h"

namespace rollmatch {

enum class BlockingKey : uint8_t {
  // The normalized 18-character ID. A record whose ID has a wrong check
  // character also emits, under this kind, every valid ID one typo away
  // (one digit substituted, two adjacent characters swapped, the check
  // character itself mistyped), so it meets the record it was copied from.
  kId,
  kNamePinyinBirth,        // pinyin of the name (and of each former name) + birth date
  kSurnameBirthTownship,   // surname + birth date + township (of every region of the record)
  kGivenNameBirthCounty,   // given name + birth date + county
  kNamePinyinTownship,     // pinyin of the name + township: records without a birth date or ID
  kNamePinyinCountyYear,   // pinyin of the name + county + birth year: a mistyped birth day or month
  kNamePinyinCounty,       // pinyin of the name + county: records with neither a valid ID nor a birth date
};
inline constexpr int kNumBlockingKeys = 7;
std::string_view BlockingKeyName(BlockingKey k);

struct BlockingOptions {
  uint32_t max_block_size = 64;       // blocks with more records are not expanded
  uint32_t max_id_block_size = 4096;  // the same for the exact-ID key (one person's records); at most 4096
};

struct BlockingKeyStats {
  uint64_t keys = 0;            // keys emitted
  uint64_t blocks = 0;          // blocks with ≥ 2 records
  uint64_t pairs = 0;           // pairs produced (before de-duplication across keys)
  uint64_t capped_blocks = 0;   // blocks over the cap, not expanded
  uint64_t capped_records = 0;  // records in those blocks
  uint64_t largest_block = 0;
};

struct BlockingStats {
  std::array<BlockingKeyStats, kNumBlockingKeys> by_key{};
  uint64_t candidate_pairs = 0;  // distinct pairs over all keys
  // Pairs of records sharing a block under the cap that are left out because
  // both hold valid IDs that cannot be one person or (keys other than the
  // exact ID) both are anchored: counted, never enumerated.
  uint64_t skipped_valid_id_pairs = 0;
};

// Appends every key of record `index` as (hash, index) to *out, each
// distinct key once. The hash's top 4 bits are the key kind; the rest is
// XXH3 over the key's parts (name hashes, birth day number, region prefix
// hashes, packed ID), never a string.
void BlockingKeysOf(const ResolveRecords& rr, uint32_t index, const NameKeys& keys,
                    std::vector<std::pair<uint64_t, uint32_t>>* out);

// The distinct candidate pairs (i < j, encoded as i << 32 | j), sorted.
// Parallel (TBB): one key kind at a time, keys partitioned by hash; within
// a block, records are grouped by ID (no valid ID / the first 14 digits of a
// valid one) so that pairs ValidIdsMayMatch() excludes are never enumerated.
// Pairs are never candidates when
//   - ValidIdsMayMatch() excludes them (two valid IDs that cannot be one person),
//   - (keys other than the exact ID) both carry one well-formed ID (the
//     exact-ID key pairs them) or both are anchored (valid IDs carried by
//     hukou records), or
//   - (keys other than the exact ID) one is an anchored record that is not
//     a hukou record: it meets its hukou record through the exact ID.
std::vector<uint64_t> CandidatePairs(const ResolveRecords& rr, const NameKeys& keys, const BlockingOptions& options,
                                     BlockingStats* stats);

// The same pairs, found the slow and obvious way: every key of every record
// into one ordered map, all pairs of each block, one thread. For tests
// (the differential test compares it with CandidatePairs).
std::vector<uint64_t> CandidatePairsReference(const ResolveRecords& rr, const NameKeys& keys,
                                              const BlockingOptions& options);

inline uint32_t PairFirst(uint64_t p) { return static_cast<uint32_t>(p >> 32); }
inline uint32_t PairSecond(uint64_t p) { return static_cast<uint32_t>(p); }
inline uint64_t MakePair(uint32_t a, uint32_t b) {
  return a < b ? (static_cast<uint64_t>(a) << 32) | b : (static_cast<uint64_t>(b) << 32) | a;
}

}  // namespace rollmatch
