#include "engine/resolve/resolve_records.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>

#include "engine/core/hash.h"
#include "engine/normalize/name_normalizer.h"

namespace rollmatch {

uint64_t PackIdText(std::string_view t, bool valid) {
  if (t.size() != 18) return 0;
  uint64_t n = 0;
  for (int i = 0; i < 17; ++i) {
    const unsigned d = static_cast<unsigned char>(t[i]) - '0';
    if (d > 9) return 0;
    n = n * 10 + d;
  }
  uint64_t check;
  if (t[17] == 'X') check = 10;
  else if (t[17] >= '0' && t[17] <= '9') check = static_cast<uint64_t>(t[17] - '0');
  else return 0;
  return packed_id::kWellFormed | (valid ? packed_id::kValid : 0) | n << 4 | check;
}

uint64_t PackId(const CitizenId& id) {
  if (!id.well_formed()) return 0;
  return PackIdText(id.text(), id.valid());
}

void UnpackId(uint64_t packed, char out[18]) {
  const unsigned check = static_cast<unsigned>(packed & 15);
  out[17] = check == 10 ? 'X' : static_cast<char>('0' + check);
  uint64_t n = IdText(packed) >> 4;
  for (int i = 16; i >= 0; --i) {
    out[i] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
}

namespace {

// Open addressing from a 96-bit key (k1, k2) to a dense id from 1, the key
// held in the slot so that a look-up reads one slot. Not thread safe.
class IdMap {
 public:
  IdMap() : slots_(1024) {}
  // The key's id; a new key gets `next` (*added is then true).
  uint32_t Find(uint64_t k1, uint32_t k2, uint32_t next, bool* added) {
    size_t i = SlotOf(k1);
    for (; slots_[i].id != 0; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].k1 == k1 && slots_[i].k2 == k2) {
        *added = false;
        return slots_[i].id;
      }
    }
    slots_[i] = {k1, k2, next};
    *added = true;
    if (2 * ++used_ > slots_.size()) Grow();
    return next;
  }

 private:
  struct Slot {
    uint64_t k1 = 0;
    uint32_t k2 = 0;
    uint32_t id = 0;  // 0: empty
  };
  size_t SlotOf(uint64_t k1) const {
    return static_cast<size_t>((k1 * 0x9E3779B97F4A7C15ULL) >> 32) & (slots_.size() - 1);
  }
  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.id == 0) continue;
      size_t i = SlotOf(s.k1);
      while (slots_[i].id != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

// Gives each distinct text a dense id from 1. Texts are identified by two
// independent XXH3 hashes (96 bits, as DistinctNames does), so that a
// look-up never reads a stored text. The texts must outlive it (texts()
// are the first occurrences); hashes() are their XXH3-64.
class Interner {
 public:
  Interner() {
    texts_.emplace_back();
    hashes_.push_back(0);
  }
  uint32_t Intern(std::string_view text) {
    const uint64_t h = Hash64(text);
    bool added = false;
    const uint32_t id = map_.Find(h, static_cast<uint32_t>(Hash64(text, 0x9E3779B97F4A7C15ULL)),
                                  static_cast<uint32_t>(texts_.size()), &added);
    if (added) {
      texts_.push_back(text);
      hashes_.push_back(h);
    }
    return id;
  }
  std::vector<std::string_view> TakeTexts() { return std::move(texts_); }
  std::vector<uint64_t> TakeHashes() { return std::move(hashes_); }

 private:
  IdMap map_;
  std::vector<std::string_view> texts_;
  std::vector<uint64_t> hashes_;
};

// Gives each distinct RegionSet a dense id; the empty set is 0.
class RegionSetInterner {
 public:
  explicit RegionSetInterner(std::vector<RegionSet>* sets) : sets_(sets) { sets_->assign(1, RegionSet{}); }
  uint32_t Intern(const RegionSet& s) {
    static_assert(std::tuple_size_v<RegionSet> == 2);
    const uint64_t key = static_cast<uint64_t>(s[0]) << 32 | s[1];
    if (key == 0) return 0;
    if (key == last_) return last_id_;
    bool added = false;
    const uint32_t id = map_.Find(key, 0, static_cast<uint32_t>(sets_->size()), &added);
    if (added) sets_->push_back(s);
    last_ = key;
    last_id_ = id;
    return id;
  }

 private:
  std::vector<RegionSet>* sets_;
  IdMap map_;
  uint64_t last_ = 0;
  uint32_t last_id_ = 0;
};

// A set of packed-ID texts that many threads may fill at once (lock-free
// open addressing), then query.
class ConcurrentIdSet {
 public:
  explicit ConcurrentIdSet(size_t expected) {
    size_t n = 1024;
    while (n < 2 * expected) n *= 2;
    slots_ = std::make_unique<std::atomic<uint64_t>[]>(n);
    for (size_t i = 0; i < n; ++i) slots_[i].store(0, std::memory_order_relaxed);
    mask_ = n - 1;
  }
  // REQUIRES: key != 0.
  void Insert(uint64_t key) {
    for (size_t i = Slot(key);; i = (i + 1) & mask_) {
      uint64_t cur = slots_[i].load(std::memory_order_relaxed);
      if (cur == 0 && slots_[i].compare_exchange_strong(cur, key, std::memory_order_relaxed)) return;
      if (cur == key) return;
    }
  }
  // Fetches the first slot of `key` into the cache (lookups and inserts
  // are cache misses: issue them ahead).
  void Prefetch(uint64_t key) const { __builtin_prefetch(&slots_[Slot(key)]); }
  bool Contains(uint64_t key) const {
    for (size_t i = Slot(key);; i = (i + 1) & mask_) {
      const uint64_t cur = slots_[i].load(std::memory_order_relaxed);
      if (cur == key) return true;
      if (cur == 0) return false;
    }
  }

 private:
  size_t Slot(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask_; }
  std::unique_ptr<std::atomic<uint64_t>[]> slots_;
  size_t mask_ = 0;
};

// Everything about one distinct name. Its code points (dots removed) go to
// `chars`, which has room for name.size() of them.
void FillName(std::string_view name, const NameKeys& keys, NameInfo* n, char32_t* chars) {
  std::string without_dots;
  std::string_view nodots = name;
  bool has_dot = false;
  for (size_t i = 0; i + 1 < name.size() && !has_dot; ++i) has_dot = name[i] == '\xC2' && name[i + 1] == '\xB7';
  if (has_dot) {
    without_dots = NameNormalizer::WithoutDots(name);
    nodots = without_dots;
  }
  const std::u32string name32 = ToU32(nodots);
  std::copy(name32.begin(), name32.end(), chars);
  const std::string folded = keys.FoldVariants(nodots);
  const std::string pinyin = keys.Pinyin(nodots);
  n->nodots = Hash64(nodots);
  n->folded = Hash64(folded);
  n->pinyin = pinyin.empty() ? 0 : Hash64(pinyin) | 1;
  n->length = static_cast<uint32_t>(name32.size());
  n->surname_len = static_cast<uint8_t>(keys.SurnameLength(name32));
  if (name32.size() >= 2) {
    // The first s code points of the folded name are the surname.
    const size_t s = std::min<size_t>(n->surname_len, name32.size() - 1);
    size_t cut = 0;
    for (size_t i = 0; i < s && cut < folded.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(folded[cut]);
      cut += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    cut = std::min(cut, folded.size());
    n->surname = Hash64(std::string_view(folded).substr(0, cut));
    n->given = Hash64(std::string_view(folded).substr(cut));
  }
}

void FillPerson(const PersonFields& f, ResolveRecord* r) {
  r->id = PackId(f.id);
  r->id_status = f.id.status;
  r->birth = f.birth_date;
  if (!r->birth.known() && f.id.valid()) r->birth = f.id.EncodedBirthDate();
  r->gender = f.gender;
  if (r->gender == Gender::kUnknown && f.id.valid()) r->gender = f.id.EncodedGender();
  if (f.id.valid()) {
    const Date enc = f.id.EncodedBirthDate();
    const bool birth_ok = !f.birth_date.known() || !enc.known() || enc == f.birth_date;
    const bool gender_ok = f.gender == Gender::kUnknown || f.gender == f.id.EncodedGender();
    r->id_consistent = birth_ok && gender_ok;
  }
}

// Distinct names: texts are identified by two independent XXH3 hashes (96
// bits: a collision among even 10^9 names has probability ~10^-11), so that
// finding the distinct ones never reads the texts again: the (hash, slot)
// keys are partitioned by their top bits, each partition sorted in
// parallel. Names are numbered in the order of their first slot,
// so that preparing them reads the texts in record order. `text_of(slot)`
// gives the text of slots 0..n-1 (read once, in slot order). Returns the
// name index of every slot; *first gets the first slot of every name.
template <typename TextOf>
std::vector<uint32_t> DistinctNames(uint32_t n, TextOf text_of, std::vector<uint32_t>* first) {
  struct Key {
    uint64_t h1;
    uint32_t h2;
    uint32_t slot;
  };
  constexpr int kBits = 11;
  constexpr size_t kParts = size_t{1} << kBits;
  auto part_of = [](uint64_t h1) { return static_cast<size_t>(h1 >> (64 - kBits)); };
  std::vector<Key> keys(n);
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 8192), [&](const tbb::blocked_range<uint32_t>& range) {
    for (uint32_t i = range.begin(); i != range.end(); ++i) {
      const std::string_view t = text_of(i);
      keys[i] = {Hash64(t), static_cast<uint32_t>(Hash64(t, 0x9E3779B97F4A7C15ULL)), i};
    }
  });
  std::vector<uint32_t> start(kParts + 1, 0);
  for (const Key& k : keys) start[part_of(k.h1) + 1]++;
  for (size_t p = 0; p < kParts; ++p) start[p + 1] += start[p];
  {
    std::vector<Key> parts(n);
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (const Key& k : keys) parts[fill[part_of(k.h1)]++] = k;
    keys.swap(parts);
  }
  // name_of[slot] = the first slot of its name, then (in slot order, where
  // a name's first slot comes first) the name's index.
  std::vector<uint32_t> name_of(n);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, kParts, 16), [&](const tbb::blocked_range<size_t>& range) {
    for (size_t p = range.begin(); p != range.end(); ++p) {
      Key* b = keys.data() + start[p];
      Key* e = keys.data() + start[p + 1];
      std::sort(b, e, [](const Key& x, const Key& y) {
        return x.h1 != y.h1 ? x.h1 < y.h1 : x.h2 != y.h2 ? x.h2 < y.h2 : x.slot < y.slot;
      });
      for (Key* run = b; run != e;) {
        Key* next = run + 1;
        while (next != e && next->h1 == run->h1 && next->h2 == run->h2) ++next;
        for (Key* k = run; k != next; ++k) name_of[k->slot] = run->slot;
        run = next;
      }
    }
  });
  std::vector<Key>().swap(keys);
  for (uint32_t slot = 0; slot < n; ++slot) {
    const uint32_t f = name_of[slot];
    if (f == slot) {
      name_of[slot] = static_cast<uint32_t>(first->size());
      first->push_back(slot);
    } else {
      name_of[slot] = name_of[f];  // f < slot: already a name index
    }
  }
  return name_of;
}

}  // namespace

