#pragma once
// Collects the rows of one feed across its files for ReadFeed: checks that
// required fields are not empty and that row keys do not repeat, keeps each
// file's FileStats counts, and turns bad rows into Rejects. The CSV and JSON
// Lines readers feed it one row at a time.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/feed.h"
#include "ingest/feed_schema.h"
#include "ingest/feed_table.h"
#include "ingest/reject.h"

namespace rollmatch {

// Reject.raw is cut to this many bytes.
inline constexpr size_t kMaxRejectRawBytes = 4096;
// A value of a feed field longer than this makes its row a reject: no name,
// code or address is that long, and a runaway value (a 50 MB line) must not
// reach the reports.
inline constexpr size_t kMaxValueBytes = 65536;

// `text` without leading and trailing ASCII whitespace (space, tab, CR, LF, FF, VT).
std::string_view TrimAsciiSpace(std::string_view text);

class RowBatch;

class FeedBuilder {
 public:
  // `rejects` may be null (rejects are then only counted).
  FeedBuilder(Feed feed, std::vector<Reject>* rejects);

  Feed feed() const { return table_.feed(); }
  const std::vector<FieldSpec>& fields() const { return fields_; }

  // Starts the next file; the rows that follow belong to it.
  void BeginFile(FileStats stats);
  // Sets the current file's size on disk and content hash (known once it is read).
  void FinishFile(uint64_t size_bytes, uint64_t content_hash);

  // A data row of the current file starting at physical `line`, with one
  // value per field in field order. Stored, or rejected when a required
  // field is empty (after trimming ASCII spaces and U+3000), a value is
  // longer than kMaxValueBytes, or its key (compared after trimming ASCII
  // spaces) is already in the feed.
  // `raw` is the row's text, used only for a reject. (The key check runs
  // when the next row arrives, or at Finish(), so that its memory access
  // overlaps the parsing: a large key index misses the caches.)
  void AddRow(const std::vector<std::string_view>& values, uint64_t line, std::string_view raw);

  // A data row that could not be read. `raw` may hold invalid UTF-8: it is
  // escaped (\xNN) and cut to kMaxRejectRawBytes.
  void RejectRow(uint64_t line, std::string reason, std::string_view raw);

  // The rows and rejects of `batch` (read from the current file), in its
  // order, as if given to AddRow / RejectRow one by one; the batch's line
  // numbers are counted from `first_line`. REQUIRES: the batch was made
  // for this builder's feed.
  void AddBatch(const RowBatch& batch, uint64_t first_line);

  // A hint before reading a file of `text_bytes` bytes and about
  // `estimated_rows` rows: reserves room so that the table does not regrow.
  void Reserve(size_t text_bytes, size_t estimated_rows);

  // The table with all rows stored so far. The builder is spent.
  FeedTable Finish();

 private:
  // The last row given to AddRow, copied, before its key is checked.
  struct PendingRow {
    bool active = false;
    uint64_t line = 0;
    uint64_t hash = 0;  // of the trimmed key
    std::string bytes;  // the values back to back
    std::vector<size_t> ends;
    std::string raw;  // cut to what a Reject keeps
  };

  // Checks the key of the pending row and stores or rejects it.
  void FlushPending();
  // Stores a row whose fields passed the checks, or rejects it when its key
  // (hashed to `hash`) is already in the feed.
  void StoreRow(const std::vector<std::string_view>& values, uint64_t hash, uint64_t line, std::string_view raw);
  // Counts a rejected row of the current file and records the Reject.
  void CountReject(uint64_t line, std::string reason, std::string_view raw);
  size_t HomeSlot(uint32_t hash_high) const { return hash_high >> (32 - key_bits_); }
  // Looks `key` (with Hash64 `hash`) up in the key index; inserts it (as
  // `row`) when new. Returns the row that already holds it, or -1.
  int64_t FindOrInsertKey(std::string_view key, uint64_t hash, uint32_t row);
  // Rebuilds the key index with 1 << bits slots.
  void GrowKeyIndex(int bits);

  FeedTable table_;
  const std::vector<FieldSpec>& fields_;
  std::vector<Reject>* rejects_;
  uint32_t file_ = 0;
  // Open addressing over the rows of table_ by trimmed key. A slot keeps the
  // high 32 bits of the key's hash: they pick the home slot (so growing
  // never reads the keys again) and make most mismatches cheap.
  struct KeySlot {
    uint32_t row_plus_1;  // 0: empty
    uint32_t hash_high;
  };
  // Zeroed slots in their own mapping, on huge pages where the kernel allows:
  // a large index is probed at random, and TLB misses would dominate.
  class SlotArray {
   public:
    SlotArray() = default;
    explicit SlotArray(size_t n);
    ~SlotArray();
    SlotArray(SlotArray&& other) noexcept { *this = std::move(other); }
    SlotArray& operator=(SlotArray&& other) noexcept;
    KeySlot& operator[](size_t i) { return slots_[i]; }
    size_t size() const { return size_; }

   private:
    KeySlot* slots_ = nullptr;
    size_t size_ = 0;
    size_t bytes_ = 0;
  };
  SlotArray key_slots_;
  int key_bits_ = 0;  // key_slots_.size() == 1 << key_bits_
  size_t key_count_ = 0;
  PendingRow pending_;
  std::vector<std::string_view> pending_values_;
};

// The rows of one piece of a file, read ahead of its FeedBuilder (possibly
// on another thread) and then given to it in file order with
// FeedBuilder::AddBatch: the same rows and rejects as calling AddRow and
// RejectRow on the builder. What needs only the row itself (empty required
// fields, over-long values, the key's hash) is checked here; the key index
// is the builder's.
// Thread safety: one thread at a time; batches are independent.
class RowBatch {
 public:
  explicit RowBatch(Feed feed);
  // Empties the batch (keeping its room) for the rows of a new text.
  // `stable` is text that outlives the batch until AddBatch: a row's raw
  // text inside it is kept as a view, other raw text is copied.
  void Clear(std::string_view stable);

  const std::vector<FieldSpec>& fields() const { return fields_; }
  // As FeedBuilder::AddRow; `line` is counted from the batch's first line.
  void AddRow(const std::vector<std::string_view>& values, uint64_t line, std::string_view raw);
  // As FeedBuilder::RejectRow.
  void RejectRow(uint64_t line, std::string reason, std::string_view raw);

 private:
  friend class FeedBuilder;
  struct Entry {
    uint64_t line = 0;
    uint64_t hash = 0;         // rows: of the trimmed key
    size_t first_end = 0;      // rows: the index in ends_ of the first value's end
    size_t raw_begin = 0;      // in stable_ or, when copied, in copies_
    size_t raw_size = 0;
    bool raw_copied = false;
    int32_t reason = -1;       // rejects: the index in reasons_; -1 for a row
  };
  std::string_view raw(const Entry& e) const {
    return e.raw_copied ? std::string_view(copies_).substr(e.raw_begin, e.raw_size)
                        : stable_.substr(e.raw_begin, e.raw_size);
  }
  void SetRaw(std::string_view raw, Entry* e);

  const std::vector<FieldSpec>& fields_;
  std::string_view stable_;
  std::vector<Entry> entries_;
  std::string bytes_;         // the rows' values back to back
  std::vector<size_t> ends_;  // the end of each value in bytes_
  std::string copies_;        // raw text not in stable_
  std::vector<std::string> reasons_;
};

}  // namespace rollmatch
