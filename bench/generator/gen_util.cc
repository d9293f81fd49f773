#include "bench/generator/gen_util.h"

#include <algorithm>

namespace rollmatch::gen {

size_t WeightedTable::Pick(Rng& rng) const {
  const double x = rng.Uniform() * total_;
  auto it = std::upper_bound(cum_.begin(), cum_.end(), x);
  if (it == cum_.end()) return cum_.size() - 1;
  return static_cast<size_t>(it - cum_.begin());
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool IsValidYmd(int ymd) {
  const int y = YearOf(ymd), m = MonthOf(ymd), d = DayOf(ymd);
  return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromYmd(int ymd) {
  int y = YearOf(ymd);
  const unsigned m = MonthOf(ymd), d = DayOf(ymd);
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

int YmdFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Ymd(static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d));
}

int BirthdayAt(int birth, int years) {
  const int y = YearOf(birth) + years, m = MonthOf(birth), d = DayOf(birth);
  if (m == 2 && d == 29 && !IsLeap(y)) return Ymd(y, 3, 1);
  return Ymd(y, m, d);
}

std::string IsoDate(int ymd) {
  if (ymd == 0) return "";
  char buf[16];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", YearOf(ymd), MonthOf(ymd), DayOf(ymd));
  return buf;
}

int ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return 0;
  int v = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) continue;
    if (s[i] < '0' || s[i] > '9') return 0;
    v = v * 10 + (s[i] - '0');
  }
  return IsValidYmd(v) ? v : 0;
}

char IdCheckChar(std::string_view first17) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kChars[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kChars[sum % 11];
}

bool IdValid(std::string_view id) {
  if (id.size() != 18) return false;
  for (int i = 0; i < 17; ++i)
    if (id[i] < '0' || id[i] > '9') return false;
  return IdCheckChar(id.substr(0, 17)) == id[17];
}

std::string MakeId(int region6, int birth, int seq3) {
  char buf[24];
  snprintf(buf, sizeof buf, "%06d%08d%03d", region6, birth, seq3);
  std::string id(buf, 17);
  id.push_back(IdCheckChar(id));
  return id;
}

std::string IdTo15(const std::string& id18) { return id18.substr(0, 6) + id18.substr(8, 9); }

int IdBirth(std::string_view id) {
  int v = 0;
  for (int i = 6; i < 14; ++i) v = v * 10 + (id[i] - '0');
  return IsValidYmd(v) ? v : 0;
}

int IdGender(std::string_view id) { return ((id[16] - '0') % 2 == 1) ? 1 : 2; }

std::vector<char32_t> Utf8Decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    char32_t cp;
    int n;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1F;
      n = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0F;
      n = 3;
    } else {
      cp = c & 0x07;
      n = 4;
    }
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

void Utf8Append(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string Utf8Encode(const std::vector<char32_t>& cps) {
  std::string s;
  for (char32_t c : cps) Utf8Append(s, c);
  return s;
}

std::vector<std::string_view> SplitView(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t p = s.find(sep, start);
    if (p == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
}

}  // namespace rollmatch::gen
