#include "engine/resolve/blocking.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <bit>
#include <map>
#include <set>

#include "engine/core/hash.h"

namespace rollmatch {

std::string_view BlockingKeyName(BlockingKey k) {
  switch (k) {
    case BlockingKey::kId: return "id";
    case BlockingKey::kNamePinyinBirth: return "name_pinyin_birth";
    case BlockingKey::kSurnameBirthTownship: return "surname_birth_township";
    case BlockingKey::kGivenNameBirthCounty: return "given_name_birth_county";
    case BlockingKey::kNamePinyinTownship: return "name_pinyin_township";
    case BlockingKey::kNamePinyinCountyYear: return "name_pinyin_county_year";
    case BlockingKey::kNamePinyinCounty: return "name_pinyin_county";
  }
  return "?";
}

namespace {

// The key kind is the top 4 bits of the hash, so stats can be kept per kind
// after sorting and kinds never collide with each other. The rest is XXH3
// over the key's parts.
uint64_t KeyHash(BlockingKey kind, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  const uint64_t parts[3] = {a, b, c};
  return (static_cast<uint64_t>(kind) << 60) |
         (Hash64(std::string_view(reinterpret_cast<const char*>(parts), sizeof parts)) >> 4);
}
BlockingKey KindOf(uint64_t h) { return static_cast<BlockingKey>(h >> 60); }

// Collects one record's keys of one kind, each once (a former name may
// read like the name; two regions may share a township).
class KeyList {
 public:
  void Add(uint64_t h) {
    for (int i = 0; i < n_; ++i) {
      if (keys_[i] == h) return;
    }
    if (n_ < kMax) keys_[n_++] = h;
  }
  int size() const { return n_; }
  uint64_t operator[](int i) const { return keys_[i]; }

