#pragma once
// Person resolution behind one interface: the rules and reports see only a
// Resolution, whichever resolver produced it.

#include <memory>
#include <string_view>

#include "engine/core/status.h"
#include "engine/normalize/dataset.h"
#include "engine/normalize/name_keys.h"
#include "engine/resolve/resolution.h"

namespace rollmatch {

class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual std::string_view name() const = 0;
  virtual Result<Resolution> Resolve(const Dataset& data) = 0;
};

// First version: records sharing a valid normalized citizen ID are one
// person; a record without a valid ID is a person of its own.
std::unique_ptr<Resolver> MakeExactIdResolver();

struct ProbabilisticOptions {
  double accept_probability = 0.99;  // links at or above merge records into one person
  double review_probability = 0.5;   // links between the two are reported, never merged
  // A record whose best links point at two persons with different hukou IDs
  // within this many bits of weight is ambiguous: linked to neither.
  double ambiguity_margin_bits = 6.0;
  // A migrant or social record without a valid ID (often no birth date
  // either) whose only plausible partner is one person (every candidate
  // with p ≥ 0.01 carries the same valid ID) is linked from this
  // probability on. Never for roll or rights records: a wrong link there
  // would make a voter vanish or wrongly lose rights.
  double unique_candidate_probability = 0.5;
  uint32_t max_block_size = 64;
  uint32_t random_pairs = 200000;  // for the u probabilities
  uint64_t seed = 42;
  // Find candidate pairs with CandidatePairsReference (slow, obvious; tests).
  bool reference_blocking = false;
};

// Blocking on several keys, Fellegi-Sunter weights with m/u estimated on the
// run's own data (EM), and clustering that never puts two different valid
// hukou IDs into one person. `keys` must outlive the resolver.
std::unique_ptr<Resolver> MakeProbabilisticResolver(const NameKeys& keys, const ProbabilisticOptions& options);

}  // namespace rollmatch
