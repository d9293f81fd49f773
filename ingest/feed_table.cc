#include "ingest/feed_table.h"

#include <cstdint>

#include "engine/core/check.h"
#include "ingest/feed_schema.h"

namespace rollmatch {

FeedTable::FeedTable(Feed feed) : feed_(feed), num_fields_(static_cast<int>(FieldsOf(feed).size())) {}

void FeedTable::AddRow(const std::vector<std::string_view>& values, SourcePos pos) {
  RM_DCHECK(static_cast<int>(values.size()) == num_fields_) << values.size() << " values for " << num_fields_;
  const size_t start = arena_.size();
  row_start_.push_back(start);
  for (std::string_view v : values) {
    arena_.append(v);
    RM_DCHECK(arena_.size() - start <= UINT32_MAX) << "row larger than 4 GiB";
    value_end_.push_back(static_cast<uint32_t>(arena_.size() - start));
  }
  pos_.push_back(pos);
}

void FeedTable::Reserve(size_t rows, size_t arena_bytes) {
  arena_.reserve(arena_.size() + arena_bytes);
  row_start_.reserve(rows);
  value_end_.reserve(rows * static_cast<size_t>(num_fields_));
  pos_.reserve(rows);
}

void FeedTable::Append(const FeedTable& other) {
  RM_DCHECK(other.feed_ == feed_) << "appending another feed's table";
  const uint64_t arena_shift = arena_.size();
  const auto file_shift = static_cast<uint32_t>(files_.size());
  arena_.append(other.arena_);
  row_start_.reserve(row_start_.size() + other.row_start_.size());
  for (uint64_t start : other.row_start_) row_start_.push_back(start + arena_shift);
  value_end_.insert(value_end_.end(), other.value_end_.begin(), other.value_end_.end());
  pos_.reserve(pos_.size() + other.pos_.size());
  for (const SourcePos& p : other.pos_) pos_.push_back(SourcePos{p.file + file_shift, p.line});
  files_.insert(files_.end(), other.files_.begin(), other.files_.end());
}

uint64_t FeedTable::rows_read() const {
  uint64_t n = 0;
  for (const FileStats& f : files_) n += f.rows_read;
  return n;
}

uint64_t FeedTable::rows_used() const {
  uint64_t n = 0;
  for (const FileStats& f : files_) n += f.rows_used;
  return n;
}

uint64_t FeedTable::rows_rejected() const {
  uint64_t n = 0;
  for (const FileStats& f : files_) n += f.rows_rejected;
  return n;
}

}  // namespace rollmatch
