#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <ctime>
#include <cstdio>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>

#include "engine/core/hash.h"
#include "engine/core/process_usage.h"
#include "engine/resolve/blocking.h"
#include "engine/resolve/comparison.h"
#include "engine/resolve/match_model.h"
#include "engine/resolve/person_clusters.h"
#include "engine/resolve/resolve_records.h"
#include "engine/resolve/resolver.h"

namespace rollmatch {
namespace {

uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

enum class Decision : uint8_t { kReject, kReview, kAccept, kConflict };

// The links that `take` selects, by weight, largest first, links of equal
// weight in their order: the same order as std::stable_sort by weight,
// found by an LSD radix sort on the weights' bits (skipping bytes all keys
// share). Each pass counts and scatters fixed blocks of the items in
// parallel, each block's items going to the places a serial pass would
// give them, so that the order never depends on the threads.
template <typename Take>
std::vector<uint32_t> StrongestFirst(const std::vector<double>& weight, Take take) {
  struct Item {
    uint64_t key;  // ascending key = descending weight
    uint32_t link;
  };
  constexpr int kDigitBits = 11;  // six passes at most
  constexpr int kDigits = (64 + kDigitBits - 1) / kDigitBits;
  constexpr uint64_t kDigitMask = (uint64_t{1} << kDigitBits) - 1;
  using Histogram = std::array<uint32_t, size_t{1} << kDigitBits>;
  constexpr size_t kBlock = size_t{1} << 16;
  auto blocks_of = [](size_t n) { return (n + kBlock - 1) / kBlock; };
  auto key_of = [&](size_t i) {
    const double w = weight[i] == 0.0 ? 0.0 : weight[i];  // -0.0 sorts with 0.0
    uint64_t bits;
    std::memcpy(&bits, &w, sizeof bits);
    bits = (bits >> 63) ? ~bits : bits | (1ull << 63);  // ascending in w
    return ~bits;
  };
  // The selected links in order, with every byte's histogram.
  const size_t in_blocks = blocks_of(weight.size());
  std::vector<uint32_t> taken(in_blocks + 1, 0);
  tbb::parallel_for(size_t{0}, in_blocks, [&](size_t k) {
    uint32_t c = 0;
    for (size_t i = k * kBlock, e = std::min(weight.size(), i + kBlock); i < e; ++i) c += take(i) ? 1 : 0;
    taken[k + 1] = c;
  });
  for (size_t k = 0; k < in_blocks; ++k) taken[k + 1] += taken[k];
  const size_t n = taken[in_blocks];
  std::vector<Item> a(n);
  std::vector<std::array<Histogram, kDigits>> in_count(in_blocks);
  tbb::parallel_for(size_t{0}, in_blocks, [&](size_t k) {
    std::array<Histogram, kDigits>& count = in_count[k];
    for (Histogram& h : count) h.fill(0);
    size_t out = taken[k];
    for (size_t i = k * kBlock, e = std::min(weight.size(), i + kBlock); i < e; ++i) {
      if (!take(i)) continue;
      const uint64_t key = key_of(i);
      for (int d = 0; d < kDigits; ++d) count[d][(key >> (kDigitBits * d)) & kDigitMask]++;
      a[out++] = {key, static_cast<uint32_t>(i)};
    }
  });
  std::array<Histogram, kDigits> count{};
  for (const auto& c : in_count) {
    for (int d = 0; d < kDigits; ++d) {
      for (size_t v = 0; v < c[d].size(); ++v) count[d][v] += c[d][v];
    }
  }
  std::vector<std::array<Histogram, kDigits>>().swap(in_count);
  const size_t blocks = blocks_of(n);
  std::vector<Histogram> block_count(blocks);
  std::vector<Item> b(n);
  for (int d = 0; d < kDigits; ++d) {
    const int shift = kDigitBits * d;
    if (n == 0 || count[d][(a[0].key >> shift) & kDigitMask] == n) continue;  // one value of this digit
    tbb::parallel_for(size_t{0}, blocks, [&](size_t k) {
      Histogram& h = block_count[k];
      h.fill(0);
      for (size_t i = k * kBlock, e = std::min(n, i + kBlock); i < e; ++i) h[(a[i].key >> shift) & kDigitMask]++;
    });
    // Where each block's items of each byte value start: after every item
    // of a smaller value, and after the earlier blocks' items of this one.
    uint32_t sum = 0;
    for (size_t v = 0; v < count[d].size(); ++v) {
      for (size_t k = 0; k < blocks; ++k) {
        const uint32_t c = block_count[k][v];
        block_count[k][v] = sum;
        sum += c;
      }
    }
    tbb::parallel_for(size_t{0}, blocks, [&](size_t k) {
      Histogram& start = block_count[k];
      for (size_t i = k * kBlock, e = std::min(n, i + kBlock); i < e; ++i) b[start[(a[i].key >> shift) & kDigitMask]++] = a[i];
    });
    a.swap(b);
  }
  std::vector<Item>().swap(b);
  std::vector<uint32_t> links(n);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, kBlock), [&](const tbb::blocked_range<size_t>& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) links[i] = a[i].link;
  });
  return links;
}

