// Kernels of person resolution: blocking keys, candidate pairs, each
// comparison (on the candidate pairs of a synthetic county, so the mix of
// levels is realistic) and the union-find. Every benchmark checks its answer
// before timing.
//
//   build-bench/bench/resolve/rm_bench_resolve [--benchmark_filter=Compare]

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <numeric>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bench/common/synthetic_people.h"
#include "engine/normalize/citizen_id.h"
#include "engine/normalize/dataset.h"
#include "engine/normalize/name_keys.h"
#include "engine/normalize/name_normalizer.h"
#include "engine/resolve/blocking.h"
#include "engine/resolve/comparison.h"
#include "engine/resolve/person_clusters.h"
#include "engine/resolve/resolve_records.h"
#include "ingest/feed_table.h"

namespace rollmatch::bench {
namespace {

const NameKeys& Keys() {
  static const NameKeys* k = [] {
    auto r = NameKeys::Create();
    RM_BENCH_CHECK(r.ok(), "NameKeys::Create failed: " + r.status().message());
    return std::move(r).value().release();
  }();
  return *k;
}

const NameNormalizer& Normalizer() {
  static const NameNormalizer* n = [] {
    auto r = NameNormalizer::Create();
    RM_BENCH_CHECK(r.ok(), "NameNormalizer::Create failed: " + r.status().message());
    return std::move(r).value().release();
  }();
  return *n;
}

// Person records as resolution sees them, built the way the pipeline builds
// them (rows → FeedTable → BuildDataset → BuildResolveRecords), so the
// benchmark does not depend on ResolveRecord's internals.
struct World {
  Dataset data;  // the records point into it
  ResolveRecords rr;
  std::vector<uint32_t> person;                   // the true person of each record
  std::vector<std::vector<uint32_t>> records_of;  // per person: its record indices
  const std::vector<ResolveRecord>& records() const { return rr.records; }
};

using Row = std::vector<std::string>;

// Builds a World from rows of the hukou, social and roll feeds (field order
// of feed_schema.h) and the true person of each row.
std::unique_ptr<World> BuildWorld(const std::array<std::vector<Row>, kNumFeeds>& rows,
                                  const std::array<std::vector<uint32_t>, kNumFeeds>& person_of_row) {
  std::array<FeedTable, kNumFeeds> tables = {FeedTable(Feed::kHukou),  FeedTable(Feed::kMigrant),
                                             FeedTable(Feed::kSocial), FeedTable(Feed::kRoll),
                                             FeedTable(Feed::kRights), FeedTable(Feed::kDistricts)};
  std::array<bool, kNumFeeds> present = {};
  std::vector<std::string_view> values;
  for (int f = 0; f < kNumFeeds; ++f) {
    present[f] = true;
    uint64_t line = 1;
    for (const Row& row : rows[f]) {
      values.assign(row.begin(), row.end());
      tables[f].AddRow(values, SourcePos{0, ++line});
    }
  }
  auto w = std::make_unique<World>();
  std::vector<Reject> rejects;
  auto data = BuildDataset(std::move(tables), present, Normalizer(), &rejects);
  RM_BENCH_CHECK(
      data.ok() && rejects.empty(),
      "BuildDataset: " + (data.ok() ? std::to_string(rejects.size()) + " rejects" : data.status().message()));
  w->data = std::move(data).value();
  w->rr = BuildResolveRecords(w->data, Keys());
  w->person.resize(w->rr.records.size());
  uint32_t persons = 0;
  for (int f = 0; f < kNumPersonFeeds; ++f) {
    for (uint32_t row = 0; row < person_of_row[f].size(); ++row) {
      const uint32_t idx = w->rr.IndexOf(RecordRef{static_cast<Feed>(f), row});
      w->person[idx] = person_of_row[f][row];
      persons = std::max(persons, person_of_row[f][row] + 1);
    }
  }
  w->records_of.resize(persons);
  for (uint32_t i = 0; i < w->person.size(); ++i) w->records_of[w->person[i]].push_back(i);
  return w;
}

std::string OneDigitOff(Rng& rng, std::string id) {
  const size_t at = rng() % 17;
  id[at] = static_cast<char>('0' + (id[at] - '0' + 1 + rng() % 9) % 10);
  return id;
}

// A county: every person has a hukou record; 70% a roll record and 45% a
// social-insurance record, with the generator's clerical error rates (name
// slip 1%, ID digit 0.9%, adjacent transposition 0.45%, birth date 0.5%;
// social: ID missing 2%; roll: birth date missing 2%).
const World& County(size_t persons) {
  static std::unordered_map<size_t, std::unique_ptr<World>> cache;
  auto& slot = cache[persons];
  if (slot) return *slot;
  const SyntheticPeople& gen = SyntheticPeople::Get();
  const auto people = gen.People(persons, 42);
  Rng rng(43);
  std::uniform_real_distribution<double> u(0, 1);
  std::array<std::vector<Row>, kNumFeeds> rows;
  std::array<std::vector<uint32_t>, kNumFeeds> owner;
  for (size_t pi = 0; pi < people.size(); ++pi) {
    const SyntheticPerson& p = people[pi];
    const std::string birth = IsoDate(p.year, p.month, p.day);
    const std::string gender = p.male ? "男" : "女";
    const uint32_t who = static_cast<uint32_t>(pi);
    rows[FeedIndex(Feed::kHukou)].push_back({"H" + std::to_string(pi), p.id, p.name, p.former, gender, birth,
                                             "汉族", p.household, p.village, "", "", ""});
    owner[FeedIndex(Feed::kHukou)].push_back(who);
    for (Feed feed : {Feed::kRoll, Feed::kSocial}) {
      if (u(rng) >= (feed == Feed::kRoll ? 0.70 : 0.45)) continue;
      std::string name = p.name, id = p.id, b = birth;
      if (u(rng) < 0.01 && name.find("\xC2\xB7") == std::string::npos) {
        name = name.substr(0, name.size() - 3) + gen.OtherGivenChar(rng);  // last character slipped
      }
      const double e = u(rng);
      if (e < 0.009) {
        id = OneDigitOff(rng, id);
      } else if (e < 0.0135) {
        const size_t k = 6 + rng() % 10;
        std::swap(id[k], id[k + 1]);
      } else if (feed == Feed::kSocial && e < 0.0335) {
        id.clear();
      }
      if (u(rng) < 0.005) b = IsoDate(p.year, p.month, p.day <= 9 ? p.day + 10 : p.day - 9);
      if (feed == Feed::kRoll) {
        if (u(rng) < 0.02) b.clear();
        rows[FeedIndex(feed)].push_back({"R" + std::to_string(pi), id, name, gender, b,
                                         p.village.substr(0, 11), p.village, "hukou", "2021-10-01"});
      } else {
        rows[FeedIndex(feed)].push_back(
            {"S" + std::to_string(pi), id, name, gender, b, p.village, "", "active", "202409"});
      }
      owner[FeedIndex(feed)].push_back(who);
    }
  }
  slot = BuildWorld(rows, owner);
  return *slot;
}

// The candidate pairs of County(n) (computed once, checked once).
const std::vector<uint64_t>& Candidates(size_t persons) {
  static std::unordered_map<size_t, std::vector<uint64_t>> cache;
  auto it = cache.find(persons);
  if (it != cache.end()) return it->second;
  const World& w = County(persons);
  BlockingStats stats;
  std::vector<uint64_t> pairs = CandidatePairs(w.rr, Keys(), BlockingOptions(), &stats);
  // The answer: sorted, distinct, i < j; every record of a person meets the
  // person's hukou record (records_of[p][0]; record pairs that both meet
  // it may be pruned, blocking.cc): always when they share a valid ID,
  // nearly always otherwise.
  RM_BENCH_CHECK(std::is_sorted(pairs.begin(), pairs.end()) &&
                     std::adjacent_find(pairs.begin(), pairs.end()) == pairs.end(),
                 "CandidatePairs not sorted and distinct");
  for (uint64_t p : pairs) RM_BENCH_CHECK(PairFirst(p) < PairSecond(p), "pair not i < j");
  uint64_t truth = 0, found = 0;
  for (const auto& recs : w.records_of) {
    RM_BENCH_CHECK(w.records()[recs[0]].is_hukou(), "a person's first record is not its hukou record");
    for (size_t y = 1; y < recs.size(); ++y) {
      ++truth;
      const bool got = std::binary_search(pairs.begin(), pairs.end(), MakePair(recs[0], recs[y]));
      found += got;
      const ResolveRecord &a = w.records()[recs[0]], &b = w.records()[recs[y]];
      RM_BENCH_CHECK(got || !(a.valid() && IdText(a.id) == IdText(b.id)),
                     "records " + std::to_string(recs[0]) + "," + std::to_string(recs[y]) +
                         " share a valid ID but are not a candidate pair");
    }
  }
  RM_BENCH_CHECK(found >= truth * 0.99, "candidate pairs link only " + std::to_string(found) + " of " +
                                            std::to_string(truth) + " records to their hukou record");
  RM_BENCH_CHECK(stats.candidate_pairs == pairs.size(), "stats.candidate_pairs");
  return cache.emplace(persons, std::move(pairs)).first->second;
}

// ---------------------------------------------------------------- records

// BuildResolveRecords on the Dataset of a county of range(0) persons with
// range(1) TBB threads. items = records.
void BM_BuildResolveRecords(benchmark::State& state) {
  const size_t persons = static_cast<size_t>(state.range(0));
  const World& w = County(persons);
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                              static_cast<size_t>(state.range(1)));
  {
    // The answer: the same records as the World's (built the same way).
    const ResolveRecords rr = BuildResolveRecords(w.data, Keys());
    RM_BENCH_CHECK(rr.size() == w.rr.size() && rr.names.size() == w.rr.names.size(),
                   "BuildResolveRecords is not deterministic");
    for (uint32_t i = 0; i < rr.size(); ++i) {
      const ResolveRecord &a = rr.records[i], &b = w.rr.records[i];
      RM_BENCH_CHECK(a.id == b.id && a.birth == b.birth && rr.names[a.name].folded == w.rr.names[b.name].folded &&
                         rr.regions_of(a) == w.rr.regions_of(b),
                     "BuildResolveRecords differs at record " + std::to_string(i));
    }
  }
  for (auto _ : state) {
    ResolveRecords rr = BuildResolveRecords(w.data, Keys());
    benchmark::DoNotOptimize(rr.records.data());
  }
  state.SetItemsProcessed(state.iterations() * w.records().size());
  state.counters["records"] = static_cast<double>(w.records().size());
  state.counters["names"] = static_cast<double>(w.rr.names.size());
}
BENCHMARK(BM_BuildResolveRecords)
    ->ArgNames({"persons", "threads"})
    ->Args({100000, 1})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---------------------------------------------------------------- blocking

void BM_BlockingKeysOf(benchmark::State& state) {
  const World& w = County(100000);
  const NameKeys& keys = Keys();
  {
    // Records of one person with one valid ID share the exact-ID key; every record emits keys.
    std::vector<std::pair<uint64_t, uint32_t>> a, b;
    for (uint32_t i = 0; i < w.records().size(); ++i) {
      a.clear();
      BlockingKeysOf(w.rr, i, keys, &a);
      RM_BENCH_CHECK(!a.empty(), "record " + std::to_string(i) + " emits no blocking key");
    }
    for (const auto& recs : w.records_of) {
      if (recs.size() < 2) continue;
      const ResolveRecord &x = w.records()[recs[0]], &y = w.records()[recs[1]];
      if (!x.valid() || IdText(x.id) != IdText(y.id)) continue;
      a.clear();
      b.clear();
      BlockingKeysOf(w.rr, recs[0], keys, &a);
      BlockingKeysOf(w.rr, recs[1], keys, &b);
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      bool shared = false;
      for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i].first == b[j].first) {
          shared = true;
          break;
        }
        a[i].first < b[j].first ? ++i : ++j;
      }
      RM_BENCH_CHECK(shared, "two records with one valid ID share no blocking key");
    }
  }
  std::vector<std::pair<uint64_t, uint32_t>> out;
  out.reserve(64);
  size_t i = 0, emitted = 0;
  for (auto _ : state) {
    out.clear();
    BlockingKeysOf(w.rr, static_cast<uint32_t>(i), keys, &out);
    emitted += out.size();
    benchmark::DoNotOptimize(out.data());
    if (++i == w.records().size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["keys_per_record"] = static_cast<double>(emitted) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_BlockingKeysOf);

// Keys, sort, blocks, pairs, de-duplication: the whole of CandidatePairs()
// on range(0) persons with range(1) TBB threads. items = records.
void BM_CandidatePairs(benchmark::State& state) {
  const size_t persons = static_cast<size_t>(state.range(0));
  const World& w = County(persons);
  const size_t expected = Candidates(persons).size();
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                              static_cast<size_t>(state.range(1)));
  size_t pairs = 0;
  for (auto _ : state) {
    BlockingStats stats;
    auto p = CandidatePairs(w.rr, Keys(), BlockingOptions(), &stats);
    pairs = p.size();
  }
  RM_BENCH_CHECK(pairs == expected, "CandidatePairs is not deterministic");
  state.SetItemsProcessed(state.iterations() * w.records().size());
  state.counters["records"] = static_cast<double>(w.records().size());
  state.counters["pairs"] = static_cast<double>(pairs);
}
BENCHMARK(BM_CandidatePairs)
    ->ArgNames({"persons", "threads"})
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---------------------------------------------------------------- comparisons

