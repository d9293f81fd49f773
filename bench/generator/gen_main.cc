// rollmatch-gen: writes a synthetic county (feeds + run configuration) and the
// truth an engine run on it must reproduce. See bench/generator/README.md.

#include <CLI/CLI.hpp>
#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "bench/generator/oracle.h"
#include "bench/generator/render.h"
#include "bench/generator/world.h"

#ifndef ROLLMATCH_DATA_DIR
#define ROLLMATCH_DATA_DIR "data"
#endif

namespace rollmatch::gen {
namespace {

namespace fs = std::filesystem;

// A plain output file with a large buffer; throws on any write error.
class OutFile {
 public:
  explicit OutFile(const fs::path& path) : path_(path) {
    f_ = std::fopen(path.c_str(), "wb");
    if (!f_) throw std::runtime_error("cannot create " + path.string());
    buf_.resize(8 << 20);
    std::setvbuf(f_, buf_.data(), _IOFBF, buf_.size());
  }
  ~OutFile() {
    if (f_) std::fclose(f_);
  }
  void Write(const void* data, size_t n) {
    if (n && std::fwrite(data, 1, n, f_) != n) throw std::runtime_error("write failed: " + path_.string());
  }
  void Write(const std::string& s) { Write(s.data(), s.size()); }
  void Close() {
    if (f_ && std::fclose(f_) != 0) throw std::runtime_error("close failed: " + path_.string());
    f_ = nullptr;
  }

