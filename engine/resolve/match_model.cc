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
  // Starting m, also the Dirichlet prior of every M step: what a match
  // looks like in Chinese population records (mostly exact, a few percent
  // of clerical slips). Data dominate where they are plentiful; rare levels
  // (a variant character, a swapped given name) keep a sensible weight.
  static const std::array<std::vector<double>, kNumComparisons> kPriorM = {{
      {0.80, 0.05, 0.05, 0.02, 0.01, 0.005, 0.005, 0.06},           // id
      {0.85, 0.02, 0.02, 0.04, 0.005, 0.02, 0.02, 0.025},           // name
      {0.90, 0.03, 0.01, 0.01, 0.01, 0.04},                         // birth date
      {0.97, 0.01, 0.02},                                           // gender
      {0.50, 0.20, 0.20, 0.05, 0.05},                               // region
      {0.60, 0.40, 0.0},                                            // household (fixed below)
      {0.98, 0.02},                                                 // id consistency
  }};
  std::array<std::vector<double>, kNumComparisons> start;
  for (int c = 0; c < kNumComparisons; ++c) {
    model.m_[c] = kPriorM[c];
    Normalize(&model.m_[c], opt.min_probability);
    start[c] = model.m_[c];
  }
  // 户号: same household is good evidence, a different one says little
  // (people move, records are split); missing for all but hukou pairs.
  const int hh = static_cast<int>(Comparison::kHousehold);
  const std::vector<double> household_m = {0.6, 0.4, 0.0};
  // EM over the distinct comparison vectors (few thousand at most), in
  // their lexicographic order: counted by their mixed-radix number.
  size_t n_vectors = 1;
  for (int c = 0; c < kNumComparisons; ++c) n_vectors *= kLevelCounts[c];
  auto number = [](const ComparisonVector& v) {
    size_t x = 0;
    for (int c = 0; c < kNumComparisons; ++c) x = x * kLevelCounts[c] + v[c];
    return x;
  };
  std::vector<uint64_t> count(n_vectors, 0);
  for (const ComparisonVector& v : candidates) count[number(v)]++;
  std::vector<std::pair<ComparisonVector, double>> pat;
  for (size_t x = 0; x < n_vectors; ++x) {
    if (count[x] == 0) continue;
    ComparisonVector v;
    size_t rest = x;
    for (int c = kNumComparisons - 1; c >= 0; --c) {
      v[c] = static_cast<uint8_t>(rest % kLevelCounts[c]);
      rest /= kLevelCounts[c];
    }
    pat.emplace_back(v, static_cast<double>(count[x]));
  }
  double total = 0;
  for (auto& p : pat) total += p.second;
  auto finish = [&]() {
    model.m_[hh] = household_m;
    model.m_[hh][household_level::kMissing] = model.u_[hh][household_level::kMissing];
    model.ComputeWeights();
    const double n = static_cast<double>(opt.records);
    const double all_pairs = n * (n - 1) / 2;
    double prior = model.lambda_;
    if (opt.records > 1) prior = std::clamp(model.lambda_ * total / all_pairs, 1e-15, 0.5);
    model.prior_log2_odds_ = std::log2(prior / (1 - prior));
  };
  if (total == 0) {
    finish();
    return model;
  }
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
      for (size_t l = 0; l < m_acc[c].size(); ++l) m_acc[c][l] += opt.m_pseudo_pairs * start[c][l];
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
  finish();
  return model;
}

void MatchModel::ComputeWeights() {
  for (int c = 0; c < kNumComparisons; ++c) {
    const Comparison cmp = static_cast<Comparison>(c);
    const size_t levels = m_[c].size();
    // Conditional on not missing.
    double m_present = 0, u_present = 0;
    for (size_t l = 0; l < levels; ++l) {
      if (IsMissing(cmp, static_cast<uint8_t>(l))) continue;
      m_present += m_[c][l];
      u_present += u_[c][l];
    }
    weight_[c].assign(levels, 0.0);
    std::vector<size_t> present;
    for (size_t l = 0; l < levels; ++l) {
      if (IsMissing(cmp, static_cast<uint8_t>(l))) continue;
      weight_[c][l] = std::log2((m_[c][l] / m_present) / (u_[c][l] / u_present));
      present.push_back(l);
    }
    if (present.size() < 2) continue;
    // No level of agreement weighs less than "different" (the last present
    // level), and none more than exact agreement (the first).
    const double floor = weight_[c][present.back()], ceiling = weight_[c][present.front()];
    for (size_t i = 1; i + 1 < present.size(); ++i)
      weight_[c][present[i]] = std::clamp(weight_[c][present[i]], std::min(floor, ceiling), std::max(floor, ceiling));
  }
}

double MatchModel::LevelWeight(Comparison c, uint8_t level) const {
  return weight_[static_cast<int>(c)][level];
}

double MatchModel::NameWeight(uint8_t level, double name_tf) const {
  const int i = static_cast<int>(Comparison::kName);
  if (level == name_level::kExact && name_tf > 0) {
    // Term-frequency adjustment: u of an exact agreement on this very name.
    // The exact level's weight, rescaled from its average u to this name's.
    const double u = std::max(name_tf, u_[i][level] * 1e-3);
    return std::max(weight_[i][level] + std::log2(u_[i][level] / u), weight_[i][name_level::kVariant]);
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

double MatchModel::Probability(double weight) const { return MatchProbability(weight, prior_log2_odds_); }

}  // namespace rollmatch