// What the steps after the comparisons need of each record (16 bytes
// instead of a ResolveRecord and its name).
struct RecordFacts {
  explicit RecordFacts(const ResolveRecords& rr)
      : id(rr.size()), township(rr.size()), name(rr.size()), tf(rr.names.size()), offsets(rr.offsets),
        prefixes(rr.prefixes) {
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, rr.size(), 4096), [&](const tbb::blocked_range<uint32_t>& r) {
      for (uint32_t i = r.begin(); i != r.end(); ++i) {
        id[i] = rr.records[i].id;
        township[i] = rr.township(rr.records[i]);
        name[i] = rr.records[i].name;
      }
    });
    for (size_t k = 0; k < rr.names.size(); ++k) tf[k] = rr.names[k].tf;
  }
  bool valid(uint32_t i) const { return (id[i] & packed_id::kValid) != 0; }
  bool valid_hukou(uint32_t i) const { return i < offsets[1] && valid(i); }
  Feed feed(uint32_t i) const {
    int f = 0;
    while (i >= offsets[f + 1]) ++f;
    return static_cast<Feed>(f);
  }
  RecordRef ref(uint32_t i) const {
    const Feed f = feed(i);
    return {f, i - offsets[FeedIndex(f)]};
  }

  std::vector<uint64_t> id;        // packed ID
  std::vector<uint32_t> township;  // township prefix id, 0 when none
  std::vector<uint32_t> name;      // name index
  std::vector<double> tf;          // by name index: NameInfo::tf
  std::array<uint32_t, kNumPersonFeeds + 1> offsets;
  std::vector<std::string_view> prefixes;
};

// The pairs touching each record (compressed rows): edges(r) are indices
// into the pair list, for the pairs that `keep` selects.
class Incidence {
 public:
  template <typename Keep>
  Incidence(uint32_t n, const std::vector<uint64_t>& pairs, Keep keep) : offsets_(n + 1, 0) {
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (!keep(i)) continue;
      offsets_[PairFirst(pairs[i]) + 1]++;
      offsets_[PairSecond(pairs[i]) + 1]++;
    }
    for (size_t r = 1; r < offsets_.size(); ++r) offsets_[r] += offsets_[r - 1];
    edges_.resize(offsets_.back());
    std::vector<uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (!keep(i)) continue;
      edges_[fill[PairFirst(pairs[i])]++] = static_cast<uint32_t>(i);
      edges_[fill[PairSecond(pairs[i])]++] = static_cast<uint32_t>(i);
    }
  }
  struct Span {
    const uint32_t* b;
    const uint32_t* e;
    const uint32_t* begin() const { return b; }
    const uint32_t* end() const { return e; }
    size_t size() const { return static_cast<size_t>(e - b); }
    bool empty() const { return b == e; }
  };
  Span operator[](uint32_t r) const { return {edges_.data() + offsets_[r], edges_.data() + offsets_[r + 1]}; }

 private:
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> edges_;
};

