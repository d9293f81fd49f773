#include "ingest/feed_reader.h"

#include <algorithm>
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

// About how many rows `text` holds: its lines extrapolated from its first
// MiB, but never more than one per 48 bytes (a short feed row), so that a
// file of blank lines cannot make ReadFeed reserve gigabytes. Only a hint.
size_t EstimateRows(std::string_view text) {
  const std::string_view sample = text.substr(0, size_t{1} << 20);
  if (sample.empty()) return 0;
  size_t lines = 1;
  for (char c : sample) lines += (c == '\n' || c == '\r') ? 1 : 0;
  const auto extrapolated = static_cast<size_t>(static_cast<double>(lines) * text.size() / sample.size());
  return std::min(extrapolated, text.size() / 48 + 1);
}

Status ReadOneFile(const FeedFile& file, Gb18030Decoder* decoder, FeedBuilder* builder) {
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
  RM_ASSIGN_OR_RETURN(FileContent content, LoadFile(file.name, path, kind->gzip));

  FileStats stats;
  stats.name = file.name;
  stats.path = path;
  stats.encoding = std::string(EncodingName(*encoding));
  stats.size_bytes = content.size_on_disk;
  stats.content_hash = content.content_hash;
  builder->BeginFile(std::move(stats));

  FileText text;
  text.name = file.name;
  std::string_view bytes = content.bytes;
  std::string decoded;
  if (*encoding == TextEncoding::kUtf8) {
    if (StartsWith(bytes, ByteOrderMark(TextEncoding::kUtf8))) bytes.remove_prefix(3);
    const bool clean = bytes.find('\0') == std::string_view::npos && IsValidUtf8(bytes);
    text.text = bytes;
    text.check = clean ? RowCheck::kNone : RowCheck::kUtf8;
    text.inner_bom = bytes.find(ByteOrderMark(TextEncoding::kUtf8)) != std::string_view::npos;
  } else {
    RM_RETURN_IF_ERROR(decoder->Open());
    text.gb18030_with_utf8_bom = StartsWith(bytes, ByteOrderMark(TextEncoding::kUtf8));
    if (StartsWith(bytes, ByteOrderMark(TextEncoding::kGb18030))) bytes.remove_prefix(4);
    // Decode the whole file at once when it is clean; else row by row.
    if (bytes.find('\0') == std::string_view::npos && decoder->Decode(bytes, &decoded)) {
      text.text = decoded;
      text.check = RowCheck::kNone;
      text.inner_bom = text.text.find(ByteOrderMark(TextEncoding::kUtf8)) != std::string_view::npos;
    } else {
      decoded.clear();
      text.text = bytes;
      text.check = RowCheck::kGb18030;
      text.decoder = decoder;
      text.inner_bom = true;  // rows are decoded one by one: check each
    }
  }
  builder->Reserve(text.text.size(), EstimateRows(text.text));
  return kind->format == Format::kCsv ? ReadCsv(text, builder) : ReadJsonl(text, builder);
}

}  // namespace

Result<FeedTable> ReadFeed(Feed feed, const std::vector<FeedFile>& files, std::vector<Reject>* rejects) {
  FeedBuilder builder(feed, rejects);
  Gb18030Decoder decoder;
  const size_t rejects_before = rejects != nullptr ? rejects->size() : 0;
  for (const FeedFile& file : files) {
    Status status = ReadOneFile(file, &decoder, &builder);
    if (!status.ok()) {
      // A failed read leaves *rejects as it was.
      if (rejects != nullptr) rejects->resize(rejects_before);
      return status;
    }
  }
  return builder.Finish();
}

}  // namespace rollmatch
