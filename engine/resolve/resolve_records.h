#pragma once
// Flattens a Dataset's person records into ResolveRecords (feed order:
// hukou, migrant, social, roll, rights; rows in order), precomputing
// everything the comparisons and blocking keys need.

#include <array>
#include <vector>

#include "engine/normalize/dataset.h"
#include "engine/normalize/name_keys.h"
#include "engine/resolve/comparison.h"

namespace rollmatch {

struct ResolveRecords {
  std::vector<NameInfo> names;  // distinct names (records point into it)
  std::vector<ResolveRecord> records;
  std::array<uint32_t, kNumPersonFeeds + 1> offsets{};  // index of each feed's first record
  uint32_t IndexOf(RecordRef r) const { return offsets[FeedIndex(r.feed)] + r.row; }
};

// REQUIRES: `data` outlives the result (records point into it).
ResolveRecords BuildResolveRecords(const Dataset& data, const NameKeys& keys);

}  // namespace rollmatch
