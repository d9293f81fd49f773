#pragma once
// The Fellegi-Sunter match model: for each comparison level, m = P(level |
// same person) and u = P(level | different persons). A pair's match weight
// is the sum of log2(m/u) over its comparisons; with the prior λ (the share
// of candidate pairs that are matches) it gives the match probability.
//
// u is measured on random record pairs of this run; m and λ are estimated
// by expectation-maximisation on this run's candidate pairs (no labels).
// Name agreement is term-frequency adjusted: agreeing on 王伟 says less
// than agreeing on 覃缪.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/resolve/comparison.h"

namespace rollmatch {

class MatchModel {
 public:
  struct Options {
    int max_iterations = 30;
    double min_probability = 1e-6;  // floor for every m and u
  };

  // `candidates` and `random_pairs` are comparison vectors.
  static MatchModel Estimate(const std::vector<ComparisonVector>& candidates,
                             const std::vector<ComparisonVector>& random_pairs, const Options& options);
  static MatchModel Estimate(const std::vector<ComparisonVector>& candidates,
                             const std::vector<ComparisonVector>& random_pairs) {
    return Estimate(candidates, random_pairs, Options());
  }

  // log2(m/u) of one level; 0 for "missing" levels.
  double LevelWeight(Comparison c, uint8_t level) const;
  // The pair's weight; `name_tf` (0–1) is the share of records with this
  // name when the names agree exactly (≤ 0: no adjustment).
  double Weight(const ComparisonVector& v, double name_tf) const;
  // Weight of the name level with the term-frequency adjustment.
  double NameWeight(uint8_t level, double name_tf) const;
  // Posterior probability of a match for a weight.
  double Probability(double weight) const;

  double lambda() const { return lambda_; }
  double m(Comparison c, uint8_t level) const { return m_[static_cast<int>(c)][level]; }
  double u(Comparison c, uint8_t level) const { return u_[static_cast<int>(c)][level]; }
  int iterations() const { return iterations_; }

 private:
  std::array<std::vector<double>, kNumComparisons> m_, u_;
  double lambda_ = 0.5;
  int iterations_ = 0;
};

}  // namespace rollmatch