 private:
  fs::path path_;
  FILE* f_ = nullptr;
  std::vector<char> buf_;
};

// One gzip member assembled from independently deflated chunks (each ends on a
// byte boundary with Z_SYNC_FLUSH, the last with Z_FINISH), as pigz does.
class GzipFile {
 public:
  explicit GzipFile(const fs::path& path) : out_(path) {
    static const unsigned char kHeader[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    out_.Write(kHeader, sizeof kHeader);
  }
  void Add(const std::string& deflated, uLong crc, uint64_t len) {
    out_.Write(deflated);
    crc_ = crc32_combine(crc_, crc, static_cast<z_off_t>(len));
    size_ += len;
  }
  void Close() {
    unsigned char trailer[8];
    for (int i = 0; i < 4; ++i) trailer[i] = static_cast<unsigned char>((crc_ >> (8 * i)) & 0xff);
    for (int i = 0; i < 4; ++i) trailer[4 + i] = static_cast<unsigned char>((size_ >> (8 * i)) & 0xff);
    out_.Write(trailer, 8);
    out_.Close();
  }

 private:
  OutFile out_;
  uLong crc_ = crc32(0L, Z_NULL, 0);
  uint64_t size_ = 0;
};

std::string Deflate(const std::string& in, bool last) {
  z_stream zs{};
  if (deflateInit2(&zs, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2 failed");
  std::string out;
  out.resize(deflateBound(&zs, in.size()) + 64);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  size_t produced = 0;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(out.size() - produced);
    const int rc = deflate(&zs, last ? Z_FINISH : Z_SYNC_FLUSH);
    produced = out.size() - zs.avail_out;
    if (rc == Z_STREAM_ERROR) throw std::runtime_error("deflate failed");
    if ((last && rc == Z_STREAM_END) || (!last && zs.avail_out > 0)) break;
    out.resize(out.size() * 2);
  }
  deflateEnd(&zs);
  out.resize(produced);
  return out;
}

// What the parallel stage hands to the writer.
struct Work {
  std::unique_ptr<Chunk> chunk;
  RenderedChunk rendered;
  OracleOutput oracle;
  std::string gz[kNumFeeds];
  uLong crc[kNumFeeds] = {};
  std::string migrant_bytes;
};

std::string FeedFile(Feed f, bool gzip) {
  switch (f) {
    case kHukou: return gzip ? "hukou.jsonl.gz" : "hukou.jsonl";
    case kMigrant: return "migrant.csv";
    case kSocial: return "social.jsonl.gz";
    case kRoll: return "roll.csv";
    case kRights: return "rights.csv";
    default: return "";
  }
}
bool Gzipped(Feed f, bool gzip) { return f == kSocial || (f == kHukou && gzip); }

std::string JsonQuote(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o.push_back('\\');
    o.push_back(c);
  }
  return o + "\"";
}

void WriteConfig(const GenConfig& cfg, const fs::path& dir) {
  std::string j = "{\n  \"scope\": " + JsonQuote(cfg.scope) + ",\n  \"election_day\": " + JsonQuote(IsoDate(cfg.election_day)) + ",\n";
  if (cfg.previous_election_day) j += "  \"previous_election_day\": " + JsonQuote(IsoDate(cfg.previous_election_day)) + ",\n";
  j += "  \"feeds\": {\n";
  const char* names[] = {"hukou", "migrant", "social", "roll", "rights"};
  for (int f = 0; f < kNumFeeds; ++f) j += std::string("    \"") + names[f] + "\": [\n      " + JsonQuote(FeedFile(static_cast<Feed>(f), cfg.gzip)) + "\n    ],\n";
  j += "    \"districts\": [\n      \"districts.csv\"\n    ]\n  },\n";
  j += "  \"encodings\": {\n    \"migrant.csv\": \"GB18030\"\n  },\n";
  j += "  \"out\": \"out\",\n  \"state\": \"state/rollmatch.db\",\n  \"max_reject_ratio\": 0.01\n}\n";
  OutFile f(dir / "config.json");
  f.Write(j);
  f.Close();
}

void WriteDistricts(const World& w, const fs::path& dir) {
  std::string s = "district_code,district_name,township_code,kind,region_codes\n";
  for (const auto& d : w.districts.districts) {
    std::string regions;
    for (size_t i = 0; i < d.regions.size(); ++i) regions += (i ? ";" : "") + d.regions[i];
    s += d.code + "," + d.name + "," + d.township + "," + (d.unit ? "unit" : "area") + "," + regions + "\n";
  }
  OutFile f(dir / "districts.csv");
  f.Write(s);
  f.Close();
}

void WriteStats(const World& w, const StatsMap& stats, const fs::path& path) {
  std::string s = "region_code,level,eligible_hukou,registered_hukou,registration_rate,eligible_migrant,registered_migrant,roll_records";
  for (const char* code : kFlagCodeNames) s += std::string(",") + code;
  s += "\n";
  StatsMap rows = stats;
  rows[""];  // the scope row always exists
  for (const auto& d : w.districts.districts)
    if (d.township.compare(0, w.cfg.scope.size(), w.cfg.scope) == 0) rows[d.township];
  for (const auto& [code, row] : rows) {
    const bool scope = code.empty();
    s += scope ? w.cfg.scope : code;
    s += scope ? ",scope," : code.size() == 9 ? ",township," : ",village,";
    char rate[32] = "";
    if (row[kEligibleHukou] > 0) snprintf(rate, sizeof rate, "%.6f", static_cast<double>(row[kRegisteredHukou]) / static_cast<double>(row[kEligibleHukou]));
    s += std::to_string(row[kEligibleHukou]) + "," + std::to_string(row[kRegisteredHukou]) + "," + rate + "," +
         std::to_string(row[kEligibleMigrant]) + "," + std::to_string(row[kRegisteredMigrant]) + "," + std::to_string(row[kRollRecords]);
    for (int c = 0; c < kNumFlagCodes; ++c) s += "," + std::to_string(row[kFlagCol0 + c]);
    s += "\n";
  }
  OutFile f(path);
  f.Write(s);
  f.Close();
}

const char* NoiseName(NoiseLevel n) { return n == NoiseLevel::kNone ? "none" : n == NoiseLevel::kCosmetic ? "cosmetic" : "full"; }

int Run(const GenConfig& cfg_in) {
  const auto t0 = std::chrono::steady_clock::now();
  GenConfig cfg = cfg_in;
  World world = World::Build(cfg);
  const fs::path dir(cfg.out_dir);
  fs::create_directories(dir / "truth");
  WriteConfig(cfg, dir);
  WriteDistricts(world, dir);

  // Feed files.
  std::unique_ptr<OutFile> plain[kNumFeeds];
  std::unique_ptr<GzipFile> gz[kNumFeeds];
  uint64_t lines[kNumFeeds] = {};
  uint64_t records[kNumFeeds] = {};
  uint64_t broken_count[kNumFeeds] = {};
  for (int f = 0; f < kNumFeeds; ++f) {
    const Feed feed = static_cast<Feed>(f);
    const fs::path path = dir / FeedFile(feed, cfg.gzip);
    if (Gzipped(feed, cfg.gzip)) {
      gz[f] = std::make_unique<GzipFile>(path);
    } else {
      plain[f] = std::make_unique<OutFile>(path);
      if (feed == kRoll) plain[f]->Write("\xEF\xBB\xBF");  // UTF-8 with BOM
      plain[f]->Write(FeedHeader(feed));
    }
    if (!FeedHeader(feed).empty()) lines[f] = 1;
  }
  OutFile flags_file(dir / "truth" / "expected_flags.jsonl");
  OutFile records_file(dir / "truth" / "records.csv");
  records_file.Write("feed,record_id,person_id\n");
  OutFile broken_file(dir / "truth" / "broken_rows.csv");
  broken_file.Write("feed,file,line,kind\n");

  StatsMap stats;
  Counters counts{};
  std::array<uint64_t, kNumFlagCodes> flag_counts{};
  std::map<std::string, uint64_t> reasons;
  uint64_t roll_out_of_scope = 0;

  const uint64_t n_chunks = (cfg.persons + cfg.chunk_persons - 1) / cfg.chunk_persons;
  uint64_t next_chunk = 0;
  IdAllocator ids(world);
  std::array<uint64_t, kNumFeeds> next_rid{};
  const bool gzip = cfg.gzip;
  // Time spent per stage (summed over threads), for the progress line.
  std::atomic<int64_t> t_generate{0}, t_ids{0}, t_judge{0}, t_render{0}, t_pack{0}, t_write{0};
  auto since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t).count();
  };

