#include "ingest/text_decoder.h"

#include <simdjson.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <algorithm>
#include <cstdint>

namespace rollmatch {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when the byte there does
// not start one (overlong forms, surrogates and values above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (b0 == 0xE0 && at(1) < 0xA0) return 0;   // overlong
    if (b0 == 0xED && at(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (b0 == 0xF0 && at(1) < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && at(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

std::optional<TextEncoding> EncodingFromName(std::string_view name) {
  name = TrimBlanks(name);
  if (name.empty() || EqualsIgnoreCase(name, "UTF-8") || EqualsIgnoreCase(name, "UTF8")) {
    return TextEncoding::kUtf8;
  }
  if (EqualsIgnoreCase(name, "GB18030") || EqualsIgnoreCase(name, "GBK") ||
      EqualsIgnoreCase(name, "GB2312")) {
    return TextEncoding::kGb18030;
  }
  return std::nullopt;
}

std::string_view EncodingName(TextEncoding encoding) {
  return encoding == TextEncoding::kGb18030 ? "GB18030" : "UTF-8";
}

std::string_view ByteOrderMark(TextEncoding encoding) {
  return encoding == TextEncoding::kGb18030 ? std::string_view("\x84\x31\x95\x33", 4)
                                            : std::string_view("\xEF\xBB\xBF", 3);
}

bool IsValidUtf8(std::string_view text) { return simdjson::validate_utf8(text.data(), text.size()); }

std::string EscapeInvalidUtf8(std::string_view raw, size_t max_bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(std::min(raw.size(), max_bytes));
  size_t i = 0;
  while (i < raw.size()) {
    const auto c = static_cast<unsigned char>(raw[i]);
    const bool invisible = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
    const size_t n = invisible ? 0 : Utf8SequenceLength(raw, i);
    if (n > 0) {
      if (out.size() + n > max_bytes) break;
      out.append(raw.data() + i, n);
      i += n;
    } else {
      if (out.size() + 4 > max_bytes) break;
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    }
  }
  return out;
}

Gb18030Decoder::~Gb18030Decoder() { Close(); }

void Gb18030Decoder::Close() {
  for (UConverter** c : {&strict_, &lenient_, &utf8_}) {
    if (*c != nullptr) ucnv_close(*c);
    *c = nullptr;
  }
}

Status Gb18030Decoder::Open() {
  if (strict_ != nullptr) return Status::Ok();
  UErrorCode err = U_ZERO_ERROR;
  strict_ = ucnv_open("GB18030", &err);
  lenient_ = ucnv_open("GB18030", &err);
  utf8_ = ucnv_open("UTF-8", &err);
  if (U_SUCCESS(err)) {
    ucnv_setToUCallBack(strict_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  }
  if (U_SUCCESS(err)) {
    // "\xNN" for each invalid byte.
    ucnv_setToUCallBack(lenient_, UCNV_TO_U_CALLBACK_ESCAPE, UCNV_ESCAPE_C, nullptr, nullptr, &err);
  }
  if (U_SUCCESS(err)) {
    ucnv_setFromUCallBack(utf8_, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  }
  if (U_FAILURE(err)) {
    const std::string message = std::string("cannot open the ICU GB18030 converter: ") + u_errorName(err);
    Close();
    return Status::Internal(message);
  }
  return Status::Ok();
}

bool Gb18030Decoder::Convert(UConverter* from, std::string_view in, std::string* out) {
  // GB18030 → UTF-8 grows at most 3/2 (2 bytes → 3); an escaped byte grows to 4.
  size_t capacity = in.size() + in.size() / 2 + 16;
  for (;;) {
    out->resize(capacity);
    UChar pivot[1024];
    UChar* pivot_source = pivot;
    UChar* pivot_target = pivot;
    char* target = out->data();
    const char* source = in.data();
    UErrorCode err = U_ZERO_ERROR;
    ucnv_convertEx(utf8_, from, &target, out->data() + out->size(), &source, in.data() + in.size(), pivot,
                   &pivot_source, &pivot_target, pivot + 1024, /*reset=*/true, /*flush=*/true, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
      capacity *= 2;
      continue;
    }
    out->resize(static_cast<size_t>(target - out->data()));
    return U_SUCCESS(err);
  }
}

bool Gb18030Decoder::Decode(std::string_view in, std::string* out) { return Convert(strict_, in, out); }

std::string Gb18030Decoder::DecodeForDisplay(std::string_view in) {
  std::string out;
  if (!Convert(lenient_, in, &out)) out = EscapeInvalidUtf8(in, in.size() * 4);
  return out;
}

}  // namespace rollmatch
