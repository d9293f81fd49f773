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

}  // namespace rollmatch
