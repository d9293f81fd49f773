#include "engine/core/date.h"

#include <gtest/gtest.h>

namespace rollmatch {
namespace {

TEST(Date, ParsesTheThreeContractForms) {
  for (const char* text : {"2026-12-15", "20261215", "2026/12/15", "  2026-12-15 "}) {
    bool ok = false;
    Date d = Date::Parse(text, &ok);
    EXPECT_TRUE(ok) << text;
    EXPECT_EQ(d.ToString(), "2026-12-15") << text;
  }
}

TEST(Date, EmptyIsUnknownAndOk) {
  bool ok = false;
  Date d = Date::Parse("", &ok);
  EXPECT_TRUE(ok);
  EXPECT_FALSE(d.known());
  EXPECT_EQ(d.ToString(), "");
}

TEST(Date, ImpossibleDatesAreUnknownAndNotOk) {
  for (const char* text : {"2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-5", "2026.12.15",
                           "2026-12/15", "abcd-ef-gh"}) {
    bool ok = true;
    Date d = Date::Parse(text, &ok);
    EXPECT_FALSE(ok) << text;
    EXPECT_FALSE(d.known()) << text;
  }
}

TEST(Date, LeapDayIsValidInLeapYears) {
  bool ok = false;
  EXPECT_EQ(Date::Parse("2008-02-29", &ok).ToString(), "2008-02-29");
  EXPECT_TRUE(ok);
  EXPECT_EQ(Date::Parse("2000-02-29", &ok).ToString(), "2000-02-29");
  Date::Parse("1900-02-29", &ok);
  EXPECT_FALSE(ok);
}

TEST(Date, EighteenthBirthdayOfLeapDayIsFirstOfMarchInCommonYear) {
  Date born = Date::Parse("2008-02-29");
  EXPECT_EQ(born.AddYearsForBirthday(18).ToString(), "2026-03-01");
  // 2028 + 18 = 2046 is common; 2004 + 16 = 2020 is a leap year.
  EXPECT_EQ(Date::Parse("2004-02-29").AddYearsForBirthday(16).ToString(), "2020-02-29");
  EXPECT_EQ(Date::Parse("1990-12-31").AddYearsForBirthday(18).ToString(), "2008-12-31");
}

TEST(Date, OrderAndComponents) {
  Date a = Date::Parse("2026-12-14"), b = Date::Parse("2026-12-15");
  EXPECT_LT(a, b);
  EXPECT_EQ(b.days() - a.days(), 1);
  EXPECT_EQ(b.year(), 2026);
  EXPECT_EQ(b.month(), 12);
  EXPECT_EQ(b.day(), 15);
  EXPECT_EQ(Date::Parse("1970-01-01").days(), 0);
}

TEST(Date, MonthsParseAsTheirFirstDay) {
  bool ok = false;
  EXPECT_EQ(Date::ParseMonth("2026-11", &ok).ToString(), "2026-11-01");
  EXPECT_TRUE(ok);
  EXPECT_EQ(Date::ParseMonth("202611", &ok).ToString(), "2026-11-01");
  Date::ParseMonth("2026-13", &ok);
  EXPECT_FALSE(ok);
}

}  // namespace
}  // namespace rollmatch