  tbb::parallel_pipeline(
      8,
      tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& fc) -> Chunk* {
                                       if (next_chunk == n_chunks) {
                                         fc.stop();
                                         return nullptr;
                                       }
                                       auto* c = new Chunk;
                                       c->index = next_chunk;
                                       c->n_persons = std::min<uint64_t>(cfg.chunk_persons, cfg.persons - next_chunk * cfg.chunk_persons);
                                       ++next_chunk;
                                       return c;
                                     }) &
          tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel,
                                           [&](Chunk* c) {
                                             const auto t = std::chrono::steady_clock::now();
                                             GenerateChunk(world, *c);
                                             t_generate += since(t);
                                             return c;
                                           }) &
          tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::serial_in_order,
                                           [&](Chunk* c) {
                                             const auto t = std::chrono::steady_clock::now();
                                             AssignIds(world, *c, ids, next_rid);
                                             t_ids += since(t);
                                             return c;
                                           }) &
          tbb::make_filter<Chunk*, Work*>(tbb::filter_mode::parallel,
                                          [&](Chunk* c) {
                                            auto* w = new Work;
                                            w->chunk.reset(c);
                                            auto t = std::chrono::steady_clock::now();
                                            ResolveIdPlans(world, *c);
                                            JudgeChunk(world, *c, w->oracle);
                                            t_judge += since(t);
                                            t = std::chrono::steady_clock::now();
                                            RenderChunk(world, *c, w->rendered);
                                            t_render += since(t);
                                            t = std::chrono::steady_clock::now();
                                            const bool last = c->index + 1 == n_chunks;
                                            for (int f = 0; f < kNumFeeds; ++f) {
                                              if (!Gzipped(static_cast<Feed>(f), gzip)) continue;
                                              const std::string& t = w->rendered.text[f];
                                              w->crc[f] = crc32(0L, reinterpret_cast<const Bytef*>(t.data()), static_cast<uInt>(t.size()));
                                              w->gz[f] = Deflate(t, last);
                                            }
                                            // migrant.csv in GB18030, with the rows of invalid bytes spliced in.
                                            const std::string& mt = w->rendered.text[kMigrant];
                                            size_t pos = 0;
                                            for (const auto& [offset, raw] : w->rendered.raw_migrant_rows) {
                                              w->migrant_bytes += ToGb18030(mt.substr(pos, offset - pos));
                                              w->migrant_bytes += raw;
                                              pos = offset;
                                            }
                                            w->migrant_bytes += ToGb18030(mt.substr(pos));
                                            t_pack += since(t);
                                            return w;
                                          }) &
          tbb::make_filter<Work*, void>(tbb::filter_mode::serial_in_order, [&](Work* w) {
            std::unique_ptr<Work> owner(w);
            const auto t = std::chrono::steady_clock::now();
            Chunk& c = *w->chunk;
            for (auto& b : c.broken) {
              const uint64_t line = lines[b.feed] + b.local_line;
              broken_file.Write(std::string(kFeedNames[b.feed]) + "," + FeedFile(b.feed, gzip) + "," + std::to_string(line) + "," +
                                (b.kind == BrokenKind::kJson              ? "broken_json"
                                 : b.kind == BrokenKind::kTooFewColumns ? "too_few_columns"
                                 : b.kind == BrokenKind::kEmptyRequired ? "empty_required"
                                                                        : "invalid_bytes") +
                                "\n");
              ++broken_count[b.feed];
            }
            for (int f = 0; f < kNumFeeds; ++f) {
              if (gz[f]) gz[f]->Add(w->gz[f], w->crc[f], w->rendered.text[f].size());
              else if (f == kMigrant) plain[f]->Write(w->migrant_bytes);
              else plain[f]->Write(w->rendered.text[f]);
              lines[f] += w->rendered.rows[f];
              records[f] += c.rows[f].size();
            }
            flags_file.Write(w->oracle.flags_jsonl);
            records_file.Write(w->rendered.records_csv);
            for (const auto& [code, row] : w->oracle.stats) {
              auto& dst = stats[code];
              for (int i = 0; i < kNumStatCols; ++i) dst[i] += row[i];
            }
            for (int i = 0; i < kNumCounts; ++i) counts[i] += c.counts[i] + w->rendered.counts[i];
            for (int i = 0; i < kNumFlagCodes; ++i) flag_counts[i] += w->oracle.flag_counts[i];
            for (const auto& [k, v] : w->oracle.reasons) reasons[k] += v;
            roll_out_of_scope += w->oracle.roll_out_of_scope;
            t_write += since(t);
          }));

  for (int f = 0; f < kNumFeeds; ++f) {
    if (gz[f]) gz[f]->Close();
    else plain[f]->Close();
  }
  flags_file.Close();
  records_file.Close();
  broken_file.Close();
  WriteStats(world, stats, dir / "truth" / "expected_stats.csv");

  // summary.json
  std::string s = "{\n";
  s += "  \"generator\": \"rollmatch-gen\",\n  \"persons\": " + std::to_string(cfg.persons) + ",\n  \"seed\": " + std::to_string(cfg.seed) +
       ",\n  \"noise_level\": \"" + NoiseName(cfg.noise) + "\",\n  \"scope\": \"" + cfg.scope + "\",\n  \"election_day\": \"" +
       IsoDate(cfg.election_day) + "\",\n  \"previous_election_day\": \"" + IsoDate(cfg.previous_election_day) + "\",\n";
  s += "  \"townships\": " + std::to_string(world.ref.townships.size()) + ",\n  \"districts\": " + std::to_string(world.districts.districts.size()) + ",\n";
  auto obj = [&](const char* name, auto&& body) {
    s += std::string("  \"") + name + "\": {";
    bool first = true;
    body([&](const std::string& k, uint64_t v) {
      s += (first ? "\n    \"" : ",\n    \"") + k + "\": " + std::to_string(v);
      first = false;
    });
    s += "\n  },\n";
  };
  obj("records", [&](auto put) {
    for (int f = 0; f < kNumFeeds; ++f) put(kFeedNames[f], records[f] - broken_count[f]);
  });
  obj("broken_rows", [&](auto put) {
    for (int f = 0; f < kNumFeeds; ++f) put(kFeedNames[f], broken_count[f]);
  });
  obj("situations", [&](auto put) {
    for (int i = 0; i < kNumCounts; ++i) {
      const std::string n = kCountNames[i];
      if (n.rfind("noise_", 0) != 0 && n.rfind("broken_", 0) != 0 && n.rfind("clerical_", 0) != 0) put(n, counts[i]);
    }
  });
  obj("noise", [&](auto put) {
    for (int i = 0; i < kNumCounts; ++i) {
      const std::string n = kCountNames[i];
      if (n.rfind("noise_", 0) == 0 || n.rfind("broken_", 0) == 0 || n.rfind("clerical_", 0) == 0) put(n, counts[i]);
    }
  });
  obj("expected_flags", [&](auto put) {
    for (int i = 0; i < kNumFlagCodes; ++i) put(kFlagCodeNames[i], flag_counts[i]);
  });
  obj("expected_evidence", [&](auto put) {
    for (const auto& [k, v] : reasons) put(k, v);
  });
  s += "  \"roll_out_of_scope\": " + std::to_string(roll_out_of_scope) + "\n}\n";
  OutFile summary(dir / "truth" / "summary.json");
  summary.Write(s);
  summary.Close();

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "rollmatch-gen: %llu persons, %llu roll records, %llu flags in %.1f s (%.0f persons/s) -> %s\n",
               static_cast<unsigned long long>(cfg.persons), static_cast<unsigned long long>(records[kRoll] - broken_count[kRoll]),
               static_cast<unsigned long long>([&] {
                 uint64_t t = 0;
                 for (auto v : flag_counts) t += v;
                 return t;
               }()),
               secs, static_cast<double>(cfg.persons) / secs, cfg.out_dir.c_str());
  std::fprintf(stderr, "rollmatch-gen: stage seconds (summed over threads): generate %.1f, ids %.1f, judge %.1f, render %.1f, compress/encode %.1f, write %.1f\n",
               t_generate * 1e-6, t_ids * 1e-6, t_judge * 1e-6, t_render * 1e-6, t_pack * 1e-6, t_write * 1e-6);
  return 0;
}

