#include "engine/resolve/match_model.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace rollmatch {
namespace {

bool IsMissing(Comparison c, uint8_t level) {
  switch (c) {
    case Comparison::kId: return level == id_level::kMissing;
    case Comparison::kBirth: return level == birth_level::kMissing;
    case Comparison::kGender: return level == gender_level::kMissing;
    case Comparison::kRegion: return level == region_level::kMissing;
    case Comparison::kHousehold: return level == household_level::kMissing;
    default: return false;
  }
}

void Normalize(std::vector<double>* p, double floor) {
  double sum = 0;
  for (double& x : *p) {
    x = std::max(x, floor);
    sum += x;
  }
  for (double& x : *p) x /= sum;
}

}  // namespace

MatchModel MatchModel::Estimate(const std::vector<ComparisonVector>& candidates,
                                const std::vector<ComparisonVector>& random_pairs, const Options& opt) {
  MatchModel model;
  // u from random pairs (almost all non-matches), with add-one smoothing.
  for (int c = 0; c < kNumComparisons; ++c) {
    model.u_[c].assign(kLevelCounts[c], 1.0);
    for (const ComparisonVector& v : random_pairs) model.u_[c][v[c]] += 1.0;
    Normalize(&model.u_[c], opt.min_probability);
  }
  // Starting m: geometric, most mass on the strongest agreement.
  for (int c = 0; c < kNumComparisons; ++c) {
    model.m_[c].assign(kLevelCounts[c], 0.0);
    double mass = 0.6;
    for (size_t l = 0; l < model.m_[c].size(); ++l) {
      model.m_[c][l] = mass;
      mass *= 0.3;
    }
    Normalize(&model.m_[c], opt.min_probability);
  }
  // EM over the distinct comparison vectors (few thousand at most).
  std::map<ComparisonVector, uint64_t> patterns;
  for (const ComparisonVector& v : candidates) patterns[v]++;
  std::vector<std::pair<ComparisonVector, double>> pat(patterns.begin(), patterns.end());
  double total = 0;
  for (auto& p : pat) total += p.second;
  if (total == 0) return model;
  model.lambda_ = 0.3;
  for (int it = 0; it < opt.max_iterations; ++it) {
    std::array<std::vector<double>, kNumComparisons> m_acc;
    for (int c = 0; c < kNumComparisons; ++c) m_acc[c].assign(kLevelCounts[c], 0.0);
    double match_mass = 0;
    for (const auto& [v, n] : pat) {
      double lm = std::log(model.lambda_), lu = std::log(1 - model.lambda_);
      for (int c = 0; c < kNumComparisons; ++c) {
        lm += std::log(model.m_[c][v[c]]);
        lu += std::log(model.u_[c][v[c]]);
      }
      const double pm = 1.0 / (1.0 + std::exp(lu - lm));
      match_mass += pm * n;
      for (int c = 0; c < kNumComparisons; ++c) m_acc[c][v[c]] += pm * n;
    }
    double change = 0;
    for (int c = 0; c < kNumComparisons; ++c) {
      Normalize(&m_acc[c], opt.min_probability);
      for (size_t l = 0; l < m_acc[c].size(); ++l) change = std::max(change, std::abs(m_acc[c][l] - model.m_[c][l]));
      model.m_[c] = std::move(m_acc[c]);
    }
    const double new_lambda = std::clamp(match_mass / total, 1e-6, 1 - 1e-6);
    change = std::max(change, std::abs(new_lambda - model.lambda_));
    model.lambda_ = new_lambda;
    model.iterations_ = it + 1;
    if (change < 1e-6) break;
  }
  return model;
}

double MatchModel::LevelWeight(Comparison c, uint8_t level) const {
  if (IsMissing(c, level)) return 0.0;
  const int i = static_cast<int>(c);
  return std::log2(m_[i][level] / u_[i][level]);
}

double MatchModel::NameWeight(uint8_t level, double name_tf) const {
  const int i = static_cast<int>(Comparison::kName);
  if (level == name_level::kExact && name_tf > 0) {
    // Term-frequency adjustment: u of an exact agreement on this very name.
    const double u = std::max(name_tf, 1e-9);
    return std::log2(m_[i][level] / std::max(u, u_[i][level] * 1e-3));
  }
  return LevelWeight(Comparison::kName, level);
}

double MatchModel::Weight(const ComparisonVector& v, double name_tf) const {
  double w = 0;
  for (int c = 0; c < kNumComparisons; ++c) {
    const Comparison cmp = static_cast<Comparison>(c);
    w += cmp == Comparison::kName ? NameWeight(v[c], name_tf) : LevelWeight(cmp, v[c]);
  }
  return w;
}

double MatchModel::Probability(double weight) const {
  const double prior = std::log2(lambda_ / (1 - lambda_));
  return 1.0 / (1.0 + std::exp2(-(weight + prior)));
}

}  // namespace rollmatch