 private:
  static constexpr int kMax = 256;
  uint64_t keys_[kMax];
  int n_ = 0;
};

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[] = "10X98765432";
constexpr uint64_t kPow10[17] = {1ull,
                                 10ull,
                                 100ull,
                                 1000ull,
                                 10000ull,
                                 100000ull,
                                 1000000ull,
                                 10000000ull,
                                 100000000ull,
                                 1000000000ull,
                                 10000000000ull,
                                 100000000000ull,
                                 1000000000000ull,
                                 10000000000000ull,
                                 100000000000000ull,
                                 1000000000000000ull,
                                 10000000000000000ull};

uint64_t CheckValue(char c) { return c == 'X' ? 10 : static_cast<uint64_t>(c - '0'); }

// The text part of a packed ID from its 17 digits (as a number) and check character.
uint64_t IdTextOf(uint64_t digits, char check) { return digits << 4 | CheckValue(check); }

// Adds, for an ID with a wrong check character, the key of every valid ID
// one typo away: one of the 17 digits mistyped, the check character
// mistyped, two adjacent characters swapped.
void TypoNeighbors(uint64_t packed, KeyList* out) {
  char id[18];
  UnpackId(packed, id);
  const uint64_t digits = IdText(packed) >> 4;
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[i] - '0') * kWeights[i];
  auto emit = [&](uint64_t d, char check) { out->Add(KeyHash(BlockingKey::kId, IdTextOf(d, check))); };
  // One of the 17 digits mistyped (the check character as typed is right).
  for (int pos = 0; pos < 17; ++pos) {
    const int old = id[pos] - '0';
    for (int d = 0; d <= 9; ++d) {
      if (d == old) continue;
      const int s = sum + kWeights[pos] * (d - old);
      if (kCheckChars[s % 11] != id[17]) continue;
      emit(digits + (static_cast<uint64_t>(d) - old) * kPow10[16 - pos], id[17]);
    }
  }
  // The check character itself mistyped.
  emit(digits, kCheckChars[sum % 11]);
  // Two adjacent characters swapped.
  for (int pos = 0; pos < 17; ++pos) {
    if (id[pos] == id[pos + 1]) continue;
    if (pos < 16) {
      const int a = id[pos] - '0', b = id[pos + 1] - '0';
      const int s = sum + kWeights[pos] * (b - a) + kWeights[pos + 1] * (a - b);
      if (kCheckChars[s % 11] != id[17]) continue;
      emit(digits + static_cast<uint64_t>(b - a) * kPow10[16 - pos] + static_cast<uint64_t>(a - b) * kPow10[15 - pos],
           id[17]);
    } else {
      // The last digit and the check character: the check character typed
      // first must be a digit.
      if (id[17] == 'X') continue;
      const int a = id[16] - '0', b = id[17] - '0';
      const int s = sum + kWeights[16] * (b - a);
      if (kCheckChars[s % 11] != id[16]) continue;
      emit(digits + static_cast<uint64_t>(b - a), id[16]);
    }
  }
}

// Distinct county (6) or township (9) prefix ids of the record's regions.
int RegionPrefixes(const ResolveRecords& rr, const ResolveRecord& r, bool township, uint32_t* out) {
  int n = 0;
  for (uint32_t g : rr.region_sets[r.regions]) {
    if (g == 0) continue;
    const uint32_t p = township ? rr.regions[g].township : rr.regions[g].county;
    if (p == 0) continue;
    if (std::find(out, out + n, p) == out + n) out[n++] = p;
  }
  return n;
}

// The keys of one kind of record r.
void KeysOfKind(const ResolveRecords& rr, const ResolveRecord& r, BlockingKey kind, KeyList* out) {
  if (kind == BlockingKey::kId) {
    if (!r.well_formed()) return;
    out->Add(KeyHash(kind, IdText(r.id)));
    if (r.id_status == IdStatus::kBadCheck) TypoNeighbors(r.id, out);
    return;
  }
  const NameInfo& nm = rr.names[r.name];
  const uint64_t birth = static_cast<uint32_t>(r.birth.days());
  uint32_t prefixes[4];
  switch (kind) {
    case BlockingKey::kNamePinyinBirth:
      if (!r.birth.known()) return;
      if (nm.pinyin != 0) out->Add(KeyHash(kind, nm.pinyin, birth));
      for (uint32_t f : rr.former_names(r)) {
        const uint64_t p = rr.names[f].pinyin;
        if (p != 0) out->Add(KeyHash(kind, p, birth));
      }
      return;
    case BlockingKey::kSurnameBirthTownship:
    case BlockingKey::kGivenNameBirthCounty: {
      if (!r.birth.known() || nm.length < 2) return;
      const bool township = kind == BlockingKey::kSurnameBirthTownship;
      const uint64_t part = township ? nm.surname : nm.given;
      const int n = RegionPrefixes(rr, r, township, prefixes);
      for (int i = 0; i < n; ++i) out->Add(KeyHash(kind, part, birth, rr.prefix_hash[prefixes[i]]));
      return;
    }
    case BlockingKey::kNamePinyinTownship: {
      if (nm.pinyin == 0) return;
      const int n = RegionPrefixes(rr, r, true, prefixes);
      for (int i = 0; i < n; ++i) out->Add(KeyHash(kind, nm.pinyin, rr.prefix_hash[prefixes[i]]));
      return;
    }
    case BlockingKey::kNamePinyinCountyYear:
    case BlockingKey::kNamePinyinCounty: {
      if (nm.pinyin == 0) return;
      const bool year = kind == BlockingKey::kNamePinyinCountyYear;
      if (year && !r.birth.known()) return;
      // Every record emits the county key, so that a record without ID
      // and birth date meets the person's other records.
      const uint64_t y = year ? static_cast<uint64_t>(r.birth.year()) : 0;
      const int n = RegionPrefixes(rr, r, false, prefixes);
      for (int i = 0; i < n; ++i) out->Add(KeyHash(kind, nm.pinyin, rr.prefix_hash[prefixes[i]], y));
      return;
    }
    default: return;
  }
}

// A key kind's non-exact-ID keys leave out anchored records that are not
// hukou records: they meet their hukou record through the exact ID, and
// their other keys would only repeat the hukou record's.
bool EmitsKind(const ResolveRecord& r, BlockingKey kind) {
  return kind == BlockingKey::kId || !r.anchored() || r.is_hukou();
}

// One key of one record, with the record's packed ID so that blocks can be
// expanded without reading the records.
struct Entry {
  uint64_t hash;
  uint64_t id;
  uint32_t index;
};

uint64_t Choose2(uint64_t n) { return n * (n - 1) / 2; }

struct GroupScratch {
  std::vector<Entry> entries, by_sub;
  std::vector<uint32_t> start;
  void Free() {
    std::vector<Entry>().swap(entries);
    std::vector<Entry>().swap(by_sub);
    std::vector<uint32_t>().swap(start);
  }
};

// Calls fn(members, n) for every block (records sharing a key) of at least
// two records among s->entries, whose hashes agree in the kind and the top
// `known_bits` bits after it: a counting sort on the next bits (about one
// entry per sub-bucket), then a sort of each sub-bucket of two or more.
template <typename Fn>
void ForEachBlock(int known_bits, GroupScratch* s, Fn fn) {
  const size_t m = s->entries.size();
  if (m < 2) return;
  const int sub_bits = std::min(static_cast<int>(std::bit_width(m)), 60 - known_bits);
  const int shift = 64 - sub_bits;
  auto sub_of = [&](uint64_t h) { return static_cast<size_t>((h << (4 + known_bits)) >> shift); };
  const size_t n_sub = size_t{1} << sub_bits;
  s->start.assign(n_sub + 1, 0);
  for (const Entry& e : s->entries) s->start[sub_of(e.hash) + 1]++;
  for (size_t b = 0; b < n_sub; ++b) s->start[b + 1] += s->start[b];
  s->by_sub.resize(m);
  for (const Entry& e : s->entries) s->by_sub[s->start[sub_of(e.hash)]++] = e;
  // start[b] is now the end of sub-bucket b.
  size_t lo = 0;
  for (size_t b = 0; b < n_sub; ++b) {
    const size_t hi = s->start[b];
    if (hi - lo >= 2) {
      Entry* e = s->by_sub.data();
      std::sort(e + lo, e + hi, [](const Entry& x, const Entry& y) {
        return x.hash != y.hash ? x.hash < y.hash : x.index < y.index;
      });
      for (size_t i = lo; i < hi;) {
        size_t j = i + 1;
        while (j < hi && e[j].hash == e[i].hash) ++j;
        if (j - i >= 2) fn(e + i, j - i);
        i = j;
      }
    }
    lo = hi;
  }
}

// Expands blocks into candidate pairs. Thread-local.
class BlockExpander {
 public:
  BlockExpander(BlockingKey kind, int part_shift, size_t parts) : kind_(kind), shift_(part_shift), out_(parts) {}
  void Reset(BlockingKey kind) {
    kind_ = kind;
    stats = BlockingKeyStats();
    skipped = 0;
  }
  std::vector<uint64_t>& part(size_t p) { return out_[p]; }
  size_t parts() const { return out_.size(); }

