#pragma once
// What person resolution produces: every record of every person feed
// assigned to a person, with how sure the engine is of each record's link,
// and the near-misses that staff should look at.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/feed.h"
#include "engine/resolve/comparison.h"
#include "engine/resolve/match_model.h"

namespace rollmatch {

using PersonId = uint32_t;

// Why a record belongs to its person (or why two records may be one person).
struct LinkExplanation {
  double confidence = 1.0;  // 0–1
  double weight = 0.0;      // match weight (log2 Bayes factor); 0 for the anchor
  RecordRef anchor;         // the record it was linked to (itself for the first record)
  std::string words;        // in Chinese, e.g. "身份证号一致"; empty: render from `levels`
  // The comparison levels of the link to `anchor`, when words are rendered
  // on demand (ExplainLink in engine/resolve/comparison.h).
  bool has_levels = false;
  ComparisonVector levels{};
  // Probability of the most likely candidate this record was NOT linked to
  // (0 when there was none): how unsure "no such person" is.
  double best_unlinked = 0.0;
};

// The model's own estimate of its errors in one township (no labels):
// accepted links that are probably wrong and rejected pairs that are
// probably the same person, from the match probabilities.
struct ErrorEstimate {
  std::string township;
  uint64_t links = 0;               // accepted links applied
  uint64_t rejected_pairs = 0;      // candidate pairs not linked
  double expected_false_links = 0;  // Σ (1 − p) over applied links
  double expected_missed_links = 0; // Σ p over pairs left apart
};

// One record's link as a resolver stores it (32 bytes a record);
// Resolution::link_of() gives it as a LinkExplanation.
struct StoredLink {
  enum Kind : uint8_t {
    kAnchor,       // not linked to another record: confidence 1, no words
    kLinked,       // linked to `anchor` with `weight` and `levels`
    kNoValidId,    // exact-ID resolver: "无有效身份证号，单独成人"
    kFirstWithId,  // exact-ID resolver: "身份证号"
    kSameId,       // exact-ID resolver: "身份证号一致"
  };
  double weight = 0.0;         // kLinked: the link's match weight
  double best_unlinked = 0.0;  // LinkExplanation::best_unlinked
  RecordRef anchor;
  ComparisonVector levels{};   // kLinked
  Kind kind = kAnchor;
};
static_assert(sizeof(StoredLink) == 32);

// Two records that may be the same person but were not merged.
struct PossibleMatch {
  RecordRef a;
  RecordRef b;
  LinkExplanation why;
};

struct Resolution {
  uint32_t num_persons = 0;
  // person_of[feed][row]; districts have no entry.
  std::array<std::vector<PersonId>, kNumPersonFeeds> person_of;
  std::array<std::vector<StoredLink>, kNumPersonFeeds> link;
  // The match model's prior log2 odds: a kLinked link's confidence is
  // MatchProbability(weight, link_prior_log2_odds).
  double link_prior_log2_odds = 0.0;
  std::vector<PossibleMatch> possible_matches;
  std::vector<ErrorEstimate> estimates;  // by township, sorted
  // Figures for the manifest ("candidate_pairs", "links_dropped", ...).
  std::vector<std::pair<std::string, uint64_t>> counters;
  // Model figures for the manifest (λ, m and u per level, ...).
  std::vector<std::pair<std::string, double>> figures;

  PersonId person(RecordRef r) const { return person_of[FeedIndex(r.feed)][r.row]; }
  LinkExplanation link_of(RecordRef r) const {
    const StoredLink& l = link[FeedIndex(r.feed)][r.row];
    LinkExplanation e;
    e.anchor = l.anchor;
    e.best_unlinked = l.best_unlinked;
    switch (l.kind) {
      case StoredLink::kAnchor: break;
      case StoredLink::kLinked:
        e.weight = l.weight;
        e.confidence = MatchProbability(l.weight, link_prior_log2_odds);
        e.has_levels = true;
        e.levels = l.levels;
        break;
      case StoredLink::kNoValidId: e.words = "无有效身份证号，单独成人"; break;
      case StoredLink::kFirstWithId: e.words = "身份证号"; break;
      case StoredLink::kSameId: e.words = "身份证号一致"; break;
    }
    return e;
  }
};

}  // namespace rollmatch
