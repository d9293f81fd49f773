#include "ingest/feed_table.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "engine/core/check.h"
#include "ingest/feed_schema.h"

namespace rollmatch {

FeedTable::FeedTable(Feed feed) : feed_(feed), num_fields_(static_cast<int>(FieldsOf(feed).size())) {
  RM_DCHECK(num_fields_ <= kMaxFields) << num_fields_ << " fields";
  slot_.fill(-1);
  for (int f = 0; f < num_fields_; ++f) slot_[static_cast<size_t>(f)] = static_cast<int8_t>(f);
  num_kept_ = num_fields_;
}

SourcePos FeedTable::pos(uint32_t row) const {
  auto it =
      std::upper_bound(file_runs_.begin(), file_runs_.end(), row,
                       [](uint32_t r, const std::pair<uint32_t, uint32_t>& run) { return r < run.first; });
  RM_DCHECK(it != file_runs_.begin()) << "row " << row << " of " << num_rows();
  return SourcePos{std::prev(it)->second, line_[row]};
}

void FeedTable::AddRow(const std::vector<std::string_view>& values, SourcePos pos) {
  RM_DCHECK(static_cast<int>(values.size()) == num_fields_) << values.size() << " values for " << num_fields_;
  RM_DCHECK(num_kept_ == num_fields_) << "adding a row after KeepFields()";
  const size_t start = arena_.size();
  if (file_runs_.empty() || file_runs_.back().second != pos.file)
    file_runs_.emplace_back(num_rows(), pos.file);
  row_start_.push_back(start);
  for (std::string_view v : values) {
    arena_.append(v);
    RM_DCHECK(arena_.size() - start <= UINT32_MAX) << "row larger than 4 GiB";
    value_end_.push_back(static_cast<uint32_t>(arena_.size() - start));
  }
  line_.push_back(pos.line);
}

void FeedTable::Reserve(size_t rows, size_t arena_bytes) {
  arena_.reserve(arena_.size() + arena_bytes);
  row_start_.reserve(rows);
  value_end_.reserve(rows * static_cast<size_t>(num_fields_));
  line_.reserve(rows);
}

void FeedTable::Append(const FeedTable& other) {
  RM_DCHECK(other.feed_ == feed_) << "appending another feed's table";
  RM_DCHECK(num_kept_ == num_fields_ && other.num_kept_ == other.num_fields_)
      << "appending after KeepFields()";
  const uint64_t arena_shift = arena_.size();
  const uint32_t row_shift = num_rows();
  const auto file_shift = static_cast<uint32_t>(files_.size());
  arena_.append(other.arena_);
  row_start_.reserve(row_start_.size() + other.row_start_.size());
  for (uint64_t start : other.row_start_) row_start_.push_back(start + arena_shift);
  value_end_.insert(value_end_.end(), other.value_end_.begin(), other.value_end_.end());
  line_.insert(line_.end(), other.line_.begin(), other.line_.end());
  for (const auto& [first, file] : other.file_runs_) {
    if (file_runs_.empty() || file_runs_.back().second != file + file_shift)
      file_runs_.emplace_back(first + row_shift, file + file_shift);
  }
  files_.insert(files_.end(), other.files_.begin(), other.files_.end());
}

void FeedTable::RemoveRows(const std::vector<bool>& drop) {
  RM_DCHECK(drop.size() == num_rows()) << drop.size() << " marks for " << num_rows() << " rows";
  Compact(&drop, slot_, num_kept_);
}

void FeedTable::KeepFields(std::initializer_list<int> fields) {
  std::array<bool, kMaxFields> keep{};
  keep[0] = true;
  for (int f : fields) {
    RM_DCHECK(f >= 0 && f < num_fields_) << "field " << f;
    keep[static_cast<size_t>(f)] = slot_[static_cast<size_t>(f)] >= 0;
  }
  std::array<int8_t, kMaxFields> new_slot;
  new_slot.fill(-1);
  int n = 0;
  for (int f = 0; f < num_fields_; ++f) {
    if (keep[static_cast<size_t>(f)]) new_slot[static_cast<size_t>(f)] = static_cast<int8_t>(n++);
  }
  if (n == num_kept_) return;
  Compact(nullptr, new_slot, n);
  // Give the freed room back (the copies are as small as what is kept).
  arena_.shrink_to_fit();
  row_start_.shrink_to_fit();
  value_end_.shrink_to_fit();
  line_.shrink_to_fit();
}

void FeedTable::Compact(const std::vector<bool>* drop, const std::array<int8_t, kMaxFields>& new_slot,
                        int new_num_kept) {
  // Everything moves towards the front: a row's kept values never land past
  // where they were, so one forward pass with memmove works in place.
  std::array<int, kMaxFields> kept_fields{};  // new slot → field
  for (int f = 0; f < num_fields_; ++f) {
    if (new_slot[static_cast<size_t>(f)] >= 0)
      kept_fields[static_cast<size_t>(new_slot[static_cast<size_t>(f)])] = f;
  }
  std::vector<std::pair<uint32_t, uint32_t>> runs;
  size_t run = 0;
  uint64_t w = 0;
  uint32_t out = 0;
  std::array<std::string_view, kMaxFields> values;
  const uint32_t rows = num_rows();
  for (uint32_t r = 0; r < rows; ++r) {
    while (run + 1 < file_runs_.size() && file_runs_[run + 1].first <= r) ++run;
    if (drop != nullptr && (*drop)[r]) continue;
    for (int k = 0; k < new_num_kept; ++k)
      values[static_cast<size_t>(k)] = Get(r, kept_fields[static_cast<size_t>(k)]);
    const uint64_t row_start = w;
    for (int k = 0; k < new_num_kept; ++k) {
      const std::string_view v = values[static_cast<size_t>(k)];
      if (!v.empty()) std::memmove(arena_.data() + w, v.data(), v.size());
      w += v.size();
      value_end_[static_cast<size_t>(out) * new_num_kept + k] = static_cast<uint32_t>(w - row_start);
    }
    row_start_[out] = row_start;
    line_[out] = line_[r];
    const uint32_t file = file_runs_[run].second;
    if (runs.empty() || runs.back().second != file) runs.emplace_back(out, file);
    ++out;
  }
  arena_.resize(w);
  row_start_.resize(out);
  value_end_.resize(static_cast<size_t>(out) * new_num_kept);
  line_.resize(out);
  file_runs_ = std::move(runs);
  slot_ = new_slot;
  num_kept_ = new_num_kept;
}

size_t FeedTable::MemoryBytes() const {
  return arena_.capacity() + row_start_.capacity() * sizeof(uint64_t) +
         value_end_.capacity() * sizeof(uint32_t) + line_.capacity() * sizeof(uint64_t) +
         file_runs_.capacity() * sizeof(file_runs_[0]);
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