  // The records of one block (each once), under the cap.
  void Expand(const Entry* members, size_t n) {
    // Records without a valid ID pair with everyone; records with a valid
    // ID only with those whose ID agrees in the first 14 digits.
    loose_.clear();
    valid_.clear();
    for (size_t i = 0; i < n; ++i) {
      if (members[i].id & packed_id::kValid) valid_.push_back(members[i]);
      else loose_.push_back(members[i]);
    }
    const bool exact_id = kind_ == BlockingKey::kId;
    for (size_t i = 0; i < loose_.size(); ++i) {
      const Entry& x = loose_[i];
      for (size_t j = i + 1; j < loose_.size(); ++j) {
        const Entry& y = loose_[j];
        if (x.index == y.index) continue;
        // The exact-ID key already paired records with one well-formed ID.
        if (!exact_id && x.id != 0 && IdText(x.id) == IdText(y.id)) continue;
        Emit(x.index, y.index);
      }
      for (const Entry& y : valid_) Emit(x.index, y.index);
    }
    if (valid_.size() < 2) return;
    std::sort(valid_.begin(), valid_.end(), [](const Entry& a, const Entry& b) {
      const uint64_t fa = IdFirst14(a.id), fb = IdFirst14(b.id);
      return fa != fb ? fa < fb : IdText(a.id) < IdText(b.id);
    });
    // Pairs across groups of the first 14 digits are skipped uncounted
    // here; counted below.
    uint64_t within = 0;
    for (size_t g = 0; g < valid_.size();) {
      const uint64_t f14 = IdFirst14(valid_[g].id);
      size_t h = g + 1;
      while (h < valid_.size() && IdFirst14(valid_[h].id) == f14) ++h;
      within += Choose2(h - g);
      for (size_t i = g; i < h; ++i) {
        const Entry& x = valid_[i];
        for (size_t j = i + 1; j < h; ++j) {
          const Entry& y = valid_[j];
          if (x.index == y.index) continue;
          const bool both_hukou = (x.id & y.id & packed_id::kInHukou) != 0;
          if (IdText(x.id) == IdText(y.id)) {
            // One valid ID: the exact-ID key pairs them; the other keys
            // count two anchored records as skipped.
            if (exact_id) Emit(x.index, y.index);
            else if (both_hukou) skipped++;
          } else if (both_hukou) {
            skipped++;  // two hukou IDs: two people
          } else {
            Emit(x.index, y.index);
          }
        }
      }
      g = h;
    }
    skipped += Choose2(valid_.size()) - within;
  }

