// Fuzz target: the run configuration loader. The bytes are written as
// config.json and loaded; a bad configuration must give one error naming the
// file, a good one a scope of 2, 6 or 9 digits, a known election day and
// the three required feeds with every path resolved. Corpus:
// corpus/run_config/ (configuration files).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/feed.h"
#include "engine/core/region.h"
#include "engine/pipeline/run_config.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollmatch;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string path = fuzz::ScratchDir::Get().Write("config.json", bytes);

  Result<RunConfig> cfg = LoadRunConfig(path, ConfigOverrides());
  if (!cfg.ok()) {
    RM_FUZZ_CHECK(cfg.status().message().rfind(path, 0) == 0);
    return 0;
  }
  const size_t n = cfg->scope.size();
  RM_FUZZ_CHECK((n == 2 || n == 6 || n == 9) && IsRegionCode(cfg->scope));
  RM_FUZZ_CHECK(cfg->election_day.known());
  RM_FUZZ_CHECK(cfg->max_reject_ratio >= 0 && cfg->max_reject_ratio <= 1);
  RM_FUZZ_CHECK(!cfg->out_dir.empty() && !cfg->state_path.empty());
  for (Feed f : {Feed::kHukou, Feed::kRoll, Feed::kDistricts}) RM_FUZZ_CHECK(cfg->present[FeedIndex(f)]);
  for (Feed f : kAllFeeds) {
    RM_FUZZ_CHECK(cfg->present[FeedIndex(f)] == !cfg->feeds[FeedIndex(f)].empty());
    for (const FeedFile& file : cfg->feeds[FeedIndex(f)]) RM_FUZZ_CHECK(!file.path.empty());
  }
  return 0;
}