// Hand-made hukou records for the level checks: (name, typed ID, birth, region).
struct ProbeRecord {
  std::string name, id, birth, region;
};

std::unique_ptr<World> Probe(const std::vector<ProbeRecord>& recs) {
  std::array<std::vector<Row>, kNumFeeds> rows;
  std::array<std::vector<uint32_t>, kNumFeeds> owner;
  for (size_t i = 0; i < recs.size(); ++i) {
    const ProbeRecord& r = recs[i];
    rows[0].push_back({"P" + std::to_string(i), r.id, r.name, "", "", r.birth, "", "",
                       r.region.empty() ? "" : r.region, "", "", ""});
    owner[0].push_back(static_cast<uint32_t>(i));
  }
  return BuildWorld(rows, owner);
}

void CheckComparisonLevels() {
  static bool done = false;
  if (done) return;
  done = true;
  const std::string id = "32048119900512123" + std::string(1, CheckCharacter("32048119900512123"));
  const std::string id15 = "320481900512123";
  std::string typo = id;
  typo[3] = typo[3] == '9' ? '0' : static_cast<char>(typo[3] + 1);
  std::string swapped = id;
  std::swap(swapped[10], swapped[11]);
  const std::string other = "32048119900512125" + std::string(1, CheckCharacter("32048119900512125"));
  const std::string far = "32058219751203241" + std::string(1, CheckCharacter("32058219751203241"));
  {
    struct {
      std::string id;
      uint8_t want;
    } cases[] = {{id, id_level::kExact},
                 {id15, id_level::kExactAfter15},
                 {typo, id_level::kOneSubstitution},
                 {swapped, id_level::kTransposition},
                 {other, id_level::kSameRegionAndBirth},
                 {far, id_level::kDifferent},
                 {"", id_level::kMissing}};
    std::vector<ProbeRecord> recs = {{"王伟", id, "1990-05-12", "320481100001"}};
    for (const auto& c : cases) recs.push_back({"王伟", c.id, "", "320481100001"});
    auto w = Probe(recs);
    for (size_t i = 0; i < std::size(cases); ++i) {
      const ResolveRecord &a = w->records()[0], &b = w->records()[i + 1];
      const uint8_t got = CompareId(a.id, a.from15(), b.id, b.from15());
      RM_BENCH_CHECK(got == cases[i].want,
                     "CompareId(" + id + ", " + cases[i].id + ") = " + std::to_string(got));
    }
  }
  {
    struct {
      const char* x;
      const char* y;
      uint8_t want;
    } cases[] = {{"王伟", "王伟", name_level::kExact},          {"李堃", "李坤", name_level::kVariant},
                 {"王伟", "王玮", name_level::kSamePinyin},     {"王小明", "王明小", name_level::kSwapped},
                 {"王伟", "王大", name_level::kOneCharDiffers}, {"王伟", "李强", name_level::kDifferent}};
    std::vector<ProbeRecord> recs;
    for (const auto& c : cases) {
      recs.push_back({c.x, "", "", "320481100001"});
      recs.push_back({c.y, "", "", "320481100001"});
    }
    auto w = Probe(recs);
    for (size_t i = 0; i < std::size(cases); ++i) {
      const ResolveRecord &a = w->records()[2 * i], &b = w->records()[2 * i + 1];
      const uint8_t got = CompareName(w->rr, a, b, Keys());
      RM_BENCH_CHECK(got == cases[i].want, std::string("CompareName(") + cases[i].x + ", " + cases[i].y +
                                               ") = " + std::to_string(got) + " (normalized " +
                                               w->data.person_fields(w->rr.ref(2 * i)).name + ", " +
                                               w->data.person_fields(w->rr.ref(2 * i + 1)).name + ")");
    }
  }
  {
    struct {
      const char* x;
      const char* y;
      uint8_t want;
    } cases[] = {{"1990-05-12", "1990-05-12", birth_level::kExact},
                 {"1990-05-12", "1990-05-13", birth_level::kOneDigit},
                 {"1990-05-12", "1990-12-05", birth_level::kDayMonthSwapped},
                 {"1990-05-12", "1990-05-30", birth_level::kWithin31Days},
                 {"1990-05-12", "1975-01-01", birth_level::kDifferent},
                 {"1990-05-12", "", birth_level::kMissing}};
    for (const auto& c : cases) {
      const uint8_t got = CompareBirth(Date::Parse(c.x), Date::Parse(c.y));
      RM_BENCH_CHECK(got == c.want,
                     std::string("CompareBirth(") + c.x + ", " + c.y + ") = " + std::to_string(got));
    }
  }
  {
    struct {
      const char* y;
      uint8_t want;
    } cases[] = {{"320481100001", region_level::kSameVillage},
                 {"320481100002", region_level::kSameTownship},
                 {"320481200001", region_level::kSameCounty},
                 {"320582100001", region_level::kDifferent},
                 {"", region_level::kMissing}};
    std::vector<ProbeRecord> recs = {{"王伟", "", "", "320481100001"}};
    for (const auto& c : cases) recs.push_back({"王伟", "", "", c.y});
    auto w = Probe(recs);
    for (size_t i = 0; i < std::size(cases); ++i) {
      const uint8_t got = CompareRegion(w->rr, w->records()[0], w->records()[i + 1]);
      RM_BENCH_CHECK(got == cases[i].want,
                     std::string("CompareRegion(320481100001, ") + cases[i].y + ") = " + std::to_string(got));
    }
  }
}

