#include "engine/report/json_writer.h"

#include <charconv>
#include <cmath>

#include "engine/core/check.h"

namespace rollmatch {

namespace {

constexpr char kReplacementCharacter[] = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kHexDigits[] = "0123456789abcdef";

}  // namespace

int Utf8SequenceLength(std::string_view bytes) {
  RM_DCHECK(!bytes.empty());
  const auto b = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  int len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (bytes.size() < static_cast<size_t>(len)) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (int i = 2; i < len; ++i) {
    if (b(i) < 0x80 || b(i) > 0xBF) return 0;
  }
  return len;
}

void AppendValidUtf8(std::string* out, std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    // Copy the longest run of valid text in one go.
    size_t start = i;
    while (i < bytes.size()) {
      const int n = Utf8LengthAt(bytes, i);
      if (n == 0) break;
      i += n;
    }
    out->append(bytes.data() + start, i - start);
    if (i < bytes.size()) {
      out->append(kReplacementCharacter);
      ++i;
    }
  }
}

void AppendJsonString(std::string* out, std::string_view bytes) {
  out->push_back('"');
  // Runs of bytes that need no escape are appended in one go.
  size_t run = 0, i = 0;
  auto flush = [&] { out->append(bytes.data() + run, i - run); };
  while (i < bytes.size()) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
      if (c < 0x80) {
        ++i;
        continue;
      }
      const int n = Utf8LengthAt(bytes, i);
      if (n == 0) {
        flush();
        out->append(kReplacementCharacter);
        run = ++i;
      } else if (n == 3 && c == 0xE2 && static_cast<unsigned char>(bytes[i + 1]) == 0x80 &&
                 (static_cast<unsigned char>(bytes[i + 2]) & 0xFE) == 0xA8) {
        // U+2028 / U+2029 are valid JSON but end lines in JavaScript.
        flush();
        out->append(static_cast<unsigned char>(bytes[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029");
        i += 3;
        run = i;
      } else {
        i += static_cast<size_t>(n);
      }
      continue;
    }
    flush();
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHexDigits[c >> 4]);
        out->push_back(kHexDigits[c & 0xF]);
    }
    run = ++i;
  }
  flush();
  out->push_back('"');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Level& level = stack_.back();
  RM_DCHECK(level.scope == Scope::kArray) << "a value inside an object needs a Key() first";
  if (!level.empty) out_->push_back(',');
  level.empty = false;
}

void JsonWriter::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  stack_.push_back({Scope::kObject, true});
}

void JsonWriter::EndObject() {
  RM_DCHECK(!stack_.empty() && stack_.back().scope == Scope::kObject && !after_key_)
      << "unbalanced EndObject";
  stack_.pop_back();
  out_->push_back('}');
}

void JsonWriter::BeginArray() {
  BeforeValue();
  out_->push_back('[');
  stack_.push_back({Scope::kArray, true});
}

void JsonWriter::EndArray() {
  RM_DCHECK(!stack_.empty() && stack_.back().scope == Scope::kArray) << "unbalanced EndArray";
  stack_.pop_back();
  out_->push_back(']');
}

void JsonWriter::Key(std::string_view key) {
  RM_DCHECK(!stack_.empty() && stack_.back().scope == Scope::kObject && !after_key_)
      << "Key() outside an object or twice in a row";
  Level& level = stack_.back();
  if (!level.empty) out_->push_back(',');
  level.empty = false;
  AppendJsonString(out_, key);
  out_->push_back(':');
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
}

void JsonWriter::Int(int64_t value) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out_->append(buf, r.ptr);
}

void JsonWriter::Uint(uint64_t value) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out_->append(buf, r.ptr);
}

void JsonWriter::Double(double value, int precision) {
  if (!std::isfinite(value)) {
    Null();
    return;
  }
  BeforeValue();
  if (precision < 0) precision = 0;
  if (precision > 17) precision = 17;
  char buf[400];  // the largest double has 309 integer digits
  auto r = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed, precision);
  if (r.ec != std::errc()) {
    r = std::to_chars(buf, buf + sizeof(buf), value);  // shortest form; cannot fail in 400 bytes
  }
  out_->append(buf, r.ptr);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_->append(value ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  out_->append("null");
}

}  // namespace rollmatch
