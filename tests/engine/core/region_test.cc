#include "engine/core/region.h"

#include <gtest/gtest.h>

namespace rollmatch {
namespace {

TEST(Region, CodesOfTheAllowedWidths) {
  EXPECT_TRUE(IsRegionCode("32"));
  EXPECT_TRUE(IsRegionCode("320481"));
  EXPECT_TRUE(IsRegionCode("320481101"));
  EXPECT_TRUE(IsRegionCode("320481101201"));
  EXPECT_FALSE(IsRegionCode("3204811"));
  EXPECT_FALSE(IsRegionCode("32048110120X"));
  EXPECT_FALSE(IsRegionCode(""));
}

TEST(Region, CountyAndTownshipArePrefixes) {
  EXPECT_EQ(CountyOf("320481101201"), "320481");
  EXPECT_EQ(TownshipOf("320481101201"), "320481101");
  EXPECT_EQ(TownshipOf("320481"), "");
}

TEST(Region, WithinScope) {
  EXPECT_TRUE(RegionWithin("320481101201", "320481"));
  EXPECT_TRUE(RegionWithin("320481101201", "32"));
  EXPECT_TRUE(RegionWithin("320481101", "320481101"));
  EXPECT_FALSE(RegionWithin("320481", "320481101"));
  EXPECT_FALSE(RegionWithin("341221104201", "320481"));
  EXPECT_FALSE(RegionWithin("320481101201", ""));
}

}  // namespace
}  // namespace rollmatch
