#include "ingest/jsonl_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace rollmatch {
namespace {

namespace od = simdjson::ondemand;

std::string_view TrimJsonSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size() || !IsDigit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !IsDigit(s[i])) return false;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !IsDigit(s[i])) return false;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  return i == s.size();
}

// On Demand checks only what is read: reads all of `v` so that malformed
// JSON anywhere in the line is found. `depth` is v's nesting level.
simdjson::error_code ValidateValue(od::value v, int depth) {
  od::json_type type;
  SIMDJSON_TRY(v.type().get(type));
  switch (type) {
    case od::json_type::object: {
      if (depth >= kMaxJsonDepth) return simdjson::DEPTH_ERROR;
      od::object object;
      SIMDJSON_TRY(v.get_object().get(object));
      for (auto member : object) {
        od::field field;
        SIMDJSON_TRY(std::move(member).get(field));
        std::string_view key;
        SIMDJSON_TRY(field.unescaped_key().get(key));
        SIMDJSON_TRY(ValidateValue(field.value(), depth + 1));
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      if (depth >= kMaxJsonDepth) return simdjson::DEPTH_ERROR;
      od::array array;
      SIMDJSON_TRY(v.get_array().get(array));
      for (auto element : array) {
        od::value e;
        SIMDJSON_TRY(std::move(element).get(e));
        SIMDJSON_TRY(ValidateValue(e, depth + 1));
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      return v.get_string().get(s);
    }
    case od::json_type::number: {
      const std::string_view token = v.raw_json_token();
      return IsJsonNumber(TrimJsonSpace(token)) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    }
    case od::json_type::boolean: {
      bool b;
      return v.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      SIMDJSON_TRY(v.is_null().get(is_null));
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

// Reads JSON Lines rows into a FeedBuilder.
class JsonlRowParser {
 public:
  explicit JsonlRowParser(const std::vector<FieldSpec>& specs)
      : specs_(specs), values_(specs.size()), not_text_(specs.size()), seen_(specs.size()) {}

  // Parses one line of UTF-8 text. On success the values are in values();
  // otherwise returns the reject reason.
  bool Parse(std::string_view text, std::string* reason);
  const std::vector<std::string_view>& values() const { return values_; }

 private:
  // The field named `key`, or -1. Lines of a file usually list their keys in
  // the same order: the field found at `position` last time is tried first.
  int FieldIndex(std::string_view key, size_t position) {
    if (position < guess_.size()) {
      const int g = guess_[position];
      if (g >= 0 && specs_[static_cast<size_t>(g)].name == key) return g;
    } else {
      guess_.resize(position + 1, -1);
    }
    int found = -1;
    for (size_t f = 0; f < specs_.size(); ++f) {
      if (specs_[f].name == key) {
        found = static_cast<int>(f);
        break;
      }
    }
    if (found >= 0) guess_[position] = found;
    return found;
  }
  simdjson::error_code ReadObject(od::document& doc, bool* not_object);
  // Reads the value of a feed field into values_[f].
  simdjson::error_code ReadField(od::value v, size_t f);

  const std::vector<FieldSpec>& specs_;
  od::parser parser_;
  std::string padded_;  // the line followed by SIMDJSON_PADDING bytes
  std::vector<std::string_view> values_;
  std::vector<char> not_text_;  // values_[f] came from an object or array
  std::vector<char> seen_;      // field f was named in this line's object
  int repeated_ = -1;           // the first field named twice in this line's object, or -1
  std::vector<int> guess_;      // by key position: the field found there last time
};

simdjson::error_code JsonlRowParser::ReadField(od::value v, size_t f) {
  od::json_type type;
  SIMDJSON_TRY(v.type().get(type));
  not_text_[f] = 0;
  switch (type) {
    case od::json_type::string:
      return v.get_string().get(values_[f]);
    case od::json_type::number: {
      const std::string_view token = TrimJsonSpace(v.raw_json_token());
      if (!IsJsonNumber(token)) return simdjson::NUMBER_ERROR;
      values_[f] = token;
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b = false;
      SIMDJSON_TRY(v.get_bool().get(b));
      values_[f] = b ? "true" : "false";
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      SIMDJSON_TRY(v.is_null().get(is_null));
      values_[f] = std::string_view();
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    case od::json_type::object:
    case od::json_type::array:
      not_text_[f] = 1;
      values_[f] = std::string_view();
      return ValidateValue(v, 1);
  }
  return simdjson::TAPE_ERROR;
}

simdjson::error_code JsonlRowParser::ReadObject(od::document& doc, bool* not_object) {
  od::object object;
  simdjson::error_code err = doc.get_object().get(object);
  if (err == simdjson::INCORRECT_TYPE) *not_object = true;
  if (err) return err;
  size_t position = 0;
  for (auto member : object) {
    od::field field;
    SIMDJSON_TRY(std::move(member).get(field));
    std::string_view key;
    SIMDJSON_TRY(field.unescaped_key().get(key));
    const int f = FieldIndex(key, position++);
    if (f >= 0 && seen_[static_cast<size_t>(f)] && repeated_ < 0) repeated_ = f;
    if (f >= 0) seen_[static_cast<size_t>(f)] = 1;
    if (f < 0) {
      SIMDJSON_TRY(ValidateValue(field.value(), 1));
    } else {
      SIMDJSON_TRY(ReadField(field.value(), static_cast<size_t>(f)));
    }
  }
  // After the object, only the end of the document may follow.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return simdjson::TRAILING_CONTENT;
  return simdjson::SUCCESS;
}

bool JsonlRowParser::Parse(std::string_view text, std::string* reason) {
  for (auto& v : values_) v = std::string_view();
  std::fill(not_text_.begin(), not_text_.end(), 0);
  std::fill(seen_.begin(), seen_.end(), 0);
  repeated_ = -1;
  padded_.resize(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(padded_.data(), text.data(), text.size());
  std::memset(padded_.data() + text.size(), ' ', simdjson::SIMDJSON_PADDING);

  bool not_object = false;
  od::document doc;
  simdjson::error_code err = parser_.iterate(padded_.data(), text.size(), padded_.size()).get(doc);
  if (!err) err = ReadObject(doc, &not_object);
  if (err) {
    if (not_object) {
      *reason = "not a JSON object";
    } else if (err == simdjson::DEPTH_ERROR) {
      *reason = "broken JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    } else {
      *reason = std::string("broken JSON: ") + simdjson::error_message(err);
    }
    return false;
  }
  if (repeated_ >= 0) {
    // Which of two values is meant cannot be known: no silent choice (issue 7).
    *reason = "key " + std::string(specs_[static_cast<size_t>(repeated_)].name) + " appears twice";
    return false;
  }
  for (size_t f = 0; f < specs_.size(); ++f) {
    if (not_text_[f]) {
      *reason = "field " + std::string(specs_[f].name) + " is not a text value";
      return false;
    }
    if (values_[f].find('\0') != std::string_view::npos) {
      *reason = "field " + std::string(specs_[f].name) + " holds a NUL character";
      return false;
    }
  }
  return true;
}

bool IsBlankLine(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// ReadJsonl into a FeedBuilder or a RowBatch.
template <typename Sink>
Status ReadJsonlInto(const FileText& file, Sink* out, uint64_t first_line, uint64_t* next_line) {
  JsonlRowParser parser(out->fields());
  std::string decoded;
  std::string reason;
  const char* d = file.text.data();
  const size_t size = file.text.size();
  size_t pos = 0;
  uint64_t line = first_line;
  while (pos < size) {
    // The line: up to the first LF or CR.
    const void* lf = std::memchr(d + pos, '\n', size - pos);
    size_t end = lf == nullptr ? size : static_cast<size_t>(static_cast<const char*>(lf) - d);
    if (const void* cr = std::memchr(d + pos, '\r', end - pos))
      end = static_cast<size_t>(static_cast<const char*>(cr) - d);
    const std::string_view raw(d + pos, end - pos);
    const uint64_t this_line = line;
    pos = end;
    if (pos < size) {
      if (d[pos] == '\r' && pos + 1 < size && d[pos + 1] == '\n') ++pos;
      ++pos;
      ++line;
    }
    if (IsBlankLine(raw)) continue;

    std::string_view text;
    if (const char* bad = DecodeRow(file, raw, &decoded, &text)) {
      out->RejectRow(this_line, bad, DisplayRow(file, raw));
      continue;
    }
    if (const char* bom = InnerBom(file, text)) {
      out->RejectRow(this_line, bom, text);
      continue;
    }
    if (!parser.Parse(text, &reason)) {
      out->RejectRow(this_line, std::move(reason), text);
      continue;
    }
    out->AddRow(parser.values(), this_line, text);
  }
  if (next_line != nullptr) *next_line = line;
  return Status::Ok();
}

}  // namespace

Status ReadJsonl(const FileText& file, FeedBuilder* out, uint64_t first_line, uint64_t* next_line) {
  return ReadJsonlInto(file, out, first_line, next_line);
}

Status ReadJsonl(const FileText& file, RowBatch* out, uint64_t first_line, uint64_t* next_line) {
  return ReadJsonlInto(file, out, first_line, next_line);
}

}  // namespace rollmatch
