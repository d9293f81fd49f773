#pragma once
// Realistic inputs for the Google Benchmark kernels (bench/normalize,
// bench/resolve, bench/ingest): Chinese names drawn by frequency from
// data/names (surnames incl. compound ones, gender-leaning given-name
// characters, minority · names), valid citizen IDs of Jiangsu villages
// (data/admin-divisions), and the cosmetic noise the feeds carry (spaces,
// U+3000, traditional characters, dot variants, full-width digits, lower-case
// x, 15-digit numbers). Deterministic for a seed.
//
// Independent of engine/normalize on purpose: the check character is
// computed here again, so a benchmark can check the engine's answer.
//
// Also: RequireReleaseBuild() and RM_BENCH_CHECK, which every benchmark
// executable uses (a benchmark refuses Debug builds and checks its answer
// before timing it).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace rollmatch::bench {

// Prints why and exits 1 in a build without NDEBUG. Inline so that it sees
// the flags of the benchmark's own translation unit.
inline void RequireReleaseBuild(const char* program) {
#ifndef NDEBUG
  std::fprintf(stderr,
               "%s: refusing to run: this is a Debug build (NDEBUG unset); timings would be meaningless.\n"
               "Configure with -DCMAKE_BUILD_TYPE=Release (e.g. cmake -S . -B build-bench "
               "-DCMAKE_BUILD_TYPE=Release).\n",
               program);
  std::exit(1);
#else
  (void)program;
#endif
}

// A wrong answer aborts the whole executable before anything is timed.
[[noreturn]] void CheckFailed(const char* file, int line, const std::string& what);
#define RM_BENCH_CHECK(cond, what)                                            \
  do {                                                                        \
    if (!(cond)) ::rollmatch::bench::CheckFailed(__FILE__, __LINE__, (what)); \
  } while (0)

using Rng = std::mt19937_64;

// ISO 7064 MOD 11-2 check character of 17 ASCII digits (independent of the engine).
char CheckCharacter(std::string_view first17);

struct SyntheticPerson {
  std::string id;      // 18 characters, valid
  std::string name;    // simplified, no spaces, "·" as the only dot: what NameNormalizer returns
  std::string former;  // a former name (simplified) or ""
  int year = 0, month = 0, day = 0;
  bool male = true;
  std::string village;    // 12-digit region code of Jiangsu (province 32)
  std::string household;  // household id
};

class SyntheticPeople {
 public:
  // Loaded once from ROLLMATCH_DATA_DIR; aborts with a message when the data is missing.
  static const SyntheticPeople& Get();

  // A name in normalized form: surname by frequency (about 1% compound),
  // one or two given characters by their position weights; about 0.3% a
  // minority name with "·".
  std::string Name(Rng& rng, bool male) const;
  // A person with a valid ID of a village of the county (or, 15% of the
  // time, of another Jiangsu county), born 1930..2008.
  SyntheticPerson Person(Rng& rng) const;
  // n people in households of 1..5 sharing surname, village and household id.
  std::vector<SyntheticPerson> People(size_t n, uint64_t seed) const;

  // The name as a clerk might have typed it: traditional characters (only
  // those that map back uniquely), a space or U+3000 inside or around it,
  // a dot variant for · names. `rate` is the chance of each kind of noise.
  std::string MessyName(Rng& rng, std::string_view name, double rate) const;
  // The ID as typed: lower-case x, full-width digits, spaces, or a 15-digit
  // number when born in 19xx. NormalizeCitizenId() must give `id` back
  // whatever the noise. `rate` is the chance of each kind of noise.
  static std::string MessyId(Rng& rng, const std::string& id, double rate);

  // Another given-name character (for name slips in resolution inputs).
  std::string OtherGivenChar(Rng& rng) const;

  const std::vector<std::string>& villages() const { return villages_; }

 private:
  SyntheticPeople() = default;
  struct Weighted {
    std::vector<std::string> items;
    mutable std::discrete_distribution<size_t> dist;  // stateless for size_t draws
    const std::string& Draw(Rng& rng) const { return items[dist(rng)]; }
  };
  Weighted surnames_;
  Weighted given_single_, given_first_, given_second_;
  std::vector<std::string> minority_names_;
  std::vector<std::string> villages_;        // 12 digits, county 320481 (the generator's default scope)
  std::vector<std::string> other_villages_;  // elsewhere in Jiangsu
  std::vector<std::pair<std::string, std::string>>
      traditional_;  // simplified → traditional, unique both ways
};

// "YYYY-MM-DD".
std::string IsoDate(int y, int m, int d);

}  // namespace rollmatch::bench
