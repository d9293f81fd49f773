#include "engine/core/date.h"

#include <cstdio>

#include "engine/core/check.h"

namespace rollmatch {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(int32_t z, int* y, int* m, int* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int yy = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yy + (*m <= 2);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

bool Date::IsValidYmd(int y, int m, int d) {
  return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

int Date::DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && IsLeapYear(y)) return 29;
  return kDays[m - 1];
}

Date Date::FromYmd(int y, int m, int d) {
  RM_DCHECK(IsValidYmd(y, m, d)) << y << "-" << m << "-" << d;
  Date x;
  x.days_ = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return x;
}

Date Date::Parse(std::string_view text, bool* ok) {
  text = Trim(text);
  if (ok) *ok = true;
  if (text.empty()) return Date();
  int y = 0, m = 0, d = 0;
  bool parsed = false;
  if (text.size() == 8) {
    parsed = Digits(text, 0, 4, &y) && Digits(text, 4, 2, &m) && Digits(text, 6, 2, &d);
  } else if (text.size() == 10 && text[4] == text[7] && (text[4] == '-' || text[4] == '/')) {
    parsed = Digits(text, 0, 4, &y) && Digits(text, 5, 2, &m) && Digits(text, 8, 2, &d);
  }
  if (!parsed || !IsValidYmd(y, m, d)) {
    if (ok) *ok = false;
    return Date();
  }
  return FromYmd(y, m, d);
}

Date Date::ParseMonth(std::string_view text, bool* ok) {
  text = Trim(text);
  if (ok) *ok = true;
  if (text.empty()) return Date();
  int y = 0, m = 0;
  bool parsed = false;
  if (text.size() == 6) {
    parsed = Digits(text, 0, 4, &y) && Digits(text, 4, 2, &m);
  } else if (text.size() == 7 && (text[4] == '-' || text[4] == '/')) {
    parsed = Digits(text, 0, 4, &y) && Digits(text, 5, 2, &m);
  }
  if (!parsed || !IsValidYmd(y, m, 1)) {
    if (ok) *ok = false;
    return Date();
  }
  return FromYmd(y, m, 1);
}

int Date::year() const { int y, m, d; CivilFromDays(days_, &y, &m, &d); return y; }
int Date::month() const { int y, m, d; CivilFromDays(days_, &y, &m, &d); return m; }
int Date::day() const { int y, m, d; CivilFromDays(days_, &y, &m, &d); return d; }

std::string Date::ToString() const {
  if (!known()) return "";
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

Date Date::AddYearsForBirthday(int years) const {
  RM_DCHECK(known());
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  y += years;
  if (m == 2 && d == 29 && !IsLeapYear(y)) {
    m = 3;
    d = 1;
  }
  return FromYmd(y, m, d);
}

}  // namespace rollmatch
