#pragma once
// A small streaming JSON writer: appends compact JSON to a std::string,
// placing commas and colons itself. Strings are always emitted as valid
// JSON whatever bytes they hold: `"`, `\` and control characters are
// escaped, valid UTF-8 is passed through, and each byte that is not part of
// a valid UTF-8 sequence becomes U+FFFD.
//
//   std::string out;
//   JsonWriter w(&out);
//   w.BeginObject();
//   w.Key("code");        w.String("DUPLICATE");
//   w.Key("confidence");  w.Double(0.9981, 3);  // 0.998
//   w.EndObject();        // {"code":"DUPLICATE","confidence":0.998}
//
// Thread safety: none; one writer per string.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rollmatch {

class JsonWriter {
 public:
  // `out` is appended to, never cleared; it must outlive the writer.
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // REQUIRES: inside an object, and the previous key has its value.
  void Key(std::string_view key);

  void String(std::string_view value);
  void Int(int64_t value);
  void Uint(uint64_t value);
  // Fixed notation with `precision` digits after the point ("0.998" for
  // precision 3), independent of the locale. NaN and infinities have no
  // JSON form and are written as null.
  void Double(double value, int precision = 6);
  void Bool(bool value);
  void Null();

  // Shorthands for Key(key) followed by the value.
  void KeyString(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void KeyInt(std::string_view key, int64_t value) {
    Key(key);
    Int(value);
  }
  void KeyUint(std::string_view key, uint64_t value) {
    Key(key);
    Uint(value);
  }
  void KeyDouble(std::string_view key, double value, int precision = 6) {
    Key(key);
    Double(value, precision);
  }
  void KeyBool(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }

  // True when every object and array begun has been ended.
  bool complete() const { return stack_.empty(); }
  std::string* out() { return out_; }

 private:
  enum class Scope : uint8_t { kObject, kArray };
  struct Level {
    Scope scope;
    bool empty;
  };
  // Writes the separator a value needs at the current position.
  void BeforeValue();

  std::string* out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

// Appends `bytes` as a quoted JSON string literal (see JsonWriter).
void AppendJsonString(std::string* out, std::string_view bytes);

// Appends `bytes` with every byte that is not part of a valid UTF-8
// sequence (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF, no truncated sequences) replaced by U+FFFD.
void AppendValidUtf8(std::string* out, std::string_view bytes);

// The length of the valid UTF-8 sequence starting at bytes[0], or 0 when
// bytes[0] does not start one. REQUIRES: !bytes.empty().
int Utf8SequenceLength(std::string_view bytes);

// Utf8SequenceLength(bytes.substr(i)), inline for what Chinese text is made
// of: ASCII and the 3-byte sequences of U+1000–U+CFFF and U+E000–U+FFFF
// (lead bytes E1–EC, EE, EF take any continuation bytes).
// REQUIRES: i < bytes.size().
inline int Utf8LengthAt(std::string_view bytes, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(bytes[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < bytes.size() && (b(i + 1) & 0xC0) == 0x80 &&
      (b(i + 2) & 0xC0) == 0x80) {
    return 3;
  }
  return Utf8SequenceLength(bytes.substr(i));
}

}  // namespace rollmatch
