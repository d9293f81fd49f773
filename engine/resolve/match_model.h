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
//
// Safeguards against what EM cannot learn from one county's data: "missing"
// levels weigh 0 and the others are conditional on not missing; m has a
// Dirichlet prior (kPriorM) so rare levels stay sensible; no level weighs
// less than "different" or more than exact agreement; the household
// comparison (户号: only hukou pairs have one) uses fixed m.

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/resolve/comparison.h"

namespace rollmatch {

// The posterior probability of a match for a pair's weight (log2 Bayes
// factor), given the prior log2 odds that two records are one person.
inline double MatchProbability(double weight, double prior_log2_odds) {
  return 1.0 / (1.0 + std::exp2(-(weight + prior_log2_odds)));
}

class MatchModel {
 public:
  struct Options {
    int max_iterations = 50;
    double min_probability = 1e-6;  // floor for every m and u
    // Pseudo-counts (in pairs) added to each level's m in every M step,
    // spread like the starting m: keeps rare levels from collapsing to 0.
    double m_pseudo_pairs = 500.0;
    // The number of records, to turn λ (share of candidate pairs that
    // match) into the prior that two random records match (the decision
    // prior: blocking already used the same fields, so λ would count their
    // evidence twice). 0: use λ itself.
    uint64_t records = 0;
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
  // Posterior probability of a match for a weight, with the prior that two
  // random records are the same person.
  double Probability(double weight) const;
  double prior_log2_odds() const { return prior_log2_odds_; }

  double lambda() const { return lambda_; }
  double m(Comparison c, uint8_t level) const { return m_[static_cast<int>(c)][level]; }
  double u(Comparison c, uint8_t level) const { return u_[static_cast<int>(c)][level]; }
  int iterations() const { return iterations_; }

 private:
  std::array<std::vector<double>, kNumComparisons> m_, u_;
  std::array<std::vector<double>, kNumComparisons> weight_;  // log2(m/u), conditional on not missing, monotone
  double lambda_ = 0.5;
  double prior_log2_odds_ = 0.0;
  int iterations_ = 0;
  void ComputeWeights();
};

}  // namespace rollmatch
