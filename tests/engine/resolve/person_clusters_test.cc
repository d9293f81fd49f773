#include "engine/resolve/person_clusters.h"

#include <gtest/gtest.h>

namespace rollmatch {
namespace {

TEST(PersonClusters, NeverJoinsTwoHukouIds) {
  // Records 0 and 3 carry different hukou IDs (twins); 1 links to 0, 2 links
  // to 3, and a weak link 1–2 would chain the twins into one person.
  PersonClusters c({11, 0, 0, 22});
  EXPECT_EQ(c.Union(0, 1), PersonClusters::UnionResult::kMerged);
  EXPECT_EQ(c.Union(3, 2), PersonClusters::UnionResult::kMerged);
  EXPECT_FALSE(c.Compatible(1, 2));
  EXPECT_EQ(c.Union(1, 2), PersonClusters::UnionResult::kRefused);
  EXPECT_NE(c.Find(0), c.Find(3));
  EXPECT_EQ(c.refused(), 1u);
}

TEST(PersonClusters, SameHukouIdAndUnanchoredRecordsJoin) {
  PersonClusters c({7, 7, 0, 0});
  EXPECT_EQ(c.Union(0, 1), PersonClusters::UnionResult::kMerged);
  EXPECT_EQ(c.Union(2, 3), PersonClusters::UnionResult::kMerged);
  EXPECT_EQ(c.Union(3, 0), PersonClusters::UnionResult::kMerged);
  EXPECT_EQ(c.Union(1, 2), PersonClusters::UnionResult::kAlreadyTogether);
  EXPECT_EQ(c.Find(0), c.Find(2));
  EXPECT_EQ(c.refused(), 0u);
}

}  // namespace
}  // namespace rollmatch