  BlockingKeyStats stats;
  uint64_t skipped = 0;

 private:
  void Emit(uint32_t a, uint32_t b) {
    const uint64_t p = MakePair(a, b);
    out_[PairFirst(p) >> shift_].push_back(p);
    stats.pairs++;
  }
  BlockingKey kind_;
  int shift_;
  std::vector<std::vector<uint64_t>> out_;  // pairs by partition of the first record
  std::vector<Entry> loose_, valid_;
};

}  // namespace

void BlockingKeysOf(const ResolveRecords& rr, uint32_t index, const NameKeys& /*keys*/,
                    std::vector<std::pair<uint64_t, uint32_t>>* out) {
  for (int k = 0; k < kNumBlockingKeys; ++k) {
    KeyList list;
    KeysOfKind(rr, rr.records[index], static_cast<BlockingKey>(k), &list);
    for (int i = 0; i < list.size(); ++i) out->emplace_back(list[i], index);
  }
}

std::vector<uint64_t> CandidatePairs(const ResolveRecords& rr, const NameKeys& /*keys*/,
                                     const BlockingOptions& options, BlockingStats* stats) {
  const std::vector<ResolveRecord>& records = rr.records;
  const uint32_t n_records = rr.size();
  // Pairs are kept in partitions by their first record (about 1,000), each
  // sorted and de-duplicated after every key kind; their concatenation is
  // the sorted answer.
  const int width = std::bit_width(n_records);
  const int part_shift = std::max(0, width - 10);
  const size_t n_parts = (static_cast<size_t>(n_records) >> part_shift) + 1;
  std::vector<std::vector<uint64_t>> parts(n_parts);
  // Keys are generated by chunks of records and partitioned by hash into
  // buckets (about 512 keys each, more above 8 M records); a task expands
  // the blocks of a range of buckets.
  const int bucket_bits = std::clamp(width - 9, 0, 14);
  const size_t n_buckets = size_t{1} << bucket_bits;
  const size_t n_chunks = std::clamp<size_t>(n_records / 16384, 1, 256);
  struct Chunk {
    std::vector<Entry> entries;  // by bucket
    std::vector<uint32_t> start;  // n_buckets + 1
  };
  std::vector<Chunk> chunks(n_chunks);
  auto bucket_of = [&](uint64_t hash) {
    return bucket_bits == 0 ? size_t{0} : static_cast<size_t>((hash << 4) >> (64 - bucket_bits));
  };

  BlockingKey kind = BlockingKey::kId;
  tbb::enumerable_thread_specific<BlockExpander> expanders([&] { return BlockExpander(kind, part_shift, n_parts); });
  tbb::enumerable_thread_specific<GroupScratch> scratch;
  for (int k = 0; k < kNumBlockingKeys; ++k) {
    kind = static_cast<BlockingKey>(k);
    // 1. Each chunk's keys, by bucket.
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n_chunks, 1), [&](const tbb::blocked_range<size_t>& range) {
      std::vector<Entry>& tmp = scratch.local().entries;
      for (size_t c = range.begin(); c != range.end(); ++c) {
        const uint32_t lo = static_cast<uint32_t>(n_records * c / n_chunks);
        const uint32_t hi = static_cast<uint32_t>(n_records * (c + 1) / n_chunks);
        tmp.clear();
        for (uint32_t i = lo; i < hi; ++i) {
          // The names are read in record order, i.e. at random: fetch ahead.
          if (kind != BlockingKey::kId && i + 16 < hi) __builtin_prefetch(&rr.names[records[i + 16].name]);
          const ResolveRecord& r = records[i];
          if (!EmitsKind(r, kind)) continue;
          KeyList list;
          KeysOfKind(rr, r, kind, &list);
          for (int j = 0; j < list.size(); ++j) tmp.push_back(Entry{list[j], r.id, i});
        }
        Chunk& ch = chunks[c];
        ch.start.assign(n_buckets + 1, 0);
        for (const Entry& e : tmp) ch.start[bucket_of(e.hash) + 1]++;
        for (size_t b = 0; b < n_buckets; ++b) ch.start[b + 1] += ch.start[b];
        ch.entries.resize(tmp.size());
        std::vector<uint32_t> fill(ch.start.begin(), ch.start.end() - 1);
        for (const Entry& e : tmp) ch.entries[fill[bucket_of(e.hash)]++] = e;
      }
    });
    for (GroupScratch& v : scratch) v.Free();
    BlockingKeyStats& ks = stats->by_key[k];
    for (const Chunk& ch : chunks) ks.keys += ch.entries.size();
    const uint32_t cap =
        std::min<uint32_t>(kind == BlockingKey::kId ? options.max_id_block_size : options.max_block_size, 4096);
    // 2. The blocks of each range of buckets.
    for (BlockExpander& x : expanders) x.Reset(kind);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n_buckets, std::max<size_t>(1, n_buckets / 1024)),
                      [&](const tbb::blocked_range<size_t>& range) {
                        BlockExpander& x = expanders.local();
                        GroupScratch& gs = scratch.local();
                        gs.entries.clear();
                        for (const Chunk& ch : chunks) {
                          gs.entries.insert(gs.entries.end(), ch.entries.begin() + ch.start[range.begin()],
                                            ch.entries.begin() + ch.start[range.end()]);
                        }
                        ForEachBlock(bucket_bits, &gs, [&](Entry* members, size_t n) {
                          x.stats.blocks++;
                          x.stats.largest_block = std::max<uint64_t>(x.stats.largest_block, n);
                          if (n > cap) {
                            x.stats.capped_blocks++;
                            x.stats.capped_records += n;
                          } else {
                            x.Expand(members, n);
                          }
                        });
                      });
    for (GroupScratch& v : scratch) v.Free();
    for (Chunk& ch : chunks) std::vector<Entry>().swap(ch.entries);
    for (BlockExpander& x : expanders) {
      ks.blocks += x.stats.blocks;
      ks.pairs += x.stats.pairs;
      ks.capped_blocks += x.stats.capped_blocks;
      ks.capped_records += x.stats.capped_records;
      ks.largest_block = std::max(ks.largest_block, x.stats.largest_block);
      stats->skipped_valid_id_pairs += x.skipped;
    }
    // 3. The new pairs into their partitions, sorted and distinct.
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n_parts, 16), [&](const tbb::blocked_range<size_t>& range) {
      for (size_t p = range.begin(); p != range.end(); ++p) {
        std::vector<uint64_t>& dst = parts[p];
        const size_t old = dst.size();
        for (BlockExpander& x : expanders) {
          std::vector<uint64_t>& src = x.part(p);
          dst.insert(dst.end(), src.begin(), src.end());
          std::vector<uint64_t>().swap(src);
        }
        if (dst.size() == old) continue;
        std::sort(dst.begin() + old, dst.end());
        std::inplace_merge(dst.begin(), dst.begin() + old, dst.end());
        dst.erase(std::unique(dst.begin(), dst.end()), dst.end());
      }
    });
  }
  expanders.clear();
  chunks.clear();
  size_t total = 0;
  for (const auto& p : parts) total += p.size();
  std::vector<uint64_t> pairs;
  pairs.reserve(total);
  for (auto& p : parts) {
    pairs.insert(pairs.end(), p.begin(), p.end());
    std::vector<uint64_t>().swap(p);
  }
  stats->candidate_pairs = pairs.size();
  return pairs;
}

