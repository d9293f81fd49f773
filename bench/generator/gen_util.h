#pragma once
// Small self-contained helpers of the generator: a fixed PRNG, civil dates,
// citizen-ID arithmetic (GB 11643) and UTF-8 code points. The generator is an
// independent oracle for the engine, so none of this comes from engine/.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rollmatch::gen {

// splitmix64: seeds and stateless hashing.
inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
inline uint64_t HashMix(uint64_t a, uint64_t b) { return SplitMix64(a ^ SplitMix64(b + 0x632BE59BD9B4E019ULL)); }

// xoshiro256**: the generator's only source of randomness. Deterministic for
// a seed on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (auto& w : s_) {
      x += 0x9E3779B97F4A7C15ULL;
      w = SplitMix64(x);
    }
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64); }
  // Uniform in [lo, hi].
  int64_t Range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1))); }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }
  template <class V>
  const typename V::value_type& Pick(const V& v) { return v[Below(v.size())]; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Weighted choice by cumulative weights (binary search).
class WeightedTable {
 public:
  void Add(double w) {
    total_ += w;
    cum_.push_back(total_);
  }
  size_t Pick(Rng& rng) const;
  size_t size() const { return cum_.size(); }
  double total() const { return total_; }

 private:
  std::vector<double> cum_;
  double total_ = 0;
};

// ---- Civil dates as yyyymmdd integers (0 = unknown). ----
bool IsLeap(int y);
int DaysInMonth(int y, int m);
inline int Ymd(int y, int m, int d) { return y * 10000 + m * 100 + d; }
inline int YearOf(int ymd) { return ymd / 10000; }
inline int MonthOf(int ymd) { return ymd / 100 % 100; }
inline int DayOf(int ymd) { return ymd % 100; }
bool IsValidYmd(int ymd);
// Days since 1970-01-01 and back.
int64_t DaysFromYmd(int ymd);
int YmdFromDays(int64_t days);
inline int AddDays(int ymd, int64_t n) { return YmdFromDays(DaysFromYmd(ymd) + n); }
// The date a person born on `birth` turns `years` old: the same month and day,
// except that 29 February becomes 1 March in a common year.
int BirthdayAt(int birth, int years);
// "YYYY-MM-DD", "" for 0.
std::string IsoDate(int ymd);
// Parses YYYY-MM-DD; 0 on failure.
int ParseIsoDate(std::string_view s);

// ---- Citizen IDs (GB 11643-1999). ----
// REQUIRES: first17 holds 17 ASCII digits.
char IdCheckChar(std::string_view first17);
bool IdValid(std::string_view id18);
// "RRRRRRYYYYMMDDSSS" + check.
std::string MakeId(int region6, int birth, int seq3);
// The legacy 15-digit form (drop "19" and the check char). REQUIRES: born 19xx.
std::string IdTo15(const std::string& id18);
// Birth date and gender (1 male, 2 female) an 18-character ID encodes.
int IdBirth(std::string_view id18);
int IdGender(std::string_view id18);

// ---- UTF-8. ----
std::vector<char32_t> Utf8Decode(std::string_view s);
void Utf8Append(std::string& out, char32_t c);
std::string Utf8Encode(const std::vector<char32_t>& cps);
inline std::string Utf8Of(char32_t c) {
  std::string s;
  Utf8Append(s, c);
  return s;
}

// Splits on a single-byte separator.
std::vector<std::string_view> SplitView(std::string_view s, char sep);

}  // namespace rollmatch::gen
