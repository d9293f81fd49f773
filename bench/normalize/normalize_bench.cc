// Kernels of the normalize stage: citizen IDs (normalization and the check
// character), Chinese names (NameNormalizer: cold, repeated, memoized), and
// the name keys resolution needs (NameKeys: pinyin, variant folding).
// Every benchmark checks its answer on all of its inputs before timing.
//
//   build-bench/bench/normalize/rm_bench_normalize [--benchmark_filter=Name]

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bench/common/synthetic_people.h"
#include "engine/normalize/citizen_id.h"
#include "engine/normalize/name_keys.h"
#include "engine/normalize/name_normalizer.h"

namespace rollmatch::bench {
namespace {

constexpr size_t kInputs = 1 << 20;  // 1,048,576: far beyond the CPU caches

const std::vector<SyntheticPerson>& People() {
  static const auto* people = new std::vector<SyntheticPerson>(SyntheticPeople::Get().People(kInputs, 4));
  return *people;
}

const NameNormalizer& Normalizer() {
  static const NameNormalizer* n = [] {
    auto r = NameNormalizer::Create();
    RM_BENCH_CHECK(r.ok(), "NameNormalizer::Create failed: " + r.status().message());
    return std::move(r).value().release();
  }();
  return *n;
}

const NameKeys& Keys() {
  static const NameKeys* k = [] {
    auto r = NameKeys::Create();
    RM_BENCH_CHECK(r.ok(), "NameKeys::Create failed: " + r.status().message());
    return std::move(r).value().release();
  }();
  return *k;
}

// ---------------------------------------------------------------- citizen IDs

struct IdInputs {
  std::vector<std::string> raw;
  size_t bytes = 0;
};

// rate 0: 18-character IDs as they should be; rate > 0: each cosmetic noise
// with that chance; rate 1: every one full-width, spaced, 15-digit where possible.
const IdInputs& Ids(int percent) {
  static std::unordered_map<int, std::unique_ptr<IdInputs>> cache;
  auto& slot = cache[percent];
  if (!slot) {
    slot = std::make_unique<IdInputs>();
    Rng rng(100 + percent);
    for (const SyntheticPerson& p : People()) {
      std::string raw = percent == 0 ? p.id : SyntheticPeople::MessyId(rng, p.id, percent / 100.0);
      slot->bytes += raw.size();
      slot->raw.push_back(std::move(raw));
    }
    // The answer: every input normalizes back to the person's ID, valid.
    for (size_t i = 0; i < slot->raw.size(); ++i) {
      const CitizenId id = NormalizeCitizenId(slot->raw[i]);
      RM_BENCH_CHECK(
          id.valid() && id.text() == People()[i].id,
          "NormalizeCitizenId(\"" + slot->raw[i] + "\") = \"" + std::string(id.text()) + "\", expected " + People()[i].id);
    }
  }
  return *slot;
}

void BM_NormalizeCitizenId(benchmark::State& state) {
  const IdInputs& in = Ids(static_cast<int>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    CitizenId id = NormalizeCitizenId(in.raw[i]);
    benchmark::DoNotOptimize(id);
    if (++i == in.raw.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (in.bytes / in.raw.size())));
}
// 0: clean 18-character IDs; 2: the feeds' cosmetic noise at 2% per kind
// (full-width digits, spaces, lower-case x, 15 digits); 100: every ID full-width (ICU NFKC path).
BENCHMARK(BM_NormalizeCitizenId)->ArgName("noise_pct")->Arg(0)->Arg(2)->Arg(100);

// Validation alone: half the IDs with one digit changed (MOD 11-2 catches every one).
void BM_HasValidCheckCharacter(benchmark::State& state) {
  static const std::vector<std::string>* ids = [] {
    auto* v = new std::vector<std::string>();
    Rng rng(7);
    for (const SyntheticPerson& p : People()) {
      std::string id = p.id;
      if (v->size() % 2 == 1) {
        const size_t at = rng() % 17;
        id[at] = static_cast<char>('0' + (id[at] - '0' + 1 + rng() % 9) % 10);
      }
      v->push_back(id);
    }
    for (size_t i = 0; i < v->size(); ++i) {
      const bool want = i % 2 == 0;
      RM_BENCH_CHECK(HasValidCheckCharacter((*v)[i]) == want, "HasValidCheckCharacter(" + (*v)[i] + ")");
      RM_BENCH_CHECK(want == (CheckCharacter((*v)[i]) == (*v)[i][17]), "reference check character disagrees");
    }
    return v;
  }();
  size_t i = 0, valid = 0;
  for (auto _ : state) {
    valid += HasValidCheckCharacter((*ids)[i]);
    if (++i == ids->size()) i = 0;
  }
  benchmark::DoNotOptimize(valid);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 18);
}
BENCHMARK(BM_HasValidCheckCharacter);

// ---------------------------------------------------------------- names

struct NameInputs {
  std::vector<std::string> raw;
  std::vector<std::string> expected;
  size_t bytes = 0;
};

// Names as typed: 3% of records traditional, spaces / U+3000, dot variants.
// The answer: every noisy form normalizes to what its clean form normalizes
// to, and a few documented examples are exact. (The clean forms are not
// always unchanged: the name tables contain some traditional characters, and
// their count is printed, see bench/README.md; standard characters such as
// 乾 於 are kept since the 通用规范汉字表 rule.)
const NameInputs& MessyNames() {
  static const NameInputs* in = [] {
    const NameNormalizer& n = Normalizer();
    const std::pair<const char*, const char*> kExamples[] = {{"張 三", "张三"},
                                                             {"\xE3\x80\x80王伟 ", "王伟"},
                                                             {"买买提\xE2\x80\xA2亚森", "买买提·亚森"},
                                                             {"買買提・亞森", "买买提·亚森"},
                                                             {"欧阳\xE3\x80\x80修", "欧阳修"},
                                                             {"ｗａｎｇ", "WANG"}};
    for (auto [raw, want] : kExamples) {
      RM_BENCH_CHECK(n.Normalize(raw) == want,
                     std::string("Normalize(\"") + raw + "\") = \"" + n.Normalize(raw) + "\"");
    }
    auto* v = new NameInputs();
    Rng rng(11);
    size_t changed_clean = 0;
    std::string example;
    for (const SyntheticPerson& p : People()) {
      v->raw.push_back(SyntheticPeople::Get().MessyName(rng, p.name, 0.03));
      v->expected.push_back(n.Normalize(p.name));
      if (v->expected.back() != p.name) {
        ++changed_clean;
        if (example.empty()) example = p.name + " -> " + v->expected.back();
      }
      v->bytes += v->raw.back().size();
    }
    size_t noisy = 0;
    for (size_t i = 0; i < v->raw.size(); ++i) {
      noisy += v->raw[i] != People()[i].name;
      const std::string got = n.Normalize(v->raw[i]);
      RM_BENCH_CHECK(got == v->expected[i], "Normalize(\"" + v->raw[i] + "\") = \"" + got +
                                                "\", expected \"" + v->expected[i] + "\"");
    }
    RM_BENCH_CHECK(noisy > v->raw.size() / 50, "too few noisy names to be realistic");
    std::fprintf(stderr,
                 "normalize_bench: %zu of %zu noisy names; %zu clean names changed by Normalize (e.g. %s)\n",
                 noisy, v->raw.size(), changed_clean, example.c_str());
    return v;
  }();
  return *in;
}

// Cold: a fresh input each time, 1M distinct strings (arena beyond the caches).
void BM_NormalizeName_Cold(benchmark::State& state) {
  const NameInputs& in = MessyNames();
  const NameNormalizer& n = Normalizer();
  size_t i = (in.raw.size() / 2) * state.thread_index();
  for (auto _ : state) {
    std::string s = n.Normalize(in.raw[i]);
    benchmark::DoNotOptimize(s);
    if (++i == in.raw.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (in.bytes / in.raw.size())));
}
BENCHMARK(BM_NormalizeName_Cold)->Threads(1)->Threads(2)->UseRealTime();

// Repeated: the same 1,024 names over and over (inputs and tables hot in cache).
void BM_NormalizeName_Repeated(benchmark::State& state) {
  const NameInputs& in = MessyNames();
  const NameNormalizer& n = Normalizer();
  size_t i = 0;
  for (auto _ : state) {
    std::string s = n.Normalize(in.raw[i]);
    benchmark::DoNotOptimize(s);
    i = (i + 1) & 1023;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeName_Repeated);

// Memoized: the pipeline's alternative, "each distinct name normalized once":
// one pass over 1M records with a fresh hash map raw → normalized. Compare
// items/s with _Cold to see whether memoization pays.
void BM_NormalizeName_Memoized(benchmark::State& state) {
  const NameInputs& in = MessyNames();
  const NameNormalizer& n = Normalizer();
  size_t distinct = 0;
  for (auto _ : state) {
    std::unordered_map<std::string_view, std::string> memo;
    memo.reserve(in.raw.size() / 2);
    size_t total = 0;
    for (const std::string& raw : in.raw) {
      auto [it, fresh] = memo.try_emplace(raw);
      if (fresh) it->second = n.Normalize(raw);
      total += it->second.size();
    }
    distinct = memo.size();
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * in.raw.size());
  state.counters["distinct"] = static_cast<double>(distinct);
}
BENCHMARK(BM_NormalizeName_Memoized)->Unit(benchmark::kMillisecond);

// Former-names lists ("张三；李四,王五").
void BM_NormalizeNameList(benchmark::State& state) {
  static const std::vector<std::pair<std::string, size_t>>* lists = [] {
    auto* v = new std::vector<std::pair<std::string, size_t>>();
    const auto& people = People();
    static const char* kSeps[] = {";", "\xEF\xBC\x9B", ",", "\xEF\xBC\x8C", "\xE3\x80\x81"};
    for (size_t i = 0; i + 2 < 3 * 65536; i += 3) {
      v->emplace_back(people[i].name + kSeps[i % 5] + people[i + 1].name, 2);
    }
    for (const auto& [raw, count] : *v) {
      RM_BENCH_CHECK(Normalizer().NormalizeList(raw).size() == count, "NormalizeList(\"" + raw + "\")");
    }
    return v;
  }();
  size_t i = 0;
  for (auto _ : state) {
    auto parts = Normalizer().NormalizeList((*lists)[i].first);
    benchmark::DoNotOptimize(parts);
    if (++i == lists->size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeNameList);

// ---------------------------------------------------------------- name keys

const std::vector<std::string>& NormalizedNames() {
  static const std::vector<std::string>* names = [] {
    auto* v = new std::vector<std::string>();
    for (const SyntheticPerson& p : People()) v->push_back(NameNormalizer::WithoutDots(p.name));
    const NameKeys& k = Keys();
    // The documented examples (name_keys.h), then every generated name.
    const std::pair<const char*, const char*> kPinyin[] = {{"王伟", "wangwei"},        {"王玮", "wangwei"},
                                                           {"单雄信", "shanxiongxin"}, {"王单", "wangdan"},
                                                           {"尉迟恭", "yuchigong"},    {"吕方", "lvfang"}};
    for (auto [name, want] : kPinyin) {
      RM_BENCH_CHECK(k.Pinyin(name) == want,
                     std::string("Pinyin(") + name + ") = " + k.Pinyin(name) + ", want " + want);
    }
    for (const std::string& name : *v) {
      const std::string p = k.Pinyin(name);
      bool lower = !p.empty();
      // Han characters read as lower-case syllables; Latin letters pass upper-cased.
      for (char c : p) lower = lower && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
      RM_BENCH_CHECK(lower, "Pinyin(" + name + ") = \"" + p + "\": not letters");
    }
    return v;
  }();
  return *names;
}

void BM_Pinyin(benchmark::State& state) {
  const auto& names = NormalizedNames();
  const NameKeys& k = Keys();
  size_t i = (names.size() / 2) * state.thread_index();
  for (auto _ : state) {
    std::string p = k.Pinyin(names[i]);
    benchmark::DoNotOptimize(p);
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Pinyin)->Threads(1)->Threads(2)->UseRealTime();

void BM_FoldVariants(benchmark::State& state) {
  const auto& names = NormalizedNames();
  const NameKeys& k = Keys();
  const std::pair<const char*, const char*> kFold[] = {
      {"张峯", "张峰"}, {"李堃", "李坤"}, {"王喆", "王哲"}, {"王伟", "王伟"}};
  for (auto [name, want] : kFold) {
    RM_BENCH_CHECK(k.FoldVariants(name) == want,
                   std::string("FoldVariants(") + name + ") = " + k.FoldVariants(name));
  }
  size_t i = 0;
  for (auto _ : state) {
    std::string f = k.FoldVariants(names[i]);
    benchmark::DoNotOptimize(f);
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FoldVariants);

// Everything BuildResolveRecords derives from one normalized name:
// without dots, as code points, folded, pinyin, surname length.
void BM_NameKeysPerRecord(benchmark::State& state) {
  const auto& names = NormalizedNames();
  const NameKeys& k = Keys();
  RM_BENCH_CHECK(k.SurnameLength(ToU32("欧阳修")) == 2 && k.SurnameLength(ToU32("王伟")) == 1,
                 "SurnameLength");
  size_t i = 0;
  for (auto _ : state) {
    std::string nd = NameNormalizer::WithoutDots(names[i]);
    std::u32string u = ToU32(nd);
    std::string f = k.FoldVariants(nd);
    std::string p = k.Pinyin(nd);
    size_t s = k.SurnameLength(u);
    benchmark::DoNotOptimize(f);
    benchmark::DoNotOptimize(p);
    benchmark::DoNotOptimize(s);
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NameKeysPerRecord);

// One-time costs paid by every run (the pipeline overlaps them with ingest).
void BM_NameNormalizerCreate(benchmark::State& state) {
  for (auto _ : state) {
    auto n = NameNormalizer::Create();
    RM_BENCH_CHECK(n.ok() && (*n)->Normalize("張 三") == "张三", "NameNormalizer::Create");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NameNormalizerCreate)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_NameKeysCreate(benchmark::State& state) {
  for (auto _ : state) {
    auto k = NameKeys::Create();
    RM_BENCH_CHECK(k.ok() && (*k)->Pinyin("王伟") == "wangwei", "NameKeys::Create");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NameKeysCreate)->Unit(benchmark::kMillisecond)->Iterations(3);

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