std::vector<uint64_t> CandidatePairsReference(const ResolveRecords& rr, const NameKeys& keys,
                                              const BlockingOptions& options) {
  const std::vector<ResolveRecord>& records = rr.records;
  std::map<uint64_t, std::vector<uint32_t>> blocks;
  for (uint32_t i = 0; i < records.size(); ++i) {
    std::vector<std::pair<uint64_t, uint32_t>> mine;
    BlockingKeysOf(rr, i, keys, &mine);
    for (const auto& e : mine) {
      if (!EmitsKind(records[i], KindOf(e.first))) continue;
      blocks[e.first].push_back(i);
    }
  }
  std::set<uint64_t> pairs;
  for (const auto& [key, members] : blocks) {
    const bool exact_id = KindOf(key) == BlockingKey::kId;
    const uint32_t cap = std::min<uint32_t>(exact_id ? options.max_id_block_size : options.max_block_size, 4096);
    if (members.size() > cap) continue;
    for (size_t i = 0; i < members.size(); ++i) {
      for (size_t j = i + 1; j < members.size(); ++j) {
        const ResolveRecord& x = records[members[i]];
        const ResolveRecord& y = records[members[j]];
        if (members[i] == members[j]) continue;
        if (!exact_id && x.well_formed() && IdText(x.id) == IdText(y.id)) continue;
        if (!exact_id && x.anchored() && y.anchored()) continue;
        if (!ValidIdsMayMatch(x, y)) continue;
        pairs.insert(MakePair(members[i], members[j]));
      }
    }
  }
  return std::vector<uint64_t>(pairs.begin(), pairs.end());
}

}  // namespace rollmatch
