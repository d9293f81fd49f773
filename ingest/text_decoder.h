#pragma once
// Text encodings of feed files: UTF-8 checks and GB18030 → UTF-8 decoding
// (ICU), and the raw text of rejects. The only ICU user in ingest.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/status.h"

struct UConverter;

namespace rollmatch {

enum class TextEncoding { kUtf8, kGb18030 };

// Maps a configured encoding name (case-insensitive) to an encoding: "" /
// "UTF-8" / "UTF8" → UTF-8; "GB18030" / "GBK" / "GB2312" → GB18030 (a
// superset of the other two). Unknown names give nullopt.
std::optional<TextEncoding> EncodingFromName(std::string_view name);
// "UTF-8" or "GB18030".
std::string_view EncodingName(TextEncoding encoding);

// The byte-order mark of `encoding` (EF BB BF; GB18030: 84 31 95 33).
std::string_view ByteOrderMark(TextEncoding encoding);

bool IsValidUtf8(std::string_view text);

// `raw` as valid UTF-8 for a Reject: valid sequences are copied; every
// other byte, and the invisible control bytes (C0 other than tab, LF, CR;
// DEL), becomes the four characters \xNN. Cut at a character boundary so
// that the result has at most `max_bytes` bytes.
std::string EscapeInvalidUtf8(std::string_view raw, size_t max_bytes);

// Decodes GB18030 to UTF-8 through ICU, stopping at the first invalid or
// unmappable byte sequence. One decoder per thread (ICU converters are not
// thread-safe).
class Gb18030Decoder {
 public:
  Gb18030Decoder() = default;
  ~Gb18030Decoder();
  Gb18030Decoder(const Gb18030Decoder&) = delete;
  Gb18030Decoder& operator=(const Gb18030Decoder&) = delete;

  // Opens the ICU converters. Must succeed before any other call.
  Status Open();
  // Replaces *out with the UTF-8 text of `in`. False when `in` holds an
  // invalid GB18030 byte sequence (including one cut off at its end).
  bool Decode(std::string_view in, std::string* out);
  // The UTF-8 text of `in` with each invalid byte shown as \xNN (for rejects).
  std::string DecodeForDisplay(std::string_view in);

 private:
  void Close();
  bool Convert(UConverter* from, std::string_view in, std::string* out);

  UConverter* strict_ = nullptr;   // GB18030 → UTF-16, STOP on invalid bytes
  UConverter* lenient_ = nullptr;  // GB18030 → UTF-16, invalid bytes escaped as \xNN
  UConverter* utf8_ = nullptr;     // UTF-16 → UTF-8
};

}  // namespace rollmatch
