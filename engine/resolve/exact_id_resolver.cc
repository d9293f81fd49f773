#include <string>
#include <unordered_map>

#include "engine/core/hash.h"
#include "engine/resolve/resolver.h"

namespace rollmatch {
namespace {

class ExactIdResolver : public Resolver {
 public:
  std::string_view name() const override { return "exact-id"; }

  Result<Resolution> Resolve(const Dataset& data) override {
    Resolution res;
    std::unordered_map<std::string, std::pair<PersonId, RecordRef>> by_id;
    uint64_t linked = 0;
    for (int fi = 0; fi < kNumPersonFeeds; ++fi) {
      const Feed feed = static_cast<Feed>(fi);
      const uint32_t n = data.num_records(feed);
      res.person_of[fi].resize(n);
      res.link[fi].resize(n);
      for (uint32_t row = 0; row < n; ++row) {
        const RecordRef ref{feed, row};
        const PersonFields& p = data.person_fields(ref);
        StoredLink& why = res.link[fi][row];
        why.anchor = ref;
        if (!p.id.valid()) {
          res.person_of[fi][row] = res.num_persons++;
          why.kind = StoredLink::kNoValidId;
          continue;
        }
        auto [it, inserted] = by_id.try_emplace(std::string(p.id.text()), res.num_persons, ref);
        if (inserted) {
          res.num_persons++;
          why.kind = StoredLink::kFirstWithId;
        } else {
          why.anchor = it->second.second;
          why.kind = StoredLink::kSameId;
          ++linked;
        }
        res.person_of[fi][row] = it->second.first;
      }
    }
    res.counters.emplace_back("records_linked_by_id", linked);
    return res;
  }
};

}  // namespace

std::unique_ptr<Resolver> MakeExactIdResolver() { return std::make_unique<ExactIdResolver>(); }

}  // namespace rollmatch
