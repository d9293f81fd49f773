#pragma once
// Helpers for the ingest tests: temporary feed files, gzip and GB18030
// encoding of test text, and one-call feed reading.

#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingest/feed_reader.h"

namespace rollmatch::testing {

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rm_ingest_XXXXXX").string();
    char* made = ::mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

  // Writes `bytes` to NAME in the directory; returns the full path.
  std::string Write(const std::string& name, const std::string& bytes) const {
    const std::string full = (path_ / name).string();
    std::ofstream out(full, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return full;
  }

 private:
  std::filesystem::path path_;
};

// `text` compressed as one gzip member.
inline std::string Gzip(const std::string& text) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// UTF-8 `text` encoded as GB18030 with ICU.
inline std::string ToGb18030(const std::string& utf8) {
  UErrorCode err = U_ZERO_ERROR;
  std::string out(utf8.size() * 2 + 16, '\0');
  const int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                                 utf8.data(), static_cast<int32_t>(utf8.size()), &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  out.resize(static_cast<size_t>(n));
  return out;
}

// Reads one feed from files written into `dir`.
struct ReadOutcome {
  Result<FeedTable> table;
  std::vector<Reject> rejects;
};

// Everything a read gave, as text, to compare reads.
inline std::string Describe(const ReadOutcome& r) {
  std::string s;
  if (!r.table.ok()) {
    s = "error: " + r.table.status().ToString() + "\n";
  } else {
    const FeedTable& t = r.table.value();
    for (const FileStats& f : t.files()) {
      s += "file " + f.name + " " + f.encoding + " " + std::to_string(f.size_bytes) + " " +
           std::to_string(f.content_hash) + " " + std::to_string(f.rows_read) + " " +
           std::to_string(f.rows_used) + " " + std::to_string(f.rows_rejected) + "\n";
    }
    for (uint32_t row = 0; row < t.num_rows(); ++row) {
      s += "row " + std::to_string(t.pos(row).file) + ":" + std::to_string(t.pos(row).line);
      for (int f = 0; f < t.num_fields(); ++f) s.append(" [").append(t.Get(row, f)).append("]");
      s += "\n";
    }
  }
  for (const Reject& j : r.rejects) {
    s += "reject " + std::string(FeedName(j.feed)) + " " + j.file + ":" + std::to_string(j.line) + " " +
         j.reason + " [" + j.raw + "]\n";
  }
  return s;
}

// Reads the files whole (one piece) and in pieces of a few bytes: every
// test of ingest checks that reading piece by piece changes nothing (files
// over 1 MiB in pieces of 4 KiB and 4 MiB only, to keep the tests quick).
inline ReadOutcome ReadFiles(Feed feed, const std::vector<FeedFile>& files) {
  std::vector<Reject> rejects;
  Result<FeedTable> table = ReadFeed(feed, files, &rejects, size_t{1} << 30);
  ReadOutcome whole{std::move(table), std::move(rejects)};
  const std::string expected = Describe(whole);
  uintmax_t total = 0;
  for (const FeedFile& f : files) {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(f.path.empty() ? f.name : f.path, ec);
    if (!ec) total += size;
  }
  std::vector<size_t> sizes = {size_t{4096}, size_t{0}};
  if (total <= (uintmax_t{1} << 20)) sizes = {1, 2, 3, 7, 64, 4096, 0};
  for (size_t piece_bytes : sizes) {
    std::vector<Reject> piece_rejects;
    Result<FeedTable> piece_table = ReadFeed(feed, files, &piece_rejects, piece_bytes);
    EXPECT_EQ(Describe(ReadOutcome{std::move(piece_table), std::move(piece_rejects)}), expected)
        << "read in pieces of " << piece_bytes << " bytes";
  }
  return whole;
}

// Writes `bytes` as NAME and reads it as the only file of `feed`.
inline ReadOutcome ReadOne(const TempDir& dir, Feed feed, const std::string& name, const std::string& bytes,
                           const std::string& encoding = "") {
  const std::string path = dir.Write(name, bytes);
  return ReadFiles(feed, {FeedFile{name, path, encoding}});
}

// All values of row `row`, in field order.
inline std::vector<std::string> RowOf(const FeedTable& t, uint32_t row) {
  std::vector<std::string> out;
  for (int f = 0; f < t.num_fields(); ++f) out.emplace_back(t.Get(row, f));
  return out;
}

}  // namespace rollmatch::testing
