#pragma once
// A calendar date as a day number (days since 1970-01-01, proleptic
// Gregorian), or unknown. Parsing accepts the three forms of the feed
// contract: YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollmatch {

class Date {
 public:
  static constexpr int32_t kUnknown = INT32_MIN;

  Date() = default;
  // REQUIRES: IsValidYmd(y, m, d).
  static Date FromYmd(int y, int m, int d);
  static bool IsValidYmd(int y, int m, int d);
  static bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
  static int DaysInMonth(int y, int m);
  static Date FromDays(int32_t days) { Date x; x.days_ = days; return x; }

  // Parses a date as typed in a feed (surrounding spaces ignored). Empty
  // text gives an unknown date with *ok = true; an impossible or malformed
  // date gives an unknown date with *ok = false.
  static Date Parse(std::string_view text, bool* ok = nullptr);
  // Parses a month (YYYY-MM or YYYYMM) as its first day.
  static Date ParseMonth(std::string_view text, bool* ok = nullptr);

  bool known() const { return days_ != kUnknown; }
  int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  // "YYYY-MM-DD", or "" when unknown.
  std::string ToString() const;

  // The day a person born on this date turns `years` old: 29 February
  // birthdays fall on 1 March in common years.
  // REQUIRES: known().
  Date AddYearsForBirthday(int years) const;

  friend bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend bool operator!=(Date a, Date b) { return a.days_ != b.days_; }
  friend bool operator<(Date a, Date b) { return a.days_ < b.days_; }
  friend bool operator<=(Date a, Date b) { return a.days_ <= b.days_; }
  friend bool operator>(Date a, Date b) { return a.days_ > b.days_; }
  friend bool operator>=(Date a, Date b) { return a.days_ >= b.days_; }

 private:
  int32_t days_ = kUnknown;
};

}  // namespace rollmatch
