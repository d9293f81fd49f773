#pragma once
// Union-find over records, with the safeguard against chaining: a cluster
// remembers the valid hukou ID it holds (if any), and a union that would put
// two different hukou IDs into one person is refused.

#include <cstdint>
#include <vector>

namespace rollmatch {

class PersonClusters {
 public:
  // `hukou_id[i]` is a non-zero fingerprint of record i's valid hukou ID, or 0.
  explicit PersonClusters(std::vector<uint64_t> hukou_id);

  uint32_t Find(uint32_t x);
  // The root of x, as Find() but changing nothing: many threads may call it
  // at once (while nothing calls Find() or Union()).
  uint32_t Root(uint32_t x) const {
    while (parent_[x] != x) x = parent_[x];
    return x;
  }
  // Fetches x's entries into the cache ahead of a Union() or Find() (they
  // are read at random).
  void Prefetch(uint32_t x) const {
    __builtin_prefetch(&parent_[x]);
    __builtin_prefetch(&hukou_id_[x]);
  }
  enum class UnionResult { kMerged, kAlreadyTogether, kRefused };
  UnionResult Union(uint32_t a, uint32_t b);
  // True when a and b may be merged (no hukou-ID conflict).
  bool Compatible(uint32_t a, uint32_t b);
  uint64_t refused() const { return refused_; }
  uint32_t size() const { return static_cast<uint32_t>(parent_.size()); }

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint8_t> rank_;  // at most log2(size) < 32
  std::vector<uint64_t> hukou_id_;  // per root
  uint64_t refused_ = 0;
};

}  // namespace rollmatch