class ProbabilisticResolver : public Resolver {
 public:
  ProbabilisticResolver(const NameKeys& keys, const ProbabilisticOptions& options) : keys_(keys), opt_(options) {}
  std::string_view name() const override { return "probabilistic"; }

  Result<Resolution> Resolve(const Dataset& data) override {
    Resolution res;
    // Wall and CPU seconds of each step (CPU: the steadier figure on a shared machine).
    auto t_last = std::chrono::steady_clock::now();
    double cpu_last = CpuSeconds();
    std::vector<std::pair<std::string, double>> cpu_figures;
    auto lap = [&](const char* what) {
      const auto now = std::chrono::steady_clock::now();
      const double cpu = CpuSeconds();
      res.figures.emplace_back(std::string("seconds.") + what, std::chrono::duration<double>(now - t_last).count());
      cpu_figures.emplace_back(std::string("cpu_seconds.") + what, cpu - cpu_last);
      t_last = now;
      cpu_last = cpu;
    };
    auto records = std::make_unique<const ResolveRecords>(BuildResolveRecords(data, keys_));
    const ResolveRecords& rr = *records;
    const std::vector<ResolveRecord>& recs = rr.records;
    const uint32_t n = static_cast<uint32_t>(recs.size());

    lap("records");
    // 1. Blocking.
    BlockingOptions bopt;
    bopt.max_block_size = opt_.max_block_size;
    BlockingStats bstats;
    const std::vector<uint64_t> pairs = opt_.reference_blocking ? CandidatePairsReference(rr, keys_, bopt)
                                                                : CandidatePairs(rr, keys_, bopt, &bstats);
    if (opt_.reference_blocking) bstats.candidate_pairs = pairs.size();

    lap("blocking");
    // 2. Comparisons.
    std::vector<ComparisonVector> cv(pairs.size());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, pairs.size(), 4096), [&](const tbb::blocked_range<size_t>& r) {
      for (size_t i = r.begin(); i != r.end(); ++i)
        cv[i] = Compare(rr, recs[PairFirst(pairs[i])], recs[PairSecond(pairs[i])], keys_);
    });

    lap("comparisons");
    // 3. The model: u from random pairs, m and λ by EM on the candidates.
    std::vector<ComparisonVector> random;
    if (n >= 2) {
      uint64_t state = opt_.seed;
      const uint32_t k = std::min<uint64_t>(opt_.random_pairs, static_cast<uint64_t>(n) * (n - 1) / 2);
      std::vector<std::pair<uint32_t, uint32_t>> draws(k);
      for (uint32_t i = 0; i < k; ++i) {
        uint32_t a = static_cast<uint32_t>(SplitMix(&state) % n), b = static_cast<uint32_t>(SplitMix(&state) % n);
        if (a == b) b = (b + 1) % n;
        draws[i] = {a, b};
      }
      random.resize(k);
      tbb::parallel_for(tbb::blocked_range<uint32_t>(0, k, 4096), [&](const tbb::blocked_range<uint32_t>& r) {
        for (uint32_t i = r.begin(); i != r.end(); ++i) random[i] = Compare(rr, recs[draws[i].first], recs[draws[i].second], keys_);
      });
    }
    MatchModel::Options mopt;
    mopt.records = n;
    // The model (mostly serial) is estimated beside the records' facts.
    MatchModel model;
    tbb::task_group estimating;
    estimating.run([&] { model = MatchModel::Estimate(cv, random, mopt); });
    // From here on, resolution needs of each record only its packed ID,
    // name's term frequency, feed and township: the records and names are
    // released (beside the weights).
    const RecordFacts facts(rr);
    estimating.wait();
    std::vector<ComparisonVector>().swap(random);
    tbb::task_group releasing;
    releasing.run([&] { records.reset(); });

    lap("model");
    // 4. Weights, probabilities, decisions.
    std::vector<double> weight(pairs.size()), prob(pairs.size());
    std::vector<Decision> decision(pairs.size());
    // Pairs that a rule (not the weight) keeps apart: their p does not count
    // as a possibly missed link in the self-estimates.
    std::vector<uint8_t> ruled_apart(pairs.size(), 0);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, pairs.size(), 4096), [&](const tbb::blocked_range<size_t>& r) {
      for (size_t i = r.begin(); i != r.end(); ++i) {
        // Term frequencies are read at random: fetch ahead.
        if (i + 8 < r.end()) __builtin_prefetch(&facts.tf[facts.name[PairFirst(pairs[i + 8])]]);
        const ComparisonVector& v = cv[i];
        const uint32_t a = PairFirst(pairs[i]);
        const double tf = facts.tf[facts.name[a]];
        weight[i] = model.Weight(v, tf);
        prob[i] = model.Probability(weight[i]);
        const uint8_t id = v[static_cast<int>(Comparison::kId)];
        const uint8_t nm = v[static_cast<int>(Comparison::kName)];
        const uint8_t bd = v[static_cast<int>(Comparison::kBirth)];
        if ((id == id_level::kExact || id == id_level::kExactAfter15) && nm == name_level::kDifferent &&
            bd == birth_level::kDifferent) {
          decision[i] = Decision::kConflict;  // one ID, two people? (重号)
        } else if (id == id_level::kDifferent || !ValidIdsMayMatch(facts.id[a], facts.id[PairSecond(pairs[i])])) {
          decision[i] = Decision::kReject;
          ruled_apart[i] = 1;
        } else if ((id == id_level::kExact || id == id_level::kExactAfter15) && facts.valid(a)) {
          decision[i] = Decision::kAccept;  // one valid ID, no conflict: the same person
        } else if (nm == name_level::kDifferent || bd == birth_level::kDifferent) {
          // Without one shared valid ID, a different name or a different
          // birth date is never the same person: at most worth a look.
          decision[i] = prob[i] >= opt_.review_probability ? Decision::kReview : Decision::kReject;
          ruled_apart[i] = 1;
        } else if (prob[i] >= opt_.accept_probability) {
          decision[i] = Decision::kAccept;
        } else if (prob[i] >= opt_.review_probability) {
          decision[i] = Decision::kReview;
        } else {
          decision[i] = Decision::kReject;
        }
      }
    });

    releasing.wait();
    lap("weights");
    // 5a. Weak records with a single plausible person. Each record changes
    // only its own links to records with a valid ID (never processed
    // themselves): the records are independent.
    std::atomic<uint64_t> unique_candidate_links = 0;
    {
      const Incidence plausible(n, pairs, [&](size_t i) {
        return prob[i] >= 0.01 && decision[i] != Decision::kConflict &&
               cv[i][static_cast<int>(Comparison::kName)] != name_level::kDifferent;
      });
      tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 4096), [&](const tbb::blocked_range<uint32_t>& range) {
      uint64_t links = 0;
      for (uint32_t r = range.begin(); r != range.end(); ++r) {
        if (facts.valid(r) || plausible[r].empty()) continue;
        const Feed feed = facts.feed(r);
        if (feed != Feed::kMigrant && feed != Feed::kSocial) continue;
        // Best weight per valid ID among the plausible partners (IDs in text order).
        std::map<uint64_t, double> best;
        for (uint32_t e : plausible[r]) {
          const uint32_t other = PairFirst(pairs[e]) == r ? PairSecond(pairs[e]) : PairFirst(pairs[e]);
          if (!facts.valid(other)) continue;
          auto [it, inserted] = best.try_emplace(IdText(facts.id[other]), weight[e]);
          if (!inserted) it->second = std::max(it->second, weight[e]);
        }
        if (best.empty()) continue;
        uint64_t top = 0;
        double top_w = -1e300, second_w = -1e300;
        for (auto& [id, w] : best) {
          if (w > top_w) {
            second_w = top_w;
            top_w = w;
            top = id;
          } else {
            second_w = std::max(second_w, w);
          }
        }
        if (model.Probability(top_w) < opt_.unique_candidate_probability) continue;
        if (top_w - second_w < opt_.ambiguity_margin_bits) continue;
        for (uint32_t e : plausible[r]) {
          const uint32_t other = PairFirst(pairs[e]) == r ? PairSecond(pairs[e]) : PairFirst(pairs[e]);
          if (!facts.valid(other) || IdText(facts.id[other]) != top) continue;
          if (decision[e] == Decision::kReview || (decision[e] == Decision::kReject &&
                                                   prob[e] >= opt_.unique_candidate_probability)) {
            decision[e] = Decision::kAccept;
            links++;
          }
        }
      }
      unique_candidate_links += links;
      });
    }

    // 5. Ambiguity: a record whose accepted links reach two hukou persons
    // (different valid IDs) about equally well is linked to neither. Each
    // record changes only its own links to valid hukou records (never
    // processed themselves): the records are independent.
    std::atomic<uint64_t> ambiguous_records = 0, demoted_links = 0;
    {
      const Incidence accepted(n, pairs, [&](size_t i) { return decision[i] == Decision::kAccept; });
      tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 4096), [&](const tbb::blocked_range<uint32_t>& range) {
      uint64_t ambiguous_here = 0, demoted_here = 0;
      for (uint32_t r = range.begin(); r != range.end(); ++r) {
        if (accepted[r].size() < 2) continue;
        if (facts.valid_hukou(r)) continue;
        std::map<uint64_t, double> best;  // hukou ID (text order) → best weight
        for (uint32_t e : accepted[r]) {
          const uint32_t other = PairFirst(pairs[e]) == r ? PairSecond(pairs[e]) : PairFirst(pairs[e]);
          if (!facts.valid_hukou(other)) continue;
          auto [it, inserted] = best.try_emplace(IdText(facts.id[other]), weight[e]);
          if (!inserted) it->second = std::max(it->second, weight[e]);
        }
        if (best.size() < 2) continue;
        std::vector<std::pair<double, uint64_t>> order;
        for (auto& [id, w] : best) order.emplace_back(w, id);
        std::sort(order.rbegin(), order.rend());
        const bool ambiguous = order[0].first - order[1].first < opt_.ambiguity_margin_bits;
        if (ambiguous) ambiguous_here++;
        for (uint32_t e : accepted[r]) {
          const uint32_t other = PairFirst(pairs[e]) == r ? PairSecond(pairs[e]) : PairFirst(pairs[e]);
          if (!facts.valid_hukou(other)) continue;
          if (ambiguous || IdText(facts.id[other]) != order[0].second) {
            decision[e] = Decision::kReview;
            demoted_here++;
          }
        }
      }
      ambiguous_records += ambiguous_here;
      demoted_links += demoted_here;
      });
    }

    lap("ambiguity");
    // 6. Clustering: strongest links first; never two hukou IDs in one person.
    constexpr uint32_t kNone = UINT32_MAX;
    std::vector<uint32_t> best_edge(n, kNone);  // the strongest applied link of each record
    std::vector<uint32_t> person(n);            // the person of each record, numbered in record order
    uint64_t accepted_links = 0, applied = 0, refused = 0;
    tbb::task_group sizing;
    {
      std::vector<uint64_t> hukou_fp(n, 0);
      tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 16384), [&](const tbb::blocked_range<uint32_t>& r) {
        for (uint32_t i = r.begin(); i != r.end(); ++i) {
          if (facts.valid_hukou(i)) hukou_fp[i] = IdText(facts.id[i]) | packed_id::kWellFormed;
        }
      });
      PersonClusters clusters(std::move(hukou_fp));
      // Accepted links, strongest first (equal weights in pair order).
      std::vector<uint32_t> order =
          StrongestFirst(weight, [&](size_t i) { return decision[i] == Decision::kAccept; });
      accepted_links = order.size();
      // The outputs' room (a large, zeroed allocation) is made beside the
      // links' union, which is serial and does not touch it.
      sizing.run([&] {
        for (int fi = 0; fi < kNumPersonFeeds; ++fi) {
          res.person_of[fi].resize(facts.offsets[fi + 1] - facts.offsets[fi]);
          res.link[fi].resize(facts.offsets[fi + 1] - facts.offsets[fi]);
        }
      });
      for (size_t k = 0; k < order.size(); ++k) {
        if (k + 16 < order.size()) {
          const uint64_t ahead = pairs[order[k + 16]];
          clusters.Prefetch(PairFirst(ahead));
          clusters.Prefetch(PairSecond(ahead));
        }
        const uint32_t e = order[k];
        const double w = weight[e];
        const uint32_t a = PairFirst(pairs[e]), b = PairSecond(pairs[e]);
        auto result = clusters.Union(a, b);
        if (result == PersonClusters::UnionResult::kRefused) {
          refused++;
          continue;
        }
        applied++;
        for (uint32_t x : {a, b}) {
          if (best_edge[x] == kNone || w > weight[best_edge[x]]) best_edge[x] = e;
        }
      }
      std::vector<uint32_t>().swap(order);
      tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 16384), [&](const tbb::blocked_range<uint32_t>& r) {
        for (uint32_t i = r.begin(); i != r.end(); ++i) person[i] = clusters.Root(i);
      });
    }
    {
      std::vector<uint32_t> person_of_root(n, kNone);
      for (uint32_t i = 0; i < n; ++i) {
        uint32_t& p = person_of_root[person[i]];
        if (p == kNone) p = res.num_persons++;
        person[i] = p;
      }
    }

    lap("clustering");
    // 7. Persons, links and explanations.
    sizing.wait();
    res.link_prior_log2_odds = model.prior_log2_odds();
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 4096), [&](const tbb::blocked_range<uint32_t>& range) {
      for (uint32_t i = range.begin(); i != range.end(); ++i) {
        const RecordRef ref = facts.ref(i);
        res.person_of[FeedIndex(ref.feed)][ref.row] = person[i];
        StoredLink& why = res.link[FeedIndex(ref.feed)][ref.row];
        why.anchor = ref;
        if (best_edge[i] != kNone) {
          const size_t e = best_edge[i];
          const uint32_t other = PairFirst(pairs[e]) == i ? PairSecond(pairs[e]) : PairFirst(pairs[e]);
          why.anchor = facts.ref(other);
          why.weight = weight[e];
          why.kind = StoredLink::kLinked;
          why.levels = cv[e];
        }
      }
    });
    std::vector<uint32_t>().swap(best_edge);
    // Pairs left apart: the best such candidate of each record, review
    // pairs, conflicts, and the model's own error estimates.
    // By township prefix id (0: none), the ones that occur marked.
    std::vector<ErrorEstimate> est(facts.prefixes.size());
    std::vector<uint8_t> est_used(facts.prefixes.size(), 0);
    auto estimate_of = [&](uint32_t a, uint32_t b) -> ErrorEstimate& {
      uint32_t t = facts.township[a];
      if (t == 0) t = facts.township[b];
      est_used[t] = 1;
      return est[t];
    };
    // Two passes over the pairs in their order, side by side: the error
    // estimates (sums in pair order), and what each record was not linked to.
    uint64_t conflicts = 0, review = 0;
    tbb::task_group left_apart;
    left_apart.run([&] {
      for (size_t i = 0; i < pairs.size(); ++i) {
        const uint32_t a = PairFirst(pairs[i]), b = PairSecond(pairs[i]);
        if (person[a] == person[b]) {
          if (decision[i] == Decision::kAccept) {
            ErrorEstimate& e = estimate_of(a, b);
            e.links++;
            e.expected_false_links += 1.0 - prob[i];
          }
          continue;
        }
        ErrorEstimate& e = estimate_of(a, b);
        e.rejected_pairs++;
        if (!ruled_apart[i]) e.expected_missed_links += decision[i] == Decision::kConflict ? 0.5 : prob[i];
      }
    });
    for (size_t i = 0; i < pairs.size(); ++i) {
      const uint32_t a = PairFirst(pairs[i]), b = PairSecond(pairs[i]);
      if (person[a] == person[b]) continue;
      const double p = decision[i] == Decision::kConflict ? 0.5 : prob[i];
      for (uint32_t x : {a, b}) {
        const RecordRef ref = facts.ref(x);
        StoredLink& why = res.link[FeedIndex(ref.feed)][ref.row];
        why.best_unlinked = std::max(why.best_unlinked, p);
      }
      if (decision[i] == Decision::kReject) continue;
      PossibleMatch pm;
      pm.a = facts.ref(a);
      pm.b = facts.ref(b);
      pm.why.anchor = pm.a;
      pm.why.weight = weight[i];
      pm.why.confidence = p;
      if (decision[i] == Decision::kConflict) {
        conflicts++;
        pm.why.words = "身份证号相同但姓名和出生日期均不同，可能为重号，请核实";
      } else {
        review++;
        pm.why.words = ExplainLink(cv[i], data.person_fields(pm.a).name, data.person_fields(pm.b).name, prob[i], false);
      }
      res.possible_matches.push_back(std::move(pm));
    }
    left_apart.wait();
    for (size_t t = 0; t < est.size(); ++t) {
      if (!est_used[t]) continue;
      res.estimates.push_back(est[t]);
      res.estimates.back().township = std::string(facts.prefixes[t]);
    }
    std::sort(res.estimates.begin(), res.estimates.end(),
              [](const ErrorEstimate& x, const ErrorEstimate& y) { return x.township < y.township; });
    lap("explanations");

    res.figures.insert(res.figures.end(), cpu_figures.begin(), cpu_figures.end());
    res.counters.emplace_back("records", n);
    res.counters.emplace_back("candidate_pairs", bstats.candidate_pairs);
    res.counters.emplace_back("pairs_skipped_two_valid_ids", bstats.skipped_valid_id_pairs);
    for (int k = 0; k < kNumBlockingKeys; ++k) {
      const std::string key(BlockingKeyName(static_cast<BlockingKey>(k)));
      const BlockingKeyStats& s = bstats.by_key[k];
      res.counters.emplace_back("blocking." + key + ".pairs", s.pairs);
      res.counters.emplace_back("blocking." + key + ".blocks", s.blocks);
      res.counters.emplace_back("blocking." + key + ".capped_blocks", s.capped_blocks);
      res.counters.emplace_back("blocking." + key + ".capped_records", s.capped_records);
      res.counters.emplace_back("blocking." + key + ".largest_block", s.largest_block);
    }
    res.counters.emplace_back("links_accepted", accepted_links);
    res.counters.emplace_back("links_applied", applied);
    res.counters.emplace_back("links_refused_two_hukou_ids", refused);
    res.counters.emplace_back("links_demoted_ambiguous", demoted_links);
    res.counters.emplace_back("ambiguous_records", ambiguous_records);
    res.counters.emplace_back("links_unique_candidate", unique_candidate_links);
    res.counters.emplace_back("id_conflicts", conflicts);
    res.counters.emplace_back("review_pairs", review);
    res.counters.emplace_back("em_iterations", static_cast<uint64_t>(model.iterations()));
    res.figures.emplace_back("lambda", model.lambda());
    res.figures.emplace_back("prior_log2_odds", model.prior_log2_odds());
    res.figures.emplace_back("accept_probability", opt_.accept_probability);
    res.figures.emplace_back("review_probability", opt_.review_probability);
    double false_links = 0, missed = 0;
    for (const ErrorEstimate& e : res.estimates) {
      false_links += e.expected_false_links;
      missed += e.expected_missed_links;
    }
    res.figures.emplace_back("expected_false_links", false_links);
    res.figures.emplace_back("expected_missed_links", missed);
    for (int c = 0; c < kNumComparisons; ++c) {
      const Comparison cmp = static_cast<Comparison>(c);
      for (uint8_t l = 0; l < kLevelCounts[c]; ++l) {
        const std::string key = "weight." + std::string(ComparisonName(cmp)) + "." + std::to_string(l);
        res.figures.emplace_back(key, model.LevelWeight(cmp, l));
      }
    }
    return res;
  }

 private:
  const NameKeys& keys_;
  ProbabilisticOptions opt_;
};

}  // namespace

std::unique_ptr<Resolver> MakeProbabilisticResolver(const NameKeys& keys, const ProbabilisticOptions& options) {
  return std::make_unique<ProbabilisticResolver>(keys, options);
}

}  // namespace rollmatch
