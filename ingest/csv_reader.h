#pragma once
// CSV (RFC 4180) feed files: the record scanner and the reader that turns
// records into feed rows.
//
// Dialect: comma-separated; a field is quoted when it starts with a double
// quote, and then may hold commas, line ends and "" (one quote). Line ends
// are LF, CRLF or a lone CR (old Mac exports), inside quoted fields too.
// Spaces between a closing quote and the next comma are ignored; any other
// text there makes the row a reject. A quote inside an unquoted field is
// kept as text. A quote that is never closed makes a reject of its record up
// to the end of the opening quote's line; the next line starts a new record.
// Blank lines (spaces and tabs only) are skipped and not counted. The first
// record is the header: columns are found by name (surrounding spaces
// ignored, case-sensitive); unknown columns are ignored.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "ingest/feed_builder.h"
#include "ingest/file_text.h"

namespace rollmatch {

// One field of a record, as byte offsets into the scanned text.
struct CsvField {
  size_t begin = 0;             // first byte of the value (inside the quotes when quoted)
  size_t end = 0;               // one past its last byte
  bool escaped_quotes = false;  // holds "" pairs to be unescaped
};

struct CsvRecord {
  size_t begin = 0;                 // first byte of the record's text
  size_t end = 0;                   // one past its last byte, line end excluded
  uint64_t line = 0;                // physical line where the record starts
  bool unterminated_quote = false;  // a quoted field is never closed (the record ends with its line)
  int text_after_quote = -1;        // first field with text after its closing quote, or -1
};

// Splits text into records without copying.
class CsvScanner {
 public:
  explicit CsvScanner(std::string_view text, uint64_t first_line = 1)
      : data_(text.data()), size_(text.size()), line_(first_line) {}

  // Reads the next record and its fields, skipping blank lines. False at the
  // end of the text.
  bool Next(CsvRecord* record, std::vector<CsvField>* fields);
  // Where the next record's scan starts, and its line there.
  size_t pos() const { return pos_; }
  uint64_t line() const { return line_; }

 private:
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
  uint64_t line_;
};

// The value of `field` of `text`: a slice of `text`, or, when it holds ""
// pairs, the unescaped value appended to *scratch.
// REQUIRES: scratch has capacity for the append (so earlier values stay valid).
std::string_view CsvFieldValue(std::string_view text, const CsvField& field, std::string* scratch);

// Reads the rows of one CSV file into *out.
// Errors: InvalidArgument "NAME:LINE: header lacks required column X",
// a column named twice, an unreadable header.
Status ReadCsv(const FileText& file, FeedBuilder* out);

// Reads one CSV file given in consecutive parts (each the text that follows
// what the previous calls consumed): the header from the first records, rows
// from all, with the same rows, rejects and errors as ReadCsv on the whole.
class CsvFeedReader {
 public:
  explicit CsvFeedReader(FeedBuilder* out) : out_(out) {}

  // Reads the records of `part`. With `last` false, stops before the first
  // record that the end of `part` may cut, or whose quote is not closed in
  // `part`: *consumed gets the bytes read, *records the records read (the
  // header included). The caller passes the rest again, with more after it.
  // With `last`, reads all. Errors as ReadCsv.
  Status Read(const FileText& part, bool last, size_t* consumed, uint64_t* records);

 private:
  FeedBuilder* out_;
  bool have_header_ = false;
  uint64_t line_ = 1;  // of the next part's start
  size_t num_columns_ = 0;
  std::vector<int> column_of_field_;
  std::vector<CsvField> fields_;
  std::string decoded_;  // the current row decoded from GB18030
  std::string scratch_;  // unescaped values of the current row
  std::vector<std::string_view> values_;
};

// The position after the first `records` records of `text` (as CsvScanner
// reads them): where CsvFeedReader stopped, in the raw bytes of a part it
// read decoded.
size_t CsvRecordsEnd(std::string_view text, uint64_t records);

}  // namespace rollmatch