int ParseDateArg(const std::string& s, const char* what) {
  const int v = ParseIsoDate(s);
  if (!v) throw CLI::ValidationError(what, "expected YYYY-MM-DD, got '" + s + "'");
  return v;
}

}  // namespace
}  // namespace rollmatch::gen

int main(int argc, char** argv) {
  using namespace rollmatch::gen;
  CLI::App app{"rollmatch-gen: synthetic voter-roll feeds with their truth"};
  GenConfig cfg;
  cfg.data_dir = ROLLMATCH_DATA_DIR;
  std::string noise = "none", election = "2026-12-15", previous = "2021-11-15";
  int threads = 0;
  app.add_option("--persons", cfg.persons, "number of persons in the world")->required()->check(CLI::Range(1ULL, 1000000000ULL));
  app.add_option("--seed", cfg.seed, "PRNG seed (same seed, same output)");
  app.add_option("--noise", noise, "none | cosmetic | full")->check(CLI::IsMember({"none", "cosmetic", "full"}));
  app.add_option("--out", cfg.out_dir, "output folder")->required();
  app.add_option("--scope", cfg.scope, "region-code prefix checked: a county (6 digits) or township (9)");
  app.add_option("--election-day", election, "election day, YYYY-MM-DD");
  app.add_option("--previous-election-day", previous, "previous election day, YYYY-MM-DD (empty: not set)");
  app.add_flag("--gzip", cfg.gzip, "write hukou.jsonl.gz instead of hukou.jsonl");
  app.add_option("--data", cfg.data_dir, "reference data folder (the repository's data/)");
  app.add_option("--threads", threads, "worker threads (default: all cores)");
  app.add_option("--chunk-persons", cfg.chunk_persons, "persons per chunk (changes the output)")->check(CLI::Range(256U, 1U << 22));
  CLI11_PARSE(app, argc, argv);
  try {
    if (cfg.scope.size() != 6 && cfg.scope.size() != 9) throw std::runtime_error("--scope must have 6 or 9 digits");
    for (char c : cfg.scope)
      if (c < '0' || c > '9') throw std::runtime_error("--scope must be digits");
    cfg.noise = noise == "none" ? NoiseLevel::kNone : noise == "cosmetic" ? NoiseLevel::kCosmetic : NoiseLevel::kFull;
    cfg.election_day = ParseDateArg(election, "--election-day");
    cfg.previous_election_day = previous.empty() ? 0 : ParseDateArg(previous, "--previous-election-day");
    std::unique_ptr<tbb::global_control> gc;
    if (threads > 0) gc = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
    return Run(cfg);
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rollmatch-gen: %s\n", e.what());
    return 1;
  }
}
