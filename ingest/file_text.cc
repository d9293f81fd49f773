#include "ingest/file_text.h"

#include <cstring>

#include "ingest/feed_builder.h"

namespace rollmatch {

const char* DecodeRow(const FileText& file, std::string_view raw, std::string* scratch,
                      std::string_view* text) {
  *text = raw;
  if (file.check == RowCheck::kNone) return nullptr;
  if (std::memchr(raw.data(), '\0', raw.size()) != nullptr) return "NUL byte";
  if (file.check == RowCheck::kUtf8) return IsValidUtf8(raw) ? nullptr : "invalid UTF-8";
  if (!file.decoder->Decode(raw, scratch)) return "invalid GB18030 bytes";
  *text = *scratch;
  return nullptr;
}

const char* InnerBom(const FileText& file, std::string_view row_text) {
  if (!file.inner_bom || row_text.find("\xEF\xBB\xBF") == std::string_view::npos) return nullptr;
  return "byte-order mark (U+FEFF) inside the file: were two files joined?";
}

std::string DisplayRow(const FileText& file, std::string_view raw) {
  if (file.check != RowCheck::kGb18030) return std::string(raw.substr(0, kMaxRejectRawBytes + 4));
  // Decoding never shrinks text below 3/4 of its bytes: twice the cut is plenty.
  return file.decoder->DecodeForDisplay(raw.substr(0, 2 * kMaxRejectRawBytes));
}

}  // namespace rollmatch
