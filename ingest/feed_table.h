#pragma once
// The rows of one feed that were read successfully, as text, stored
// column-wise in one string arena. Values are UTF-8 (decoded from GB18030
// where configured, BOM removed) exactly as typed otherwise: trimming and
// normalization are the engine's job.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
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
  uint32_t num_rows() const { return static_cast<uint32_t>(row_start_.size()); }

  // REQUIRES: row < num_rows(), 0 <= field < num_fields(). Empty for a field
  // dropped by KeepFields().
  std::string_view Get(uint32_t row, int field) const {
    const int slot = slot_[static_cast<size_t>(field)];
    if (slot < 0) return std::string_view();
    const size_t i = static_cast<size_t>(row) * num_kept_ + static_cast<size_t>(slot);
    const uint32_t begin = slot == 0 ? 0 : value_end_[i - 1];
    return std::string_view(arena_.data() + row_start_[row] + begin, value_end_[i] - begin);
  }
  // The row key (record_id; district_code for districts).
  std::string_view key(uint32_t row) const { return Get(row, 0); }
  // REQUIRES: row < num_rows().
  SourcePos pos(uint32_t row) const;

  const std::vector<FileStats>& files() const { return files_; }
  std::vector<FileStats>& mutable_files() { return files_; }

  // Appends a row. `values` has num_fields() entries in field order.
  // REQUIRES: no field dropped yet (KeepFields).
  void AddRow(const std::vector<std::string_view>& values, SourcePos pos);
  // Capacity hint: room for `rows` rows in all and `arena_bytes` more value bytes.
  void Reserve(size_t rows, size_t arena_bytes);
  // Appends all rows of `other` (same feed), shifting its file indices by
  // the number of files already here. Used to join per-file/per-chunk tables.
  // REQUIRES: no field dropped in either table.
  void Append(const FeedTable& other);

  // Removes the rows marked in `drop` (drop.size() == num_rows()), in place;
  // the rows after them move up. File statistics are left as they are.
  void RemoveRows(const std::vector<bool>& drop);
  // Frees the values of every field not in `fields` (the key, field 0, is
  // always kept): Get() of another field is empty afterwards. Rows, source
  // positions and file statistics stay.
  void KeepFields(std::initializer_list<int> fields);

  // Bytes held (values, offsets, positions), for memory accounting.
  size_t MemoryBytes() const;

  uint64_t rows_read() const;
  uint64_t rows_used() const;
  uint64_t rows_rejected() const;

 private:
  static constexpr int kMaxFields = 16;
  // Moves the kept values of the kept rows to the front of arena_.
  void Compact(const std::vector<bool>* drop, const std::array<int8_t, kMaxFields>& new_slot,
               int new_num_kept);

  Feed feed_;
  int num_fields_;
  // Field → its place among the stored values of a row, -1 when dropped.
  std::array<int8_t, kMaxFields> slot_;
  int num_kept_;
  // A row's stored values lie back to back in arena_ from row_start_[row];
  // value_end_[row * num_kept_ + slot] is where a value ends, relative to
  // its row's start (8 bytes per row and 4 per value, not 16 per value).
  std::string arena_;
  std::vector<uint64_t> row_start_;
  std::vector<uint32_t> value_end_;
  // Source positions: each row's line, and the runs of consecutive rows
  // from one file (first row, file), first rows increasing.
  std::vector<uint64_t> line_;
  std::vector<std::pair<uint32_t, uint32_t>> file_runs_;
  std::vector<FileStats> files_;
};

}  // namespace rollmatch
