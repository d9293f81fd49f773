#include "ingest/feed_builder.h"

#include <sys/mman.h>

#include <cstdlib>
#include <new>
#include <utility>

#include "engine/core/check.h"
#include "engine/core/hash.h"
#include "ingest/text_decoder.h"

namespace rollmatch {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// True when `value` holds only ASCII whitespace and ideographic spaces (U+3000).
bool IsBlankValue(std::string_view value) {
  size_t i = 0;
  while (i < value.size()) {
    if (IsAsciiSpace(value[i])) {
      ++i;
    } else if (value.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

// Null when the values of a row may be stored, else why not (a required
// field is empty, a value is too long) in *reason.
bool ValuesOk(const std::vector<FieldSpec>& fields, const std::vector<std::string_view>& values, std::string* reason) {
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].required && IsBlankValue(values[f])) {
      *reason = "required field " + std::string(fields[f].name) + " is empty";
      return false;
    }
    if (values[f].size() > kMaxValueBytes) {
      *reason = "field " + std::string(fields[f].name) + " is " + std::to_string(values[f].size()) +
                " bytes long (at most " + std::to_string(kMaxValueBytes) + ")";
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view TrimAsciiSpace(std::string_view text) {
  while (!text.empty() && IsAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

FeedBuilder::FeedBuilder(Feed feed, std::vector<Reject>* rejects)
    : table_(feed), fields_(FieldsOf(feed)), rejects_(rejects) {}

void FeedBuilder::BeginFile(FileStats stats) {
  FlushPending();
  table_.mutable_files().push_back(std::move(stats));
  file_ = static_cast<uint32_t>(table_.files().size() - 1);
}

void FeedBuilder::FinishFile(uint64_t size_bytes, uint64_t content_hash) {
  FileStats& stats = table_.mutable_files()[file_];
  stats.size_bytes = size_bytes;
  stats.content_hash = content_hash;
}

FeedTable FeedBuilder::Finish() {
  FlushPending();
  return std::move(table_);
}

void FeedBuilder::RejectRow(uint64_t line, std::string reason, std::string_view raw) {
  FlushPending();  // keeps rejects in file order
  CountReject(line, std::move(reason), raw);
}

void FeedBuilder::CountReject(uint64_t line, std::string reason, std::string_view raw) {
  FileStats& stats = table_.mutable_files()[file_];
  ++stats.rows_read;
  ++stats.rows_rejected;
  if (rejects_ == nullptr) return;
  Reject r{feed(), stats.name, line, std::move(reason), EscapeInvalidUtf8(raw, kMaxRejectRawBytes)};
  rejects_->push_back(std::move(r));
}

void FeedBuilder::AddRow(const std::vector<std::string_view>& values, uint64_t line, std::string_view raw) {
  std::string reason;
  if (!ValuesOk(fields_, values, &reason)) {
    RejectRow(line, std::move(reason), raw);
    return;
  }
  // The key check of this row waits for the next row, so that the memory it
  // probes can be fetched meanwhile: on large feeds the index is far bigger
  // than the CPU caches.
  const uint64_t hash = Hash64(TrimAsciiSpace(values[0]));
  if (key_slots_.size() > 0) __builtin_prefetch(&key_slots_[HomeSlot(static_cast<uint32_t>(hash >> 32))]);
  FlushPending();
  pending_.active = true;
  pending_.line = line;
  pending_.hash = hash;
  pending_.bytes.clear();
  pending_.ends.clear();
  for (std::string_view v : values) {
    pending_.bytes.append(v);
    pending_.ends.push_back(pending_.bytes.size());
  }
  pending_.raw.assign(raw.substr(0, kMaxRejectRawBytes + 4));  // EscapeInvalidUtf8 cuts at 4096
}

void FeedBuilder::FlushPending() {
  if (!pending_.active) return;
  pending_.active = false;
  pending_values_.clear();
  size_t begin = 0;
  for (size_t end : pending_.ends) {
    pending_values_.emplace_back(pending_.bytes.data() + begin, end - begin);
    begin = end;
  }
  StoreRow(pending_values_, pending_.hash, pending_.line, pending_.raw);
}

void FeedBuilder::StoreRow(const std::vector<std::string_view>& values, uint64_t hash, uint64_t line,
                           std::string_view raw) {
  const std::string_view key = TrimAsciiSpace(values[0]);
  const int64_t first = FindOrInsertKey(key, hash, table_.num_rows());
  if (first >= 0) {
    const SourcePos& p = table_.pos(static_cast<uint32_t>(first));
    CountReject(line,
                "repeated " + std::string(fields_[0].name) + " " + std::string(key) + " (first at " +
                    table_.files()[p.file].name + ":" + std::to_string(p.line) + ")",
                raw);
    return;
  }
  table_.AddRow(values, SourcePos{file_, line});
  FileStats& stats = table_.mutable_files()[file_];
  ++stats.rows_read;
  ++stats.rows_used;
}

void FeedBuilder::AddBatch(const RowBatch& batch, uint64_t first_line) {
  RM_DCHECK(&batch.fields_ == &fields_) << "a batch of another feed";
  FlushPending();
  // Keys are probed at random in a large index: fetch a few rows ahead.
  constexpr size_t kAhead = 8;
  const std::vector<RowBatch::Entry>& entries = batch.entries_;
  const size_t n_fields = fields_.size();
  for (size_t k = 0; k < entries.size(); ++k) {
    if (k + kAhead < entries.size() && entries[k + kAhead].reason < 0 && key_slots_.size() > 0) {
      __builtin_prefetch(&key_slots_[HomeSlot(static_cast<uint32_t>(entries[k + kAhead].hash >> 32))]);
    }
    const RowBatch::Entry& e = entries[k];
    if (e.reason >= 0) {
      CountReject(first_line + e.line, batch.reasons_[static_cast<size_t>(e.reason)], batch.raw(e));
      continue;
    }
    pending_values_.clear();
    size_t begin = e.first_end == 0 ? 0 : batch.ends_[e.first_end - 1];
    for (size_t f = 0; f < n_fields; ++f) {
      const size_t end = batch.ends_[e.first_end + f];
      pending_values_.emplace_back(batch.bytes_.data() + begin, end - begin);
      begin = end;
    }
    StoreRow(pending_values_, e.hash, first_line + e.line, batch.raw(e));
  }
}

RowBatch::RowBatch(Feed feed) : fields_(FieldsOf(feed)) {}

void RowBatch::Clear(std::string_view stable) {
  stable_ = stable;
  entries_.clear();
  bytes_.clear();
  ends_.clear();
  copies_.clear();
  reasons_.clear();
}

void RowBatch::SetRaw(std::string_view raw, Entry* e) {
  // Only what a Reject keeps (EscapeInvalidUtf8 cuts at kMaxRejectRawBytes).
  raw = raw.substr(0, kMaxRejectRawBytes + 4);
  const auto p = reinterpret_cast<uintptr_t>(raw.data());
  const auto s = reinterpret_cast<uintptr_t>(stable_.data());
  if (!raw.empty() && p >= s && p + raw.size() <= s + stable_.size()) {
    e->raw_begin = static_cast<size_t>(p - s);
  } else {
    e->raw_copied = true;
    e->raw_begin = copies_.size();
    copies_.append(raw);
  }
  e->raw_size = raw.size();
}

void RowBatch::AddRow(const std::vector<std::string_view>& values, uint64_t line, std::string_view raw) {
  std::string reason;
  if (!ValuesOk(fields_, values, &reason)) {
    RejectRow(line, std::move(reason), raw);
    return;
  }
  Entry e;
  e.line = line;
  e.hash = Hash64(TrimAsciiSpace(values[0]));
  e.first_end = ends_.size();
  for (std::string_view v : values) {
    bytes_.append(v);
    ends_.push_back(bytes_.size());
  }
  SetRaw(raw, &e);
  entries_.push_back(e);
}

void RowBatch::RejectRow(uint64_t line, std::string reason, std::string_view raw) {
  Entry e;
  e.line = line;
  e.reason = static_cast<int32_t>(reasons_.size());
  reasons_.push_back(std::move(reason));
  SetRaw(raw, &e);
  entries_.push_back(e);
}

int64_t FeedBuilder::FindOrInsertKey(std::string_view key, uint64_t hash, uint32_t row) {
  if ((key_count_ + 1) * 2 > key_slots_.size()) GrowKeyIndex(key_bits_ == 0 ? 10 : key_bits_ + 1);
  const auto high = static_cast<uint32_t>(hash >> 32);
  const size_t mask = key_slots_.size() - 1;
  for (size_t i = HomeSlot(high);; i = (i + 1) & mask) {
    KeySlot& slot = key_slots_[i];
    if (slot.row_plus_1 == 0) {
      slot = KeySlot{row + 1, high};
      ++key_count_;
      return -1;
    }
    if (slot.hash_high == high && TrimAsciiSpace(table_.key(slot.row_plus_1 - 1)) == key) {
      return slot.row_plus_1 - 1;
    }
  }
}

FeedBuilder::SlotArray::SlotArray(size_t n) : size_(n) {
  constexpr size_t kHugePage = size_t{2} << 20;
  bytes_ = (n * sizeof(KeySlot) + kHugePage - 1) / kHugePage * kHugePage;
  void* p = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  ::madvise(p, bytes_, MADV_HUGEPAGE);  // a hint: failure is harmless
#endif
  slots_ = static_cast<KeySlot*>(p);  // anonymous pages are zero: all slots empty
}

FeedBuilder::SlotArray::~SlotArray() {
  if (slots_ != nullptr) ::munmap(slots_, bytes_);
}

FeedBuilder::SlotArray& FeedBuilder::SlotArray::operator=(SlotArray&& other) noexcept {
  if (this != &other) {
    if (slots_ != nullptr) ::munmap(slots_, bytes_);
    slots_ = std::exchange(other.slots_, nullptr);
    size_ = std::exchange(other.size_, 0);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

void FeedBuilder::Reserve(size_t text_bytes, size_t estimated_rows) {
  table_.Reserve(table_.num_rows() + estimated_rows, text_bytes);
  int bits = key_bits_;
  while ((size_t{1} << bits) < (key_count_ + estimated_rows) * 2) ++bits;
  if (bits > key_bits_) GrowKeyIndex(bits);
}

void FeedBuilder::GrowKeyIndex(int bits) {
  SlotArray old = std::move(key_slots_);
  key_bits_ = bits;
  RM_DCHECK(key_bits_ <= 32) << "key index too large";
  key_slots_ = SlotArray(size_t{1} << key_bits_);
  const size_t mask = key_slots_.size() - 1;
  for (size_t k = 0; k < old.size(); ++k) {
    const KeySlot& slot = old[k];
    if (slot.row_plus_1 == 0) continue;
    size_t i = HomeSlot(slot.hash_high);
    while (key_slots_[i].row_plus_1 != 0) i = (i + 1) & mask;
    key_slots_[i] = slot;
  }
}

}  // namespace rollmatch
