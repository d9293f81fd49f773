// Ingest throughput: ReadFeed() on generated feed files in each format the
// contract allows — hukou as CSV, JSON Lines and gzip'd JSON Lines (UTF-8),
// migrant as GB18030 CSV — written once into a temporary folder. Reports
// rows/s (items) and bytes/s of decoded text. Every benchmark checks the
// table it read (row count, no rejects, sampled values) before timing.
//
//   build-bench/bench/ingest/rm_bench_ingest [--rows=N]   (default 200000)

#include <benchmark/benchmark.h>
#include <unicode/ucnv.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "bench/common/synthetic_people.h"
#include "ingest/feed_reader.h"
#include "ingest/feed_schema.h"

namespace rollmatch::bench {
namespace {
namespace fs = std::filesystem;

size_t g_rows = 200000;
std::string g_dir;

struct FeedFileSpec {
  Feed feed;
  std::string file;       // name in g_dir
  std::string encoding;   // "" or "GB18030"
  size_t text_bytes = 0;  // decoded UTF-8 bytes
  std::vector<std::vector<std::string>>
      sample;  // expected values of every 997th row, field order of the schema
};

std::map<std::string, FeedFileSpec>& Specs() {
  static std::map<std::string, FeedFileSpec> specs;
  return specs;
}

std::string CsvQuote(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string JsonString(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The rows of a hukou and a migrant feed, as the generator writes them
// (values canonical; the benchmark is about parsing, not normalization).
std::vector<std::vector<std::string>> HukouRows() {
  std::vector<std::vector<std::string>> rows;
  Rng rng(9);
  for (const SyntheticPerson& p : SyntheticPeople::Get().People(g_rows, 21)) {
    const size_t n = rows.size();
    std::string address = "江苏省昆山市" + std::to_string(1 + rng() % 300) + "号";
    if (n % 10 == 0) address += ",3栋\"东\"";  // quoted in CSV
    rows.push_back({"H" + std::to_string(100000000 + n), p.id, p.name, p.former, p.male ? "男" : "女",
                    IsoDate(p.year, p.month, p.day), "汉族", p.household, p.village, address,
                    n % 50 == 0 ? "deceased" : "", n % 50 == 0 ? "2024-03-01" : ""});
  }
  return rows;
}

std::vector<std::vector<std::string>> MigrantRows() {
  std::vector<std::vector<std::string>> rows;
  for (const SyntheticPerson& p : SyntheticPeople::Get().People(g_rows, 22)) {
    const size_t n = rows.size();
    rows.push_back({"M" + std::to_string(100000000 + n), p.id, p.name, p.male ? "男" : "女",
                    IsoDate(p.year, p.month, p.day), p.village.substr(0, 6), p.village,
                    "花园路" + std::to_string(n % 999) + "号", "2023-05-01", n % 7 == 0 ? "2026-01-01" : ""});
  }
  return rows;
}

std::string ToGb18030(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 2 + 16, '\0');
  const int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                                 utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  RM_BENCH_CHECK(U_SUCCESS(status), "GB18030 conversion failed");
  out.resize(static_cast<size_t>(n));
  return out;
}

void WriteFeed(const std::string& key, Feed feed, const std::string& file, const std::string& encoding,
               const std::vector<std::vector<std::string>>& rows) {
  const auto& fields = FieldsOf(feed);
  std::string text;
  const bool json = file.find(".jsonl") != std::string::npos;
  if (!json) {
    for (size_t f = 0; f < fields.size(); ++f) text += (f ? "," : "") + std::string(fields[f].name);
    text += "\n";
  }
  for (const auto& row : rows) {
    if (json) {
      text += "{";
      for (size_t f = 0; f < fields.size(); ++f) {
        text += (f ? ",\"" : "\"") + std::string(fields[f].name) + "\":" + JsonString(row[f]);
      }
      text += "}\n";
    } else {
      for (size_t f = 0; f < fields.size(); ++f) text += (f ? "," : "") + CsvQuote(row[f]);
      text += "\n";
    }
  }
  FeedFileSpec spec{feed, file, encoding, text.size(), {}};
  for (size_t i = 0; i < rows.size(); i += 997) spec.sample.push_back(rows[i]);
  const std::string path = g_dir + "/" + file;
  if (file.size() > 3 && file.compare(file.size() - 3, 3, ".gz") == 0) {
    gzFile gz = gzopen(path.c_str(), "wb6");
    RM_BENCH_CHECK(
        gz != nullptr &&
            gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()) &&
            gzclose(gz) == Z_OK,
        "cannot write " + path);
  } else {
    const std::string bytes = encoding == "GB18030" ? ToGb18030(text) : text;
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    RM_BENCH_CHECK(out.good(), "cannot write " + path);
  }
  Specs()[key] = std::move(spec);
}

void MakeFeeds() {
  char tmpl[] = "/tmp/rm-bench-ingest-XXXXXX";
  RM_BENCH_CHECK(mkdtemp(tmpl) != nullptr, "mkdtemp failed");
  g_dir = tmpl;
  const auto hukou = HukouRows();
  WriteFeed("hukou_csv", Feed::kHukou, "hukou.csv", "", hukou);
  WriteFeed("hukou_jsonl", Feed::kHukou, "hukou.jsonl", "", hukou);
  WriteFeed("hukou_jsonl_gz", Feed::kHukou, "hukou.jsonl.gz", "", hukou);
  WriteFeed("migrant_csv_gb18030", Feed::kMigrant, "migrant.csv", "GB18030", MigrantRows());
}

Result<FeedTable> Read(const FeedFileSpec& spec, std::vector<Reject>* rejects) {
  return ReadFeed(spec.feed, {FeedFile{spec.file, g_dir + "/" + spec.file, spec.encoding}}, rejects);
}

void BM_ReadFeed(benchmark::State& state, const std::string& key) {
  const FeedFileSpec& spec = Specs().at(key);
  {
    std::vector<Reject> rejects;
    auto table = Read(spec, &rejects);
    RM_BENCH_CHECK(table.ok(), key + ": " + (table.ok() ? "" : table.status().message()));
    RM_BENCH_CHECK(rejects.empty(), key + ": " + std::to_string(rejects.size()) +
                                        " rejects, first: " + (rejects.empty() ? "" : rejects[0].reason));
    RM_BENCH_CHECK(table->num_rows() == g_rows, key + ": " + std::to_string(table->num_rows()) + " rows");
    for (size_t s = 0; s < spec.sample.size(); ++s) {
      const uint32_t row = static_cast<uint32_t>(s * 997);
      for (int f = 0; f < table->num_fields(); ++f) {
        RM_BENCH_CHECK(table->Get(row, f) == spec.sample[s][f],
                       key + ": row " + std::to_string(row) + " field " + std::to_string(f) + " = \"" +
                           std::string(table->Get(row, f)) + "\", expected \"" + spec.sample[s][f] + "\"");
      }
    }
  }
  for (auto _ : state) {
    std::vector<Reject> rejects;
    auto table = Read(spec, &rejects);
    benchmark::DoNotOptimize(table);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_rows));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * spec.text_bytes));
  state.counters["file_MB"] = static_cast<double>(fs::file_size(g_dir + "/" + spec.file)) / 1e6;
}

}  // namespace
}  // namespace rollmatch::bench

int main(int argc, char** argv) {
  using namespace rollmatch::bench;
  RequireReleaseBuild(argv[0]);
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--rows=", 7) == 0) {
      g_rows = std::strtoull(argv[i] + 7, nullptr, 10);
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  MakeFeeds();
  for (const char* key : {"hukou_csv", "hukou_jsonl", "hukou_jsonl_gz", "migrant_csv_gb18030"}) {
    benchmark::RegisterBenchmark(("BM_ReadFeed/" + std::string(key)).c_str(), [key](benchmark::State& st) {
      BM_ReadFeed(st, key);
    })->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(g_dir, ec);
  return 0;
}
