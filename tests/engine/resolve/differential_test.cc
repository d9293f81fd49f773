// The parallel resolver against the slow, obvious reference (all pairs of
// every block in one ordered map, one thread) on generated counties: the
// persons must be identical.

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "engine/normalize/dataset.h"
#include "engine/pipeline/run_config.h"
#include "engine/resolve/resolver.h"
#include "ingest/feed_reader.h"
#include "tests/engine/resolve/test_dataset.h"

namespace rollmatch {
namespace {

Dataset LoadGenerated(const std::string& dir) {
  auto cfg = LoadRunConfig(dir + "/config.json", ConfigOverrides());
  EXPECT_TRUE(cfg.ok()) << cfg.status().ToString();
  std::array<FeedTable, kNumFeeds> tables = {FeedTable(Feed::kHukou),  FeedTable(Feed::kMigrant),
                                             FeedTable(Feed::kSocial), FeedTable(Feed::kRoll),
                                             FeedTable(Feed::kRights), FeedTable(Feed::kDistricts)};
  std::vector<Reject> rejects;
  for (int f = 0; f < kNumFeeds; ++f) {
    if (!cfg->present[f]) continue;
    auto t = ReadFeed(static_cast<Feed>(f), cfg->feeds[f], &rejects);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    tables[f] = std::move(t).value();
  }
  static std::unique_ptr<NameNormalizer> names = std::move(NameNormalizer::Create()).value();
  auto ds = BuildDataset(std::move(tables), cfg->present, *names, &rejects);
  EXPECT_TRUE(ds.ok());
  return std::move(ds).value();
}

// The partition as "record → smallest record of its person", independent of person numbering.
std::map<std::pair<int, uint32_t>, std::pair<int, uint32_t>> Canonical(const Dataset& d, const Resolution& r) {
  std::map<uint32_t, std::pair<int, uint32_t>> first;
  std::map<std::pair<int, uint32_t>, std::pair<int, uint32_t>> out;
  for (int f = 0; f < kNumPersonFeeds; ++f) {
    for (uint32_t row = 0; row < d.num_records(static_cast<Feed>(f)); ++row) {
      first.try_emplace(r.person_of[f][row], std::make_pair(f, row));
    }
  }
  for (int f = 0; f < kNumPersonFeeds; ++f) {
    for (uint32_t row = 0; row < d.num_records(static_cast<Feed>(f)); ++row) out[{f, row}] = first[r.person_of[f][row]];
  }
  return out;
}

TEST(Differential, ParallelResolverEqualsReferenceOnGeneratedCounties) {
  const std::string gen = ROLLMATCH_GENERATOR;
  for (int seed = 1; seed <= 4; ++seed) {
    const std::string dir = (std::filesystem::temp_directory_path() / ("rm-diff-" + std::to_string(seed))).string();
    std::filesystem::remove_all(dir);
    const std::string cmd = gen + " --persons 4000 --seed " + std::to_string(seed) + " --noise full --out " + dir +
                            " > /dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    const Dataset data = LoadGenerated(dir);
    ProbabilisticOptions fast;
    auto parallel = MakeProbabilisticResolver(testing::Keys(), fast)->Resolve(data);
    ASSERT_TRUE(parallel.ok());
    ProbabilisticOptions slow = fast;
    slow.reference_blocking = true;
    Result<Resolution> reference = Status::Internal("not run");
    {
      tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
      reference = MakeProbabilisticResolver(testing::Keys(), slow)->Resolve(data);
    }
    ASSERT_TRUE(reference.ok());
    EXPECT_EQ(parallel->num_persons, reference->num_persons) << "seed " << seed;
    EXPECT_TRUE(Canonical(data, *parallel) == Canonical(data, *reference)) << "seed " << seed;
    uint64_t pairs_fast = 0, pairs_ref = 0;
    for (const auto& [k, v] : parallel->counters) if (k == "candidate_pairs") pairs_fast = v;
    for (const auto& [k, v] : reference->counters) if (k == "candidate_pairs") pairs_ref = v;
    EXPECT_EQ(pairs_fast, pairs_ref) << "seed " << seed;
    EXPECT_GT(pairs_fast, 1000u);
    std::filesystem::remove_all(dir);
  }
}

}  // namespace
}  // namespace rollmatch