ResolveRecords BuildResolveRecords(const Dataset& data, const NameKeys& keys) {
  ResolveRecords out;
  uint32_t total = 0;
  for (int f = 0; f < kNumPersonFeeds; ++f) {
    out.offsets[f] = total;
    total += data.num_records(static_cast<Feed>(f));
  }
  out.offsets[kNumPersonFeeds] = total;
  out.records.resize(total);

  // Former names first (a quick pass: few hukou records have any), so that
  // the distinct names can be found while the regions are interned.
  // Name slots: the records' names, then every former name.
  std::vector<std::string_view> former_text;
  std::vector<uint32_t> former_slot;  // per former name: its position in out.former
  out.former.push_back(0);
  for (uint32_t row = 0; row < data.num_records(Feed::kHukou); ++row) {
    const HukouRecord& h = data.hukou[row];
    if (h.former_names.empty()) continue;
    out.records[out.offsets[FeedIndex(Feed::kHukou)] + row].former = static_cast<uint32_t>(out.former.size());
    out.former.push_back(static_cast<uint32_t>(h.former_names.size()));
    for (std::string_view fn : h.former_names) {
      former_slot.push_back(static_cast<uint32_t>(out.former.size()));
      out.former.push_back(0);  // the name index, below
      former_text.push_back(fn);
    }
  }

  // One serial pass interns the regions and households (few distinct
  // values; consecutive records often share one, so the last one is
  // remembered). It writes only the records' feed, regions and household,
  // and out.regions / out.region_sets, and runs as a task beside the name
  // work below (which touches none of them): on two threads it costs no
  // wall time of its own.
  Interner prefixes;
  auto intern_regions = [&] {
    Interner regions, households;
    RegionSetInterner region_sets(&out.region_sets);
    out.regions.emplace_back();
    // The region id of a code, remembering the last code of each column
    // (consecutive records often share a village).
    struct LastRegion {
      std::string_view code;
      uint32_t id = 0;
    };
    auto region_id = [&](std::string_view code, LastRegion* last) -> uint32_t {
      if (code.size() < 6) return 0;
      if (last->id != 0 && code == last->code) return last->id;
      const uint32_t id = regions.Intern(code);
      if (id == out.regions.size()) {
        RegionInfo info;
        info.county = prefixes.Intern(code.substr(0, 6));
        if (code.size() >= 9) info.township = prefixes.Intern(code.substr(0, 9));
        info.village = code.size() == 12;
        out.regions.push_back(info);
      }
      *last = {code, id};
      return id;
    };
    LastRegion last_hukou, last_residence, last_migrant_hukou, last_insured, last_roll, last_roll_township;
    std::string_view last_district_code, last_township;
    bool have_district = false;
    std::string_view last_household;
    uint32_t last_household_id = 0;
    for (int fi = 0; fi < kNumPersonFeeds; ++fi) {
      const Feed feed = static_cast<Feed>(fi);
      const uint32_t n = data.num_records(feed);
      for (uint32_t row = 0; row < n; ++row) {
        const uint32_t i = out.offsets[fi] + row;
        ResolveRecord& r = out.records[i];
        r.feed = feed;
        switch (feed) {
          case Feed::kHukou: {
            const HukouRecord& h = data.hukou[row];
            r.regions = region_sets.Intern({region_id(h.region, &last_hukou), 0});
            if (!h.household_id.empty()) {
              // A household's members are usually listed together.
              if (h.household_id != last_household || last_household_id == 0) {
                last_household = h.household_id;
                last_household_id = households.Intern(h.household_id);
              }
              r.household = last_household_id;
            }
            break;
          }
          case Feed::kMigrant: {
            const MigrantRecord& m = data.migrant[row];
            r.regions = region_sets.Intern({region_id(m.residence_region, &last_residence),
                                            region_id(m.hukou_region, &last_migrant_hukou)});
            break;
          }
          case Feed::kSocial:
            r.regions = region_sets.Intern({region_id(data.social[row].insured_region, &last_insured), 0});
            break;
          case Feed::kRoll: {
            const RollRecord& x = data.roll[row];
            if (x.district_code != last_district_code || !have_district) {
              last_district_code = x.district_code;
              const District* d = data.FindDistrict(x.district_code);
              last_township = d != nullptr ? std::string_view(d->township) : std::string_view();
              have_district = true;
            }
            const std::string_view township = last_township;
            r.regions =
                region_sets.Intern({region_id(x.region, &last_roll), region_id(township, &last_roll_township)});
            break;
          }
          default: break;
        }
      }
    }
  };
  tbb::task_group interning;
  interning.run(intern_regions);

  // Distinct names (records' and former names), each prepared once.
  auto text_of = [&](uint32_t slot) -> std::string_view {
    if (slot >= total) return former_text[slot - total];
    int f = 0;
    while (slot >= out.offsets[f + 1]) ++f;
    return data.person_fields({static_cast<Feed>(f), slot - out.offsets[f]}).name;
  };
  std::vector<std::string_view> distinct;
  std::vector<uint32_t> first;
  std::vector<uint32_t> name_of =
      DistinctNames(total + static_cast<uint32_t>(former_text.size()), text_of, &first);
  distinct.resize(first.size());
  for (size_t d = 0; d < first.size(); ++d) distinct[d] = text_of(first[d]);
  std::vector<uint32_t>().swap(first);
  for (size_t k = 0; k < former_slot.size(); ++k) out.former[former_slot[k]] = name_of[total + k];
  // Code points: first at an upper bound of each name's position (a name
  // has at most as many code points as bytes), then packed.
  out.names.resize(distinct.size());
  std::vector<size_t> room(distinct.size() + 1, 0);
  for (size_t i = 0; i < distinct.size(); ++i) room[i + 1] = room[i] + distinct[i].size();
  out.name_chars.resize(room.back());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, distinct.size(), 1024), [&](const tbb::blocked_range<size_t>& range) {
    for (size_t i = range.begin(); i != range.end(); ++i) {
      FillName(distinct[i], keys, &out.names[i], out.name_chars.data() + room[i]);
    }
  });
  uint32_t chars = 0;
  for (size_t i = 0; i < out.names.size(); ++i) {
    NameInfo& n = out.names[i];
    std::memmove(out.name_chars.data() + chars, out.name_chars.data() + room[i], n.length * sizeof(char32_t));
    n.chars = chars;
    chars += n.length;
  }
  out.name_chars.resize(chars);
  out.name_chars.shrink_to_fit();
  std::vector<size_t>().swap(room);

  // Term frequencies of the folded names: records per distinct name, then
  // summed over the names that fold alike. A task beside the identity
  // fields below (it writes only out.names[].tf).
  tbb::task_group term_frequencies;
  term_frequencies.run([&] {
    std::vector<uint32_t> per_name(out.names.size(), 0);
    for (uint32_t i = 0; i < total; ++i) per_name[name_of[i]]++;
    std::vector<std::pair<uint64_t, uint32_t>> by_folded(out.names.size());
    for (uint32_t i = 0; i < out.names.size(); ++i) by_folded[i] = {out.names[i].folded, i};
    tbb::parallel_sort(by_folded.begin(), by_folded.end());
    const double denominator = static_cast<double>(std::max<uint32_t>(total, 1));
    for (size_t i = 0; i < by_folded.size();) {
      size_t j = i;
      uint64_t count = 0;
      while (j < by_folded.size() && by_folded[j].first == by_folded[i].first) count += per_name[by_folded[j++].second];
      for (size_t k = i; k < j; ++k) out.names[by_folded[k].second].tf = static_cast<double>(count) / denominator;
      i = j;
    }
  });
  interning.wait();
  out.prefixes = prefixes.TakeTexts();
  out.prefix_hash = prefixes.TakeHashes();

  // The identity fields, and the valid hukou IDs.
  const uint32_t n_hukou = data.num_records(Feed::kHukou);
  ConcurrentIdSet hukou_ids(n_hukou);
  for (int fi = 0; fi < kNumPersonFeeds; ++fi) {
    const Feed feed = static_cast<Feed>(fi);
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, data.num_records(feed), 4096),
                      [&](const tbb::blocked_range<uint32_t>& range) {
                        for (uint32_t row = range.begin(); row != range.end(); ++row) {
                          const uint32_t i = out.offsets[fi] + row;
                          ResolveRecord& r = out.records[i];
                          FillPerson(data.person_fields({feed, row}), &r);
                          r.name = name_of[i];
                        }
                      });
  }
  constexpr uint32_t kAhead = 16;
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n_hukou, 4096), [&](const tbb::blocked_range<uint32_t>& range) {
    for (uint32_t i = range.begin(); i != range.end(); ++i) {
      if (i + kAhead < range.end()) hukou_ids.Prefetch(IdText(out.records[i + kAhead].id));
      if (out.records[i].valid()) hukou_ids.Insert(IdText(out.records[i].id));
    }
  });
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, total, 4096), [&](const tbb::blocked_range<uint32_t>& range) {
    for (uint32_t i = range.begin(); i != range.end(); ++i) {
      if (i + kAhead < range.end()) hukou_ids.Prefetch(IdText(out.records[i + kAhead].id));
      ResolveRecord& r = out.records[i];
      if (r.valid() && hukou_ids.Contains(IdText(r.id))) r.id |= packed_id::kInHukou;
    }
  });

  term_frequencies.wait();
  return out;
}

}  // namespace rollmatch