// The candidate pairs of a 100,000-person county, cycled.
template <typename Fn>
void RunOverPairs(benchmark::State& state, Fn fn) {
  CheckComparisonLevels();
  const World& w = County(100000);
  const auto& pairs = Candidates(100000);
  size_t i = 0;
  uint64_t sum = 0;
  for (auto _ : state) {
    sum += fn(w.rr, w.records()[PairFirst(pairs[i])], w.records()[PairSecond(pairs[i])]);
    if (++i == pairs.size()) i = 0;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

void BM_CompareId(benchmark::State& state) {
  RunOverPairs(state, [](const ResolveRecords&, const ResolveRecord& a, const ResolveRecord& b) {
    return CompareId(a.id, a.from15(), b.id, b.from15());
  });
}
BENCHMARK(BM_CompareId);

void BM_CompareName(benchmark::State& state) {
  const NameKeys& k = Keys();
  RunOverPairs(state, [&](const ResolveRecords& rr, const ResolveRecord& a, const ResolveRecord& b) {
    return CompareName(rr, a, b, k);
  });
}
BENCHMARK(BM_CompareName);

void BM_CompareBirth(benchmark::State& state) {
  RunOverPairs(state, [](const ResolveRecords&, const ResolveRecord& a, const ResolveRecord& b) {
    return CompareBirth(a.birth, b.birth);
  });
}
BENCHMARK(BM_CompareBirth);

void BM_CompareRegion(benchmark::State& state) {
  RunOverPairs(state, [](const ResolveRecords& rr, const ResolveRecord& a, const ResolveRecord& b) {
    return CompareRegion(rr, a, b);
  });
}
BENCHMARK(BM_CompareRegion);

// The whole comparison vector of a pair (what scoring a candidate pair costs before the weights).
void BM_Compare(benchmark::State& state) {
  const NameKeys& k = Keys();
  RunOverPairs(state, [&](const ResolveRecords& rr, const ResolveRecord& a, const ResolveRecord& b) {
    const ComparisonVector v = Compare(rr, a, b, k);
    return static_cast<uint64_t>(v[0]) + v[1] + v[2] + v[3] + v[4] + v[5] + v[6];
  });
}
BENCHMARK(BM_Compare);

// ---------------------------------------------------------------- union-find

// A simple reference for the check: union by size, per-root hukou fingerprint.
struct ReferenceClusters {
  std::vector<uint32_t> parent, size;
  std::vector<uint64_t> hukou;
  uint64_t refused = 0;
  explicit ReferenceClusters(const std::vector<uint64_t>& h) : parent(h.size()), size(h.size(), 1), hukou(h) {
    std::iota(parent.begin(), parent.end(), 0u);
  }
  uint32_t Find(uint32_t x) {
    uint32_t r = x;
    while (parent[r] != r) r = parent[r];
    while (parent[x] != r) x = std::exchange(parent[x], r);
    return r;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (hukou[a] && hukou[b] && hukou[a] != hukou[b]) {
      ++refused;
      return;
    }
    if (size[a] < size[b]) std::swap(a, b);
    parent[b] = a;
    size[a] += size[b];
    if (!hukou[a]) hukou[a] = hukou[b];
  }
};

struct UnionInputs {
  std::vector<uint64_t> hukou;
  std::vector<std::pair<uint32_t, uint32_t>> unions;
  uint64_t components = 0, refused = 0;
};

// n records in persons of about 2.2 records: the links of each person (in
// random order) plus 2% stray links between strangers, which the hukou-ID
// safeguard must refuse when both sides hold a hukou ID.
const UnionInputs& Unions(uint32_t n) {
  static std::unordered_map<uint32_t, std::unique_ptr<UnionInputs>> cache;
  auto& slot = cache[n];
  if (slot) return *slot;
  slot = std::make_unique<UnionInputs>();
  Rng rng(5);
  std::vector<uint32_t> person(n);
  uint32_t p = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (i == 0 || rng() % 100 < 45) ++p;
    person[i] = p;
  }
  slot->hukou.assign(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    if (i == 0 || person[i] != person[i - 1]) slot->hukou[i] = 0x9E3779B97F4A7C15ull * person[i] | 1;
  }
  for (uint32_t i = 1; i < n; ++i) {
    if (person[i] == person[i - 1]) slot->unions.emplace_back(i - 1, i);
    if (rng() % 100 < 2) slot->unions.emplace_back(i, static_cast<uint32_t>(rng() % n));
  }
  std::shuffle(slot->unions.begin(), slot->unions.end(), rng);
  ReferenceClusters ref(slot->hukou);
  for (auto [a, b] : slot->unions) ref.Union(a, b);
  for (uint32_t i = 0; i < n; ++i) slot->components += ref.Find(i) == i;
  slot->refused = ref.refused;
  // The answer of PersonClusters.
  PersonClusters pc(slot->hukou);
  for (auto [a, b] : slot->unions) pc.Union(a, b);
  uint64_t comps = 0;
  for (uint32_t i = 0; i < n; ++i) comps += pc.Find(i) == i;
  RM_BENCH_CHECK(comps == slot->components && pc.refused() == slot->refused,
                 "PersonClusters: " + std::to_string(comps) + " persons, " + std::to_string(pc.refused()) +
                     " refused; reference " + std::to_string(slot->components) + ", " +
                     std::to_string(slot->refused));
  return *slot;
}

// Union of every link then Find of every record. items = unions + finds.
void BM_UnionFind(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  const UnionInputs& in = Unions(n);
  for (auto _ : state) {
    state.PauseTiming();
    PersonClusters pc(in.hukou);
    state.ResumeTiming();
    for (auto [a, b] : in.unions) pc.Union(a, b);
    uint64_t roots = 0;
    for (uint32_t i = 0; i < n; ++i) roots += pc.Find(i) == i;
    benchmark::DoNotOptimize(roots);
  }
  state.SetItemsProcessed(state.iterations() * (in.unions.size() + n));
  state.counters["unions"] = static_cast<double>(in.unions.size());
}
BENCHMARK(BM_UnionFind)->ArgName("records")->Arg(2000000)->Arg(20000000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rollmatch::bench

int main(int argc, char** argv) {
  rollmatch::bench::RequireReleaseBuild(argv[0]);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
