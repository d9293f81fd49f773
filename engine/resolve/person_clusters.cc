#include "engine/resolve/person_clusters.h"

#include <numeric>
#include <utility>

namespace rollmatch {

PersonClusters::PersonClusters(std::vector<uint64_t> hukou_id)
    : parent_(hukou_id.size()), rank_(hukou_id.size(), 0), hukou_id_(std::move(hukou_id)) {
  std::iota(parent_.begin(), parent_.end(), 0u);
}

uint32_t PersonClusters::Find(uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

bool PersonClusters::Compatible(uint32_t a, uint32_t b) {
  const uint64_t ha = hukou_id_[Find(a)], hb = hukou_id_[Find(b)];
  return ha == 0 || hb == 0 || ha == hb;
}

PersonClusters::UnionResult PersonClusters::Union(uint32_t a, uint32_t b) {
  uint32_t ra = Find(a), rb = Find(b);
  if (ra == rb) return UnionResult::kAlreadyTogether;
  const uint64_t ha = hukou_id_[ra], hb = hukou_id_[rb];
  if (ha != 0 && hb != 0 && ha != hb) {
    ++refused_;
    return UnionResult::kRefused;
  }
  if (rank_[ra] < rank_[rb]) std::swap(ra, rb);
  parent_[rb] = ra;
  if (rank_[ra] == rank_[rb]) rank_[ra]++;
  hukou_id_[ra] = ha != 0 ? ha : hb;
  return UnionResult::kMerged;
}

}  // namespace rollmatch
