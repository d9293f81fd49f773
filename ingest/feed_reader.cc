#include "ingest/feed_reader.h"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "ingest/csv_reader.h"
#include "ingest/feed_builder.h"
#include "ingest/file_source.h"
#include "ingest/file_text.h"
#include "ingest/jsonl_reader.h"
#include "ingest/text_decoder.h"

namespace rollmatch {
namespace {

enum class Format { kCsv, kJsonl };

struct FileKind {
  Format format;
  bool gzip;
};

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

// .csv, .jsonl, .csv.gz, .jsonl.gz (case-insensitive).
std::optional<FileKind> KindOf(std::string_view path) {
  bool gzip = false;
  if (EndsWithIgnoreCase(path, ".gz")) {
    gzip = true;
    path.remove_suffix(3);
  }
  if (EndsWithIgnoreCase(path, ".csv")) return FileKind{Format::kCsv, gzip};
  if (EndsWithIgnoreCase(path, ".jsonl")) return FileKind{Format::kJsonl, gzip};
  return std::nullopt;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// About how many rows a text of `total` bytes holds: the lines of its first
// MiB (`sample`) extrapolated, but never more than one per 48 bytes (a short
// feed row), so that a file of blank lines cannot make ReadFeed reserve
// gigabytes. Only a hint.
size_t EstimateRows(std::string_view sample, size_t total) {
  sample = sample.substr(0, size_t{1} << 20);
  if (sample.empty()) return 0;
  size_t lines = 1;
  for (char c : sample) lines += (c == '\n' || c == '\r') ? 1 : 0;
  const auto extrapolated = static_cast<size_t>(static_cast<double>(lines) * total / sample.size());
  return std::min(extrapolated, total / 48 + 1);
}

// What the first piece of a file tells: the byte-order mark is removed
// from *bytes, and the builder is told how much room the whole file's rows
// need (a .gz file's size estimated from its first piece).
struct FirstPiece {
  bool gb18030_with_utf8_bom = false;
  size_t reserve_bytes = 0;
  size_t reserve_rows = 0;
};
FirstPiece TakeFirstPiece(TextEncoding encoding, const FileKind& kind, const FilePieces& pieces, bool last,
                          std::string* bytes) {
  FirstPiece first;
  if (encoding == TextEncoding::kUtf8) {
    if (StartsWith(*bytes, ByteOrderMark(TextEncoding::kUtf8))) bytes->erase(0, 3);
  } else {
    first.gb18030_with_utf8_bom = StartsWith(*bytes, ByteOrderMark(TextEncoding::kUtf8));
    if (StartsWith(*bytes, ByteOrderMark(TextEncoding::kGb18030))) bytes->erase(0, 4);
  }
  size_t total = bytes->size();
  if (!last) {
    total = kind.gzip ? static_cast<size_t>(static_cast<double>(bytes->size()) * pieces.size_at_open() /
                                            std::max<uint64_t>(pieces.disk_bytes(), 1))
                      : std::max<size_t>(bytes->size(), pieces.size_at_open());
  }
  first.reserve_bytes = total;
  first.reserve_rows = EstimateRows(*bytes, total);
  return first;
}

// A piece's text as the readers see it: checked (UTF-8) or decoded
// (GB18030, into *decoded) as a whole when it is clean, else to be checked
// row by row.
FileText PieceText(const std::string& name, TextEncoding encoding, bool gb18030_with_utf8_bom,
                   std::string_view raw, Gb18030Decoder* decoder, std::string* decoded) {
  FileText text;
  text.name = name;
  text.gb18030_with_utf8_bom = gb18030_with_utf8_bom;
  if (encoding == TextEncoding::kUtf8) {
    const bool clean = raw.find('\0') == std::string_view::npos && IsValidUtf8(raw);
    text.text = raw;
    text.check = clean ? RowCheck::kNone : RowCheck::kUtf8;
    text.inner_bom = raw.find(ByteOrderMark(TextEncoding::kUtf8)) != std::string_view::npos;
  } else if (raw.find('\0') == std::string_view::npos && decoder->Decode(raw, decoded)) {
    // Decode the whole piece at once when it is clean; else row by row.
    text.text = *decoded;
    text.check = RowCheck::kNone;
    text.inner_bom = text.text.find(ByteOrderMark(TextEncoding::kUtf8)) != std::string_view::npos;
  } else {
    text.text = raw;
    text.check = RowCheck::kGb18030;
    text.decoder = decoder;
    text.inner_bom = true;  // rows are decoded one by one: check each
  }
  return text;
}

// Bytes a file is read in at a time (a piece ends at the next line end):
// what ingest holds of a file besides its rows.
constexpr size_t kPieceBytes = size_t{4} << 20;

// After a piece's rows failed, the rest of the file is still read (not
// parsed): a file that cannot be read is reported as such, whatever its
// first lines hold, so the error is the same however large the pieces are.
Status ReadErrorInRest(FilePieces* pieces, size_t piece_bytes) {
  std::string scratch;
  while (!pieces->at_end()) {
    scratch.clear();
    RM_ASSIGN_OR_RETURN(const bool more, pieces->Append(piece_bytes, &scratch));
    if (!more) break;
  }
  return Status::Ok();
}

// A JSON Lines file: every piece ends at a line end and a line is a row, so
// pieces are read in a pipeline: one at a time from the disk (inflated, for
// a .gz file: one thread per stream), checked and parsed into RowBatches on
// any threads, the batches given to the builder in file order. The rows,
// rejects and line numbers are those of reading the pieces one by one; a
// few pieces (about two per thread) are held at once.
Status ReadJsonlPieces(const std::string& name, const FileKind& kind, TextEncoding encoding, size_t piece_bytes,
                       FilePieces* pieces, FeedBuilder* builder) {
  struct Piece {
    std::string bytes;
    std::string decoded;  // decoded from GB18030
    bool first = false;
    FirstPiece first_piece;
    bool gb18030_with_utf8_bom = false;
    RowBatch rows;
    bool parsed = false;
    uint64_t lines = 0;  // line ends in the piece
    Status status;
    explicit Piece(Feed feed) : rows(feed) {}
  };
  // Pieces are used again (their buffers keep their room): fresh buffers
  // for every piece would cost page faults of their own.
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<Piece>> pool;
  std::vector<Piece*> free_pieces;
  auto take_piece = [&]() -> Piece* {
    std::lock_guard<std::mutex> lock(pool_mutex);
    if (free_pieces.empty()) {
      pool.push_back(std::make_unique<Piece>(builder->feed()));
      return pool.back().get();
    }
    Piece* p = free_pieces.back();
    free_pieces.pop_back();
    return p;
  };
  auto give_back = [&](Piece* p) {
    std::lock_guard<std::mutex> lock(pool_mutex);
    free_pieces.push_back(p);
  };
  Status read_status, parse_status;
  bool first = true, done = false;
  bool gb18030_with_utf8_bom = false;
  std::atomic<bool> failed{false};
  uint64_t line = 1;  // of the next piece's first line
  const auto tokens = static_cast<size_t>(std::max(2, 2 * tbb::this_task_arena::max_concurrency()));
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, Piece*>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> Piece* {
            if (done || failed.load(std::memory_order_relaxed)) {
              fc.stop();
              return nullptr;
            }
            Piece* p = take_piece();
            p->bytes.clear();
            p->first = false;
            p->parsed = false;
            Result<bool> more = pieces->Append(piece_bytes, &p->bytes);
            if (!more.ok() || !*more) {
              if (!more.ok()) {
                read_status = more.status();
                failed = true;
              }
              give_back(p);
              fc.stop();
              return nullptr;
            }
            done = pieces->at_end();
            if (first) {
              first = false;
              p->first = true;
              p->first_piece = TakeFirstPiece(encoding, kind, *pieces, done, &p->bytes);
              gb18030_with_utf8_bom = p->first_piece.gb18030_with_utf8_bom;
            }
            p->gb18030_with_utf8_bom = gb18030_with_utf8_bom;
            return p;
          }) &
          tbb::make_filter<Piece*, Piece*>(
              tbb::filter_mode::parallel,
              [&](Piece* p) {
                if (failed.load(std::memory_order_relaxed)) return p;
                Gb18030Decoder decoder;  // ICU converters are not thread safe: one per piece
                if (encoding == TextEncoding::kGb18030) {
                  p->status = decoder.Open();
                  if (!p->status.ok()) return p;
                }
                const FileText text =
                    PieceText(name, encoding, p->gb18030_with_utf8_bom, p->bytes, &decoder, &p->decoded);
                p->rows.Clear(text.text);
                p->status = ReadJsonl(text, &p->rows, 0, &p->lines);
                p->parsed = true;
                return p;
              }) &
          tbb::make_filter<Piece*, void>(tbb::filter_mode::serial_in_order, [&](Piece* p) {
            if (parse_status.ok() && p->parsed) {
              if (!p->status.ok()) {
                parse_status = p->status;
                failed = true;
              } else {
                if (p->first) builder->Reserve(p->first_piece.reserve_bytes, p->first_piece.reserve_rows);
                builder->AddBatch(p->rows, line);
                line += p->lines;
              }
            }
            give_back(p);
          }));
  // A read failure first (ReadErrorInRest), then the first failure in file order.
  RM_RETURN_IF_ERROR(read_status);
  if (!parse_status.ok()) {
    RM_RETURN_IF_ERROR(ReadErrorInRest(pieces, piece_bytes));
    return parse_status;
  }
  return Status::Ok();
}

Status ReadOneFile(const FeedFile& file, size_t piece_bytes, Gb18030Decoder* decoder, FeedBuilder* builder) {
  const std::string& path = file.path.empty() ? file.name : file.path;
  const std::optional<FileKind> kind = KindOf(path);
  if (!kind) {
    return Status::InvalidArgument(file.name +
                                   ": unknown file type (expected .csv, .jsonl, .csv.gz or .jsonl.gz)");
  }
  const std::optional<TextEncoding> encoding = EncodingFromName(file.encoding);
  if (!encoding) {
    return Status::InvalidArgument(file.name + ": unknown encoding \"" + file.encoding +
                                   "\" (expected UTF-8, GB18030 or GBK)");
  }
  RM_ASSIGN_OR_RETURN(std::unique_ptr<FilePieces> pieces, FilePieces::Open(file.name, path, kind->gzip));
  if (*encoding == TextEncoding::kGb18030) RM_RETURN_IF_ERROR(decoder->Open());

  FileStats stats;
  stats.name = file.name;
  stats.path = path;
  stats.encoding = std::string(EncodingName(*encoding));
  stats.size_bytes = pieces->size_at_open();
  builder->BeginFile(std::move(stats));

  if (kind->format == Format::kJsonl) {
    RM_RETURN_IF_ERROR(ReadJsonlPieces(file.name, *kind, *encoding, piece_bytes, pieces.get(), builder));
    builder->FinishFile(pieces->disk_bytes(), pieces->content_hash());
    return Status::Ok();
  }

  // A CSV file is read piece by piece; each piece is checked (or decoded) and
  // read as a whole text. Rows are never cut: pieces end at line ends, and a
  // CSV record that goes on past one (a quoted line end) is kept in `bytes`
  // to be read again with the next piece.
  CsvFeedReader csv(builder);
  std::string bytes;    // raw bytes not yet read: the rest of the last piece, then the next
  std::string decoded;  // a piece decoded from GB18030
  bool first = true;
  bool gb18030_with_utf8_bom = false;
  size_t want = piece_bytes;
  for (;;) {
    RM_ASSIGN_OR_RETURN(const bool more, pieces->Append(want, &bytes));
    const bool last = pieces->at_end();
    if (!more && bytes.empty()) break;
    if (first) {
      first = false;
      const FirstPiece f = TakeFirstPiece(*encoding, *kind, *pieces, last, &bytes);
      gb18030_with_utf8_bom = f.gb18030_with_utf8_bom;
      builder->Reserve(f.reserve_bytes, f.reserve_rows);
    }
    const std::string_view raw = bytes;
    const FileText text = PieceText(file.name, *encoding, gb18030_with_utf8_bom, raw, decoder, &decoded);
    size_t used = raw.size();
    size_t consumed = 0;
    uint64_t records = 0;
    if (Status rows = csv.Read(text, last, &consumed, &records); !rows.ok()) {
      RM_RETURN_IF_ERROR(ReadErrorInRest(pieces.get(), piece_bytes));
      return rows;
    }
    if (consumed < text.text.size()) {
      // Stopped before a record the piece's end may cut: in the raw bytes, after as many records.
      used = text.text.data() == raw.data() ? consumed : CsvRecordsEnd(raw, records);
    }
    if (last) break;
    bytes.erase(0, used);
    // A record longer than a piece: read as much again (linear time, whatever its length).
    want = std::max(piece_bytes, bytes.size());
  }
  builder->FinishFile(pieces->disk_bytes(), pieces->content_hash());
  return Status::Ok();
}

}  // namespace

Result<FeedTable> ReadFeed(Feed feed, const std::vector<FeedFile>& files, std::vector<Reject>* rejects,
                           size_t piece_bytes) {
  FeedBuilder builder(feed, rejects);
  Gb18030Decoder decoder;
  const size_t rejects_before = rejects != nullptr ? rejects->size() : 0;
  for (const FeedFile& file : files) {
    Status status = ReadOneFile(file, piece_bytes == 0 ? kPieceBytes : piece_bytes, &decoder, &builder);
    if (!status.ok()) {
      // A failed read leaves *rejects as it was.
      if (rejects != nullptr) rejects->resize(rejects_before);
      return status;
    }
  }
  return builder.Finish();
}

}  // namespace rollmatch
