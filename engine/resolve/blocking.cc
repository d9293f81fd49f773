#include "engine/resolve/blocking.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <string>

#include "engine/core/hash.h"

namespace rollmatch {

std::string_view BlockingKeyName(BlockingKey k) {
  switch (k) {
    case BlockingKey::kId: return "id";
    case BlockingKey::kIdMaskRegion: return "id_mask_region";
    case BlockingKey::kIdMaskYear: return "id_mask_year";
    case BlockingKey::kIdMaskMonthDay: return "id_mask_month_day";
    case BlockingKey::kIdMaskSequence: return "id_mask_sequence";
    case BlockingKey::kIdMaskBoundary1: return "id_mask_digits_6_7";
    case BlockingKey::kIdMaskBoundary2: return "id_mask_digits_10_11";
    case BlockingKey::kIdMaskBoundary3: return "id_mask_digits_14_15";
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
// after sorting and kinds never collide with each other.
uint64_t KeyHash(BlockingKey kind, std::string_view text) {
  return (static_cast<uint64_t>(kind) << 60) | (Hash64(text) >> 4);
}
BlockingKey KindOf(uint64_t h) { return static_cast<BlockingKey>(h >> 60); }

void Masked(const std::string& id, int from, int to, BlockingKey kind, uint32_t index,
            std::vector<std::pair<uint64_t, uint32_t>>* out) {
  char buf[18];
  for (int i = 0; i < 18; ++i) buf[i] = (i >= from && i < to) ? '*' : id[i];
  out->emplace_back(KeyHash(kind, std::string_view(buf, 18)), index);
}

}  // namespace

void BlockingKeysOf(const ResolveRecord& r, uint32_t index, const NameKeys& keys,
                    std::vector<std::pair<uint64_t, uint32_t>>* out) {
  if (r.id->well_formed()) {
    const std::string& id = r.id->text;
    out->emplace_back(KeyHash(BlockingKey::kId, id), index);
    Masked(id, 0, 6, BlockingKey::kIdMaskRegion, index, out);
    Masked(id, 6, 10, BlockingKey::kIdMaskYear, index, out);
    Masked(id, 10, 14, BlockingKey::kIdMaskMonthDay, index, out);
    Masked(id, 14, 18, BlockingKey::kIdMaskSequence, index, out);
    Masked(id, 5, 7, BlockingKey::kIdMaskBoundary1, index, out);
    Masked(id, 9, 11, BlockingKey::kIdMaskBoundary2, index, out);
    Masked(id, 13, 15, BlockingKey::kIdMaskBoundary3, index, out);
  }
  if (!r.pinyin.empty()) {
    std::string_view seen[4];
    int ns = 0;
    for (std::string_view region : r.regions) {
      if (region.size() < 9) continue;
      std::string_view t = region.substr(0, 9);
      if (std::find(seen, seen + ns, t) != seen + ns) continue;
      seen[ns++] = t;
      out->emplace_back(KeyHash(BlockingKey::kNamePinyinTownship, r.pinyin + "|" + std::string(t)), index);
    }
    const std::string year = r.birth.known() ? std::to_string(r.birth.year()) : "";
    std::string_view seen_county[4];
    int nc = 0;
    for (std::string_view region : r.regions) {
      if (region.size() < 6) continue;
      std::string_view c = region.substr(0, 6);
      if (std::find(seen_county, seen_county + nc, c) != seen_county + nc) continue;
      seen_county[nc++] = c;
      if (r.birth.known())
        out->emplace_back(KeyHash(BlockingKey::kNamePinyinCountyYear, r.pinyin + "|" + std::string(c) + "|" + year),
                          index);
      // Every record emits the county key, so that a record without ID and
      // birth date meets the person's other records; pairs of two records
      // that both have more to compare come from the sharper keys.
      out->emplace_back(KeyHash(BlockingKey::kNamePinyinCounty, r.pinyin + "|" + std::string(c)), index);
    }
  }
  if (!r.birth.known()) return;
  const std::string birth = r.birth.ToString();
  if (!r.pinyin.empty()) out->emplace_back(KeyHash(BlockingKey::kNamePinyinBirth, r.pinyin + "|" + birth), index);
  for (const std::string& p : r.former_pinyin) {
    if (!p.empty()) out->emplace_back(KeyHash(BlockingKey::kNamePinyinBirth, p + "|" + birth), index);
  }
  const std::u32string& n = r.name32;
  if (n.size() < 2) return;
  const size_t s = std::min<size_t>(r.surname_len, n.size() - 1);
  const std::string surname = ToUtf8(n.substr(0, s));
  const std::string given = ToUtf8(n.substr(s));
  std::string_view seen_township[4], seen_county[4];
  int nt = 0, nc = 0;
  for (std::string_view region : r.regions) {
    if (region.size() >= 9) {
      std::string_view t = region.substr(0, 9);
      if (std::find(seen_township, seen_township + nt, t) == seen_township + nt) {
        seen_township[nt++] = t;
        out->emplace_back(KeyHash(BlockingKey::kSurnameBirthTownship, surname + "|" + birth + "|" + std::string(t)),
                          index);
      }
    }
    if (region.size() >= 6) {
      std::string_view c = region.substr(0, 6);
      if (std::find(seen_county, seen_county + nc, c) == seen_county + nc) {
        seen_county[nc++] = c;
        out->emplace_back(KeyHash(BlockingKey::kGivenNameBirthCounty, given + "|" + birth + "|" + std::string(c)),
                          index);
      }
    }
  }
}

std::vector<uint64_t> CandidatePairs(const std::vector<ResolveRecord>& records, const NameKeys& keys,
                                     const BlockingOptions& options, BlockingStats* stats) {
  using Entry = std::pair<uint64_t, uint32_t>;
  tbb::enumerable_thread_specific<std::vector<Entry>> local_keys;
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, static_cast<uint32_t>(records.size()), 4096),
                    [&](const tbb::blocked_range<uint32_t>& range) {
                      auto& out = local_keys.local();
                      for (uint32_t i = range.begin(); i != range.end(); ++i) BlockingKeysOf(records[i], i, keys, &out);
                    });
  std::vector<Entry> all;
  {
    size_t total = 0;
    for (auto& v : local_keys) total += v.size();
    all.reserve(total);
    for (auto& v : local_keys) {
      all.insert(all.end(), v.begin(), v.end());
      std::vector<Entry>().swap(v);
    }
  }
  tbb::parallel_sort(all.begin(), all.end());
  // Block boundaries.
  std::vector<size_t> starts;
  for (size_t i = 0; i < all.size(); ++i) {
    if (i == 0 || all[i].first != all[i - 1].first) starts.push_back(i);
  }
  starts.push_back(all.size());
  for (const Entry& e : all) stats->by_key[static_cast<int>(KindOf(e.first))].keys++;

