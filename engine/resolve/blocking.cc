#include "engine/resolve/blocking.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <map>
#include <set>
#include <cstdio>
#include <cstring>
#include <string>

#include "engine/core/hash.h"
#include "engine/normalize/citizen_id.h"

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
// after sorting and kinds never collide with each other.
uint64_t KeyHash(BlockingKey kind, std::string_view text) {
  return (static_cast<uint64_t>(kind) << 60) | (Hash64(text) >> 4);
}
BlockingKey KindOf(uint64_t h) { return static_cast<BlockingKey>(h >> 60); }

// Builds a key's text in a stack buffer (no allocation per key).
class KeyText {
 public:
  KeyText& Add(std::string_view s) {
    const size_t n = std::min(s.size(), sizeof(buf_) - len_);
    std::memcpy(buf_ + len_, s.data(), n);
    len_ += n;
    return *this;
  }
  KeyText& Sep() { return Add("|"); }
  std::string_view view() const { return std::string_view(buf_, len_); }

 private:
  char buf_[192];
  size_t len_ = 0;
};

using Entry = std::pair<uint64_t, uint32_t>;

// Appends, for an 18-character ID with a wrong check character, the key of
// every valid ID one typo away. Returns how many.
int TypoNeighbors(const std::string& id, uint32_t index, std::vector<Entry>* out) {
  int n = 0;
  char buf[18];
  auto emit_if_valid = [&]() {
    for (int i = 0; i < 17; ++i) {
      if (buf[i] < '0' || buf[i] > '9') return;
    }
    if (buf[17] != ComputeCheckCharacter(std::string_view(buf, 17))) return;
    out->emplace_back(KeyHash(BlockingKey::kId, std::string_view(buf, 18)), index);
    ++n;
  };
  // One of the 17 digits mistyped (the check character as typed is right).
  for (int pos = 0; pos < 17; ++pos) {
    std::memcpy(buf, id.data(), 18);
    for (char d = '0'; d <= '9'; ++d) {
      if (d == id[pos]) continue;
      buf[pos] = d;
      emit_if_valid();
    }
  }
  // The check character itself mistyped.
  std::memcpy(buf, id.data(), 18);
  buf[17] = ComputeCheckCharacter(std::string_view(buf, 17));
  emit_if_valid();
  // Two adjacent characters swapped.
  for (int pos = 0; pos < 17; ++pos) {
    if (id[pos] == id[pos + 1]) continue;
    std::memcpy(buf, id.data(), 18);
    std::swap(buf[pos], buf[pos + 1]);
    emit_if_valid();
  }
  return n;
}

// Distinct prefixes of `width` characters of the record's regions.
int RegionPrefixes(const ResolveRecord& r, size_t width, std::string_view* out) {
  int n = 0;
  for (std::string_view region : r.regions) {
    if (region.size() < width) continue;
    std::string_view p = region.substr(0, width);
    if (std::find(out, out + n, p) == out + n) out[n++] = p;
  }
  return n;
}

