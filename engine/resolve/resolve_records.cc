#include "engine/resolve/resolve_records.h"

#include "engine/core/hash.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>

#include <unordered_map>
#include <unordered_set>

namespace rollmatch {
namespace {

void FillName(std::string_view name, const NameKeys& keys, NameInfo* n) {
  n->name = std::string(name);
  n->name_nodots = NameNormalizer::WithoutDots(name);
  n->name32 = ToU32(n->name_nodots);
  n->folded = keys.FoldVariants(n->name_nodots);
  n->pinyin = keys.Pinyin(n->name_nodots);
  n->surname_len = static_cast<uint8_t>(keys.SurnameLength(n->name32));
}

void Fill(const PersonFields& f, RecordRef ref, ResolveRecord* r) {
  r->ref = ref;
  r->id = &f.id;
  r->own_birth = f.birth_date;
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
  // Distinct names, each prepared once: (hash, record) pairs sorted in
  // parallel; equal hashes with equal text share one NameInfo.
  std::vector<std::string_view> name_text(total);
  std::vector<std::pair<uint64_t, uint32_t>> by_hash(total);
  for (int fi = 0; fi < kNumPersonFeeds; ++fi) {
    const Feed feed = static_cast<Feed>(fi);
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, data.num_records(feed), 4096),
                      [&](const tbb::blocked_range<uint32_t>& range) {
                        for (uint32_t row = range.begin(); row != range.end(); ++row) {
                          const uint32_t i = out.offsets[fi] + row;
                          name_text[i] = data.person_fields({feed, row}).name;
                          by_hash[i] = {Hash64(name_text[i]), i};
                        }
                      });
  }
  tbb::parallel_sort(by_hash.begin(), by_hash.end());
  std::vector<uint32_t> name_of(total);
  std::vector<std::string_view> distinct;
  for (size_t i = 0; i < by_hash.size();) {
    size_t j = i;
    while (j < by_hash.size() && by_hash[j].first == by_hash[i].first) ++j;
    // [i, j) share a hash; texts decide (a collision gives two names).
    const size_t first_new = distinct.size();
    for (size_t k = i; k < j; ++k) {
      const std::string_view text = name_text[by_hash[k].second];
      size_t d = first_new;
      while (d < distinct.size() && distinct[d] != text) ++d;
      if (d == distinct.size()) distinct.push_back(text);
      name_of[by_hash[k].second] = static_cast<uint32_t>(d);
    }
    i = j;
  }
  std::vector<std::pair<uint64_t, uint32_t>>().swap(by_hash);
  out.names.resize(distinct.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, distinct.size(), 1024), [&](const tbb::blocked_range<size_t>& range) {
    for (size_t i = range.begin(); i != range.end(); ++i) FillName(distinct[i], keys, &out.names[i]);
  });
  // Valid hukou IDs, by hash (sorted for binary search).
  std::vector<uint64_t> hukou_ids;
  for (const HukouRecord& h : data.hukou) {
    if (h.id.valid()) hukou_ids.push_back(Hash64(h.id.text) | 1);
  }
  tbb::parallel_sort(hukou_ids.begin(), hukou_ids.end());
  for (int fi = 0; fi < kNumPersonFeeds; ++fi) {
    const Feed feed = static_cast<Feed>(fi);
    const uint32_t n = data.num_records(feed);
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 2048), [&](const tbb::blocked_range<uint32_t>& range) {
      for (uint32_t row = range.begin(); row != range.end(); ++row) {
        ResolveRecord& r = out.records[out.offsets[fi] + row];
        const RecordRef ref{feed, row};
        const PersonFields& pf = data.person_fields(ref);
        Fill(pf, ref, &r);
        r.nm = &out.names[name_of[out.offsets[fi] + row]];
        if (r.id->well_formed()) {
          r.id_hash = Hash64(r.id->text) | 1;
          r.id14_hash = Hash64(std::string_view(r.id->text).substr(0, 14)) | 1;
        }
        r.id_in_hukou = r.id->valid() && std::binary_search(hukou_ids.begin(), hukou_ids.end(), r.id_hash);
        switch (feed) {
          case Feed::kHukou: {
            const HukouRecord& h = data.hukou[row];
            r.is_hukou = true;
            r.regions = {h.region, {}, {}, {}};
            r.household = h.household_id;
            for (const std::string& fn : h.former_names) {
              std::string nd = NameNormalizer::WithoutDots(fn);
              r.former.push_back(keys.FoldVariants(nd));
              r.former_pinyin.push_back(keys.Pinyin(nd));
            }
            break;
          }
          case Feed::kMigrant: {
            const MigrantRecord& m = data.migrant[row];
            r.regions = {m.residence_region, m.hukou_region, {}, {}};
            break;
          }
          case Feed::kSocial: r.regions = {data.social[row].insured_region, {}, {}, {}}; break;
          case Feed::kRoll: {
            const RollRecord& x = data.roll[row];
            std::string_view township;
            if (const District* d = data.FindDistrict(x.district_code)) township = d->township;
            r.regions = {x.region, township, {}, {}};
            break;
          }
          default: break;
        }
      }
    });
  }
  // Term frequencies of the folded names: records per distinct name, then
  // summed over the names that fold alike.
  std::vector<uint32_t> per_name(out.names.size(), 0);
  for (uint32_t i = 0; i < total; ++i) per_name[name_of[i]]++;
  std::unordered_map<std::string_view, uint32_t> folded_count;
  for (size_t i = 0; i < out.names.size(); ++i) folded_count[out.names[i].folded] += per_name[i];
  for (NameInfo& n : out.names) {
    n.tf = static_cast<double>(folded_count[n.folded]) / static_cast<double>(std::max<uint32_t>(total, 1));
  }
  return out;
}

}  // namespace rollmatch