  struct Local {
    std::vector<uint64_t> pairs;
    std::array<BlockingKeyStats, kNumBlockingKeys> by_key{};
    uint64_t skipped = 0;
  };
  tbb::enumerable_thread_specific<Local> local;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, starts.size() - 1, 256), [&](const tbb::blocked_range<size_t>& range) {
    Local& l = local.local();
    for (size_t b = range.begin(); b != range.end(); ++b) {
      const size_t lo = starts[b], hi = starts[b + 1];
      const size_t n = hi - lo;
      if (n < 2) continue;
      BlockingKeyStats& ks = l.by_key[static_cast<int>(KindOf(all[lo].first))];
      ks.blocks++;
      ks.largest_block = std::max<uint64_t>(ks.largest_block, n);
      const uint32_t cap =
          KindOf(all[lo].first) == BlockingKey::kId ? options.max_id_block_size : options.max_block_size;
      if (n > cap) {
        ks.capped_blocks++;
        ks.capped_records += n;
        continue;
      }
      for (size_t i = lo; i < hi; ++i) {
        for (size_t j = i + 1; j < hi; ++j) {
          const uint32_t a = all[i].second, c = all[j].second;
          if (a == c) continue;  // one record, two former names with one pinyin
          if (!ValidIdsMayMatch(records[a], records[c])) {
            l.skipped++;
            continue;
          }
          l.pairs.push_back(MakePair(a, c));
          ks.pairs++;
        }
      }
    }
  });
  std::vector<uint64_t> pairs;
  for (Local& l : local) {
    pairs.insert(pairs.end(), l.pairs.begin(), l.pairs.end());
    for (int k = 0; k < kNumBlockingKeys; ++k) {
      BlockingKeyStats& s = stats->by_key[k];
      s.blocks += l.by_key[k].blocks;
      s.pairs += l.by_key[k].pairs;
      s.capped_blocks += l.by_key[k].capped_blocks;
      s.capped_records += l.by_key[k].capped_records;
      s.largest_block = std::max(s.largest_block, l.by_key[k].largest_block);
    }
    stats->skipped_valid_id_pairs += l.skipped;
  }
  tbb::parallel_sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  stats->candidate_pairs = pairs.size();
  return pairs;
}

}  // namespace rollmatch