// Appends the keys of one kind of record `index`.
void KeysOfKind(const ResolveRecord& r, uint32_t index, BlockingKey kind, std::vector<Entry>* out) {
  if (kind == BlockingKey::kId) {
    if (!r.id->well_formed()) return;
    out->emplace_back(KeyHash(kind, r.id->text), index);
    if (r.id->status == IdStatus::kBadCheck) TypoNeighbors(r.id->text, index, out);
    return;
  }
  // The birth date as 4 raw bytes of its day number (keys are hashed).
  const int32_t days = r.birth.days();
  char birth[4];
  std::memcpy(birth, &days, 4);
  const std::string_view b(birth, r.birth.known() ? 4 : 0);
  std::string_view prefixes[4];
  switch (kind) {
    case BlockingKey::kNamePinyinBirth:
      if (!r.birth.known()) return;
      if (!r.nm->pinyin.empty()) out->emplace_back(KeyHash(kind, KeyText().Add(r.nm->pinyin).Sep().Add(b).view()), index);
      for (const std::string& p : r.former_pinyin) {
        if (!p.empty()) out->emplace_back(KeyHash(kind, KeyText().Add(p).Sep().Add(b).view()), index);
      }
      return;
    case BlockingKey::kSurnameBirthTownship:
    case BlockingKey::kGivenNameBirthCounty: {
      if (!r.birth.known() || r.nm->name32.size() < 2) return;
      const size_t s = std::min<size_t>(r.nm->surname_len, r.nm->name32.size() - 1);
      // The first s code points of the folded name are the surname.
      const std::string_view name(r.nm->folded);
      size_t cut = 0;
      for (size_t i = 0; i < s && cut < name.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(name[cut]);
        cut += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      }
      cut = std::min(cut, name.size());
      const bool township = kind == BlockingKey::kSurnameBirthTownship;
      const std::string_view part = township ? name.substr(0, cut) : name.substr(cut);
      const int n = RegionPrefixes(r, township ? 9 : 6, prefixes);
      for (int i = 0; i < n; ++i)
        out->emplace_back(KeyHash(kind, KeyText().Add(part).Sep().Add(b).Sep().Add(prefixes[i]).view()), index);
      return;
    }
    case BlockingKey::kNamePinyinTownship: {
      if (r.nm->pinyin.empty()) return;
      const int n = RegionPrefixes(r, 9, prefixes);
      for (int i = 0; i < n; ++i)
        out->emplace_back(KeyHash(kind, KeyText().Add(r.nm->pinyin).Sep().Add(prefixes[i]).view()), index);
      return;
    }
    case BlockingKey::kNamePinyinCountyYear:
    case BlockingKey::kNamePinyinCounty: {
      if (r.nm->pinyin.empty()) return;
      const bool year = kind == BlockingKey::kNamePinyinCountyYear;
      if (year && !r.birth.known()) return;
      const int n = RegionPrefixes(r, 6, prefixes);
      for (int i = 0; i < n; ++i) {
        KeyText key;
        key.Add(r.nm->pinyin).Sep().Add(prefixes[i]);
        // Every record emits the county key, so that a record without ID
        // and birth date meets the person's other records.
        if (year) {
          const int16_t y = static_cast<int16_t>(r.birth.year());
          key.Sep().Add(std::string_view(reinterpret_cast<const char*>(&y), 2));
        }
        out->emplace_back(KeyHash(kind, key.view()), index);
      }
      return;
    }
    default: return;
  }
}

}  // namespace

void BlockingKeysOf(const ResolveRecord& r, uint32_t index, const NameKeys& keys, std::vector<Entry>* out) {
  for (int k = 0; k < kNumBlockingKeys; ++k) KeysOfKind(r, index, static_cast<BlockingKey>(k), out);
}

