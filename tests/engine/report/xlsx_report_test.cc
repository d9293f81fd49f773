#include "engine/report/xlsx_report.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "engine/report/writers.h"

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

void AddRow(Dataset& data, Feed feed, std::vector<std::string_view> values) {
  FeedTable& t = data.tables[FeedIndex(feed)];
  values.resize(t.num_fields());
  t.AddRow(values, SourcePos{0, t.num_rows() + 2});
}

// The gmtime() that libxlsxwriter finds (the first in the process's symbol
// lookup, as its PLT finds it) keeps its result per thread: workbooks can
// close in parallel (engine/report/xlsx_report.cc).
TEST(XlsxReport, GmtimeFoundFirstKeepsItsResultPerThread) {
  using GmtimeFn = struct tm* (*)(const time_t*);
  const auto found = reinterpret_cast<GmtimeFn>(dlsym(RTLD_DEFAULT, "gmtime"));
  ASSERT_NE(found, nullptr);
  const time_t t = 1797292800;  // 2026-12-15T00:00:00Z
  struct tm* here = found(&t);
  struct tm* there = nullptr;
  std::thread([&] { there = found(&t); }).join();
  EXPECT_NE(here, there) << "one static buffer shared by the threads";
  struct tm expected {};
  gmtime_r(&t, &expected);
  EXPECT_EQ(here->tm_year, expected.tm_year);
  EXPECT_EQ(here->tm_mon, 11);
  EXPECT_EQ(here->tm_mday, 15);
  EXPECT_EQ(there->tm_mday, 15);
}

TEST(XlsxReport, WorkbooksOfParallelTasksCloseAtOnce) {
  std::string tmpl = (fs::temp_directory_path() / "rm_xlsx_test_XXXXXX").string();
  const fs::path dir = mkdtemp(tmpl.data());
  Dataset data;
  data.present.fill(true);
  AddRow(data, Feed::kRoll, {"R0001", "", "张玮"});
  std::vector<Flag> flags(1);
  flags[0].code = FlagCode::kWrongDetails;
  flags[0].subject = {Feed::kRoll, 0};
  flags[0].records = {{Feed::kRoll, 0}};
  flags[0].summary = {"320481198005121014", "张伟", "1980-05-12", "男"};
  flags[0].flag_id = "00000000000000d1";
  const std::vector<const Flag*> list = {&flags[0]};
  std::vector<std::vector<std::string>> rows = {TownshipRowValues(data, flags[0], ReportOptions())};
  std::vector<Status> status(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < status.size(); ++i) {
    threads.emplace_back([&, i] {
      status[i] = WriteTownshipXlsxRows((dir / ("w" + std::to_string(i) + ".xlsx")).string(), "320481101", list,
                                        rows);
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < status.size(); ++i) {
    EXPECT_TRUE(status[i].ok()) << status[i].message();
    std::ifstream in(dir / ("w" + std::to_string(i) + ".xlsx"), std::ios::binary);
    char magic[2] = {};
    in.read(magic, 2);
    EXPECT_EQ(std::string(magic, 2), "PK") << i;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rollmatch
