#include "ingest/feed_reader.h"

#include <algorithm>
#include <memory>
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

// Bytes a file is read in at a time (a piece ends at the next line end):
// what ingest holds of a file besides its rows.
constexpr size_t kPieceBytes = size_t{4} << 20;

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

  // The file is read piece by piece; each piece is checked (or decoded) and
  // read as a whole text. Rows are never cut: pieces end at line ends, and a
  // CSV record that goes on past one (a quoted line end) is kept in `bytes`
  // to be read again with the next piece.
  CsvFeedReader csv(builder);
  uint64_t jsonl_line = 1;
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
      if (*encoding == TextEncoding::kUtf8) {
        if (StartsWith(bytes, ByteOrderMark(TextEncoding::kUtf8))) bytes.erase(0, 3);
      } else {
        gb18030_with_utf8_bom = StartsWith(bytes, ByteOrderMark(TextEncoding::kUtf8));
        if (StartsWith(bytes, ByteOrderMark(TextEncoding::kGb18030))) bytes.erase(0, 4);
      }
      // Room for the whole file's rows (a .gz file's size estimated from its first piece).
      size_t total = bytes.size();
      if (!last) {
        total = kind->gzip ? static_cast<size_t>(static_cast<double>(bytes.size()) * pieces->size_at_open() /
                                                 std::max<uint64_t>(pieces->disk_bytes(), 1))
                           : std::max<size_t>(bytes.size(), pieces->size_at_open());
      }
      builder->Reserve(total, EstimateRows(bytes, total));
    }

    FileText text;
    text.name = file.name;
    text.gb18030_with_utf8_bom = gb18030_with_utf8_bom;
    const std::string_view raw = bytes;
    if (*encoding == TextEncoding::kUtf8) {
      const bool clean = raw.find('\0') == std::string_view::npos && IsValidUtf8(raw);
      text.text = raw;
      text.check = clean ? RowCheck::kNone : RowCheck::kUtf8;
      text.inner_bom = raw.find(ByteOrderMark(TextEncoding::kUtf8)) != std::string_view::npos;
    } else if (raw.find('\0') == std::string_view::npos && decoder->Decode(raw, &decoded)) {
      // Decode the whole piece at once when it is clean; else row by row.
      text.text = decoded;
      text.check = RowCheck::kNone;
      text.inner_bom = text.text.find(ByteOrderMark(TextEncoding::kUtf8)) != std::string_view::npos;
    } else {
      text.text = raw;
      text.check = RowCheck::kGb18030;
      text.decoder = decoder;
      text.inner_bom = true;  // rows are decoded one by one: check each
    }

    size_t used = raw.size();
    if (kind->format == Format::kCsv) {
      size_t consumed = 0;
      uint64_t records = 0;
      RM_RETURN_IF_ERROR(csv.Read(text, last, &consumed, &records));
      if (consumed < text.text.size()) {
        // Stopped before a record the piece's end may cut: in the raw bytes, after as many records.
        used = text.text.data() == raw.data() ? consumed : CsvRecordsEnd(raw, records);
      }
    } else {
      RM_RETURN_IF_ERROR(ReadJsonl(text, builder, jsonl_line, &jsonl_line));
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
