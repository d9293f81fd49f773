#include "engine/report/write_jobs.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

TEST(RunWriteJobs, EveryJobRunsOnceAndTheFirstErrorInJobOrderIsReturned) {
  std::atomic<int> runs[4] = {};
  std::vector<WriteJob> jobs = {
      {1.0, [&] { runs[0]++; return Status::Ok(); }},
      {2.0, [&] { runs[1]++; return Status::IoError("cannot write b"); }},
      {9.0, [&] { runs[2]++; return Status::IoError("cannot write c"); }},  // runs first
      {3.0, [&] { runs[3]++; return Status::Ok(); }},
  };
  const Status s = RunWriteJobs(jobs);
  EXPECT_EQ(s.message(), "cannot write b");
  for (auto& n : runs) EXPECT_EQ(n.load(), 1);
  EXPECT_TRUE(RunWriteJobs({}).ok());
}

TEST(RunWriteJobs, LongestFirst) {
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  std::mutex m;
  std::vector<int> order;
  std::vector<WriteJob> jobs;
  for (int i : {3, 7, 1, 7, 5}) {
    jobs.push_back({static_cast<double>(i), [&, i, n = jobs.size()] {
                      std::lock_guard<std::mutex> lock(m);
                      order.push_back(i * 10 + static_cast<int>(n));
                      return Status::Ok();
                    }});
  }
  ASSERT_TRUE(RunWriteJobs(jobs).ok());
  // By cost, ties in job order.
  EXPECT_EQ(order, (std::vector<int>{71, 73, 54, 30, 12}));
}

TEST(TownshipWriteJobs, TablesAndPageOfEveryTownship) {
  std::string tmpl = (fs::temp_directory_path() / "rm_jobs_test_XXXXXX").string();
  const fs::path dir = mkdtemp(tmpl.data());
  Dataset data;
  data.present.fill(true);
  FeedTable& roll = data.tables[FeedIndex(Feed::kRoll)];
  std::vector<std::string_view> row = {"R0001", "", "张玮"};
  row.resize(roll.num_fields());
  roll.AddRow(row, SourcePos{0, 2});
  RulesOutput rules;
  rules.flags.resize(3);
  const char* townships[] = {"320481101", "320481101", "320481102"};
  for (size_t i = 0; i < 3; ++i) {
    Flag& f = rules.flags[i];
    f.code = FlagCode::kWrongNotFound;
    f.subject = {Feed::kRoll, 0};
    f.records = {{Feed::kRoll, 0}};
    f.township = townships[i];
    f.townships = {townships[i]};
    f.summary = {"", "张玮", "", ""};
    f.confidence = 0.95;
    f.flag_id = "00000000000000d" + std::to_string(i);
  }
  const auto by_township = FlagsByTownship(data, rules.flags);
  ReportContext context;
  const ReportOptions options;
  const std::vector<WriteJob> jobs = TownshipWriteJobs(dir.string(), data, rules, by_township, context, options);
  ASSERT_EQ(jobs.size(), 4u);
  EXPECT_EQ(jobs[0].cost, 2 * kTownshipTablesCostPerFlag);
  EXPECT_EQ(jobs[1].cost, 2 * kTownshipHtmlCostPerFlag);
  ASSERT_TRUE(RunWriteJobs(jobs).ok());
  for (const char* t : {"320481101", "320481102"}) {
    for (const char* file : {"flags.csv", "flags.xlsx", "report.html"}) {
      EXPECT_TRUE(fs::exists(dir / "townships" / t / file)) << t << "/" << file;
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rollmatch
