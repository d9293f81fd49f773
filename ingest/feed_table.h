#pragma once
// The rows of one feed that were read successfully, as text, stored
// column-wise in one string arena. Values are UTF-8 (decoded from GB18030
// where configured, BOM removed) exactly as typed otherwise: trimming and
// normalization are the engine's job.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/feed.h"

namespace rollmatch {

// Where a row came from.
struct SourcePos {
  uint32_t file = 0;  // index into FeedTable::files()
  uint64_t line = 0;  // 1-based physical line where the row starts
};

// What reading one file did (for the manifest).
struct FileStats {
  std::string name;           // as given in the configuration
  std::string path;           // resolved path
  std::string encoding;       // "UTF-8" or "GB18030"
  uint64_t size_bytes = 0;    // on disk (compressed size for .gz)
  uint64_t content_hash = 0;  // XXH3-64 of the bytes on disk
  uint64_t rows_read = 0;     // data rows (header excluded; blank lines not counted)
  uint64_t rows_used = 0;
  uint64_t rows_rejected = 0;
};

class FeedTable {
 public:
  explicit FeedTable(Feed feed);

  Feed feed() const { return feed_; }
  int num_fields() const { return num_fields_; }
  uint32_t num_rows() const { return static_cast<uint32_t>(pos_.size()); }

  // REQUIRES: row < num_rows(), 0 <= field < num_fields().
  std::string_view Get(uint32_t row, int field) const {
    const size_t i = static_cast<size_t>(row) * num_fields_ + field;
    const uint32_t begin = field == 0 ? 0 : value_end_[i - 1];
    return std::string_view(arena_.data() + row_start_[row] + begin, value_end_[i] - begin);
  }
  // The row key (record_id; district_code for districts).
  std::string_view key(uint32_t row) const { return Get(row, 0); }
  const SourcePos& pos(uint32_t row) const { return pos_[row]; }

  const std::vector<FileStats>& files() const { return files_; }
  std::vector<FileStats>& mutable_files() { return files_; }

  // Appends a row. `values` has num_fields() entries in field order.
  void AddRow(const std::vector<std::string_view>& values, SourcePos pos);
  // Capacity hint: room for `rows` rows in all and `arena_bytes` more value bytes.
  void Reserve(size_t rows, size_t arena_bytes);
  // Appends all rows of `other` (same feed), shifting its file indices by
  // the number of files already here. Used to join per-file/per-chunk tables.
  void Append(const FeedTable& other);

  uint64_t rows_read() const;
  uint64_t rows_used() const;
  uint64_t rows_rejected() const;

 private:
  Feed feed_;
  int num_fields_;
  // A row's values lie back to back in arena_ from row_start_[row];
  // value_end_[row * num_fields_ + field] is where a value ends, relative to
  // its row's start (8 bytes per row and 4 per value, not 16 per value).
  std::string arena_;
  std::vector<uint64_t> row_start_;
  std::vector<uint32_t> value_end_;
  std::vector<SourcePos> pos_;
  std::vector<FileStats> files_;
};

}  // namespace rollmatch
