#include "engine/report/write_jobs.h"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <numeric>
#include <system_error>

#include "engine/report/xlsx_report.h"

namespace rollmatch {

namespace {

namespace fs = std::filesystem;

Status MakeFolder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Status RunWriteJobs(const std::vector<WriteJob>& jobs) {
  std::vector<size_t> order(jobs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return jobs[a].cost > jobs[b].cost; });
  std::vector<Status> status(jobs.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k; (k = next.fetch_add(1, std::memory_order_relaxed)) < order.size();) {
      status[order[k]] = jobs[order[k]].run();
    }
  };
  const size_t threads = std::min<size_t>(
      {jobs.size(), static_cast<size_t>(tbb::this_task_arena::max_concurrency()),
       tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)});
  tbb::task_group tg;
  for (size_t t = 1; t < threads; ++t) tg.run(work);
  work();
  tg.wait();
  for (const Status& s : status) RM_RETURN_IF_ERROR(s);
  return Status::Ok();
}

std::vector<WriteJob> TownshipWriteJobs(const std::string& out_dir, const Dataset& data, const RulesOutput& rules,
                                        const std::map<std::string, std::vector<const Flag*>>& by_township,
                                        const ReportContext& context, const ReportOptions& options) {
  std::vector<WriteJob> jobs;
  const fs::path root = fs::path(out_dir) / "townships";
  for (const auto& [name, list] : by_township) {
    const std::string* township = &name;
    const std::vector<const Flag*>* flags = &list;
    const double n = static_cast<double>(list.size());
    jobs.push_back({n * kTownshipTablesCostPerFlag, [=, &data, &options]() -> Status {
                      const fs::path dir = root / *township;
                      RM_RETURN_IF_ERROR(MakeFolder(dir));
                      std::vector<std::vector<std::string>> rows;
                      rows.reserve(flags->size());
                      for (const Flag* f : *flags) rows.push_back(TownshipRowValues(data, *f, options));
                      RM_RETURN_IF_ERROR(WriteTownshipCsvRows((dir / "flags.csv").string(), rows));
                      return WriteTownshipXlsxRows((dir / "flags.xlsx").string(), *township, *flags, rows);
                    }});
    jobs.push_back({n * kTownshipHtmlCostPerFlag, [=, &data, &rules, &context, &options]() -> Status {
                      const fs::path dir = root / *township;
                      RM_RETURN_IF_ERROR(MakeFolder(dir));
                      return WriteTownshipReport((dir / "report.html").string(), *township, data, rules, *flags,
                                                 context, options);
                    }});
  }
  return jobs;
}

}  // namespace rollmatch