std::vector<uint64_t> CandidatePairs(const std::vector<ResolveRecord>& records, const NameKeys& keys,
                                     const BlockingOptions& options, BlockingStats* stats) {
  const uint32_t n_records = static_cast<uint32_t>(records.size());
  struct Local {
    std::vector<uint64_t> pairs;
    BlockingKeyStats stats;
    uint64_t skipped = 0;
  };
  std::vector<uint64_t> pairs;
  size_t distinct_after_last_sort = 0;
  std::vector<Entry> all;
  // One key kind at a time: memory stays at one kind's keys.
  for (int k = 0; k < kNumBlockingKeys; ++k) {
    const BlockingKey kind = static_cast<BlockingKey>(k);
    tbb::enumerable_thread_specific<std::vector<Entry>> local_keys;
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n_records, 8192), [&](const tbb::blocked_range<uint32_t>& range) {
      auto& out = local_keys.local();
      for (uint32_t i = range.begin(); i != range.end(); ++i) {
        // A record whose valid ID a hukou record carries meets that hukou
        // record through the exact-ID key; its other keys would only repeat
        // the hukou record's.
        const ResolveRecord& r = records[i];
        if (kind != BlockingKey::kId && r.anchored() && !r.is_hukou) continue;
        KeysOfKind(r, i, kind, &out);
      }
    });
    all.clear();
    for (auto& v : local_keys) all.insert(all.end(), v.begin(), v.end());
    tbb::parallel_sort(all.begin(), all.end());
    BlockingKeyStats& ks = stats->by_key[k];
    ks.keys = all.size();
    std::vector<size_t> starts;
    for (size_t i = 0; i < all.size(); ++i) {
      if (i == 0 || all[i].first != all[i - 1].first) starts.push_back(i);
    }
    starts.push_back(all.size());
    const uint32_t cap =
        std::min<uint32_t>(kind == BlockingKey::kId ? options.max_id_block_size : options.max_block_size, 4096);
    tbb::enumerable_thread_specific<Local> local;
    tbb::parallel_for(tbb::blocked_range<size_t>(0, starts.size() - 1, 1024), [&](const tbb::blocked_range<size_t>& range) {
      Local& l = local.local();
      for (size_t bi = range.begin(); bi != range.end(); ++bi) {
        const size_t lo = starts[bi], hi = starts[bi + 1];
        const size_t n = hi - lo;
        if (n < 2) continue;
        l.stats.blocks++;
        l.stats.largest_block = std::max<uint64_t>(l.stats.largest_block, n);
        if (n > cap) {
          l.stats.capped_blocks++;
          l.stats.capped_records += n;
          continue;
        }
        // Two records anchored by different hukou IDs are never a pair:
        // pair the unanchored records with everyone, skip anchored × anchored.
        uint32_t loose[4096], anchored[4096];
        size_t nl = 0, na = 0;
        for (size_t i = lo; i < hi; ++i) {
          const uint32_t x = all[i].second;
          if (records[x].anchored()) anchored[na++] = x;
          else loose[nl++] = x;
        }
        auto consider = [&](uint32_t a, uint32_t c) {
          if (a == c) return;  // one record, two former names with one pinyin
          const ResolveRecord& x = records[a];
          const ResolveRecord& y = records[c];
          // The exact-ID key already paired records with one well-formed ID.
          if (kind != BlockingKey::kId && x.id_hash != 0 && x.id_hash == y.id_hash) return;
          if (!ValidIdsMayMatch(x, y)) {
            l.skipped++;
            return;
          }
          l.pairs.push_back(MakePair(a, c));
          l.stats.pairs++;
        };
        for (size_t i = 0; i < nl; ++i) {
          for (size_t j = i + 1; j < nl; ++j) consider(loose[i], loose[j]);
          for (size_t j = 0; j < na; ++j) consider(loose[i], anchored[j]);
        }
        if (kind == BlockingKey::kId) {
          // One hukou ID on several records: the same person's records.
          for (size_t i = 0; i < na; ++i)
            for (size_t j = i + 1; j < na; ++j) consider(anchored[i], anchored[j]);
        } else {
          l.skipped += na * (na - 1) / 2;
        }
      }
    });
    for (Local& l : local) {
      pairs.insert(pairs.end(), l.pairs.begin(), l.pairs.end());
      ks.blocks += l.stats.blocks;
      ks.pairs += l.stats.pairs;
      ks.capped_blocks += l.stats.capped_blocks;
      ks.capped_records += l.stats.capped_records;
      ks.largest_block = std::max(ks.largest_block, l.stats.largest_block);
      stats->skipped_valid_id_pairs += l.skipped;
    }
    // De-duplicate when the vector has grown a lot, so memory stays near
    // the distinct pairs without sorting after every kind.
    if (pairs.size() > 2 * distinct_after_last_sort + (1u << 20)) {
      tbb::parallel_sort(pairs.begin(), pairs.end());
      pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
      distinct_after_last_sort = pairs.size();
    }
  }
  tbb::parallel_sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<Entry>().swap(all);
  stats->candidate_pairs = pairs.size();
  return pairs;
}

std::vector<uint64_t> CandidatePairsReference(const std::vector<ResolveRecord>& records, const NameKeys& keys,
                                              const BlockingOptions& options) {
  std::map<uint64_t, std::vector<uint32_t>> blocks;
  for (uint32_t i = 0; i < records.size(); ++i) {
    std::vector<Entry> mine;
    BlockingKeysOf(records[i], i, keys, &mine);
    for (const Entry& e : mine) {
      const bool exact_id = KindOf(e.first) == BlockingKey::kId;
      if (!exact_id && records[i].anchored() && !records[i].is_hukou) continue;
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
        if (!exact_id && x.id_hash != 0 && x.id_hash == y.id_hash) continue;
        if (!exact_id && x.anchored() && y.anchored()) continue;
        if (!ValidIdsMayMatch(x, y)) continue;
        pairs.insert(MakePair(members[i], members[j]));
      }
    }
  }
  return std::vector<uint64_t>(pairs.begin(), pairs.end());
}

}  // namespace rollmatch
