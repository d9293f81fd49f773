#include "ingest/csv_reader.h"

#include <array>
#include <cstring>

namespace rollmatch {
namespace {

// Bytes that end an unquoted field.
constexpr std::array<bool, 256> MakeDelimiterTable() {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  t[static_cast<unsigned char>('\r')] = true;
  return t;
}
constexpr std::array<bool, 256> kDelimiter = MakeDelimiterTable();

bool IsDelimiter(char c) { return kDelimiter[static_cast<unsigned char>(c)]; }

std::string_view TrimBlanksAndBom(std::string_view s) {
  s = TrimAsciiSpace(s);
  while (s.substr(0, 3) == "\xEF\xBB\xBF") s = TrimAsciiSpace(s.substr(3));
  return s;
}

}  // namespace

bool CsvScanner::Next(CsvRecord* record, std::vector<CsvField>* fields) {
  fields->clear();
  const char* d = data_;
  // Skip blank lines.
  for (;;) {
    size_t p = pos_;
    while (p < size_ && (d[p] == ' ' || d[p] == '\t')) ++p;
    if (p >= size_) {
      pos_ = size_;
      return false;
    }
    if (d[p] == '\n') {
      pos_ = p + 1;
      ++line_;
    } else if (d[p] == '\r') {
      pos_ = p + 1;
      if (pos_ < size_ && d[pos_] == '\n') ++pos_;
      ++line_;
    } else {
      break;
    }
  }
  *record = CsvRecord();
  record->begin = pos_;
  record->line = line_;
  size_t p = pos_;
  for (;;) {
    CsvField f;
    if (p < size_ && d[p] == '"') {
      ++p;
      f.begin = p;
      const uint64_t line_at_quote = line_;
      for (;;) {
        const void* q = std::memchr(d + p, '"', size_ - p);
        const size_t quote = q == nullptr ? size_ : static_cast<size_t>(static_cast<const char*>(q) - d);
        // Count the line ends inside the quoted stretch.
        for (size_t i = p; i < quote; ++i) {
          if (d[i] == '\n' || (d[i] == '\r' && (i + 1 >= size_ || d[i + 1] != '\n'))) ++line_;
        }
        if (quote >= size_) {
          // No closing quote: the record ends with the line of the opening
          // quote, and scanning goes on at the next line, so that one stray
          // quote does not swallow the rest of the file (issue 7).
          size_t eol = f.begin;
          while (eol < size_ && d[eol] != '\n' && d[eol] != '\r') ++eol;
          f.end = eol;
          fields->push_back(f);
          record->end = eol;
          record->unterminated_quote = true;
          line_ = line_at_quote;
          pos_ = eol;
          if (pos_ < size_) {
            if (d[pos_] == '\r' && pos_ + 1 < size_ && d[pos_ + 1] == '\n') ++pos_;
            ++pos_;
            ++line_;
          }
          return true;
        }
        if (quote + 1 < size_ && d[quote + 1] == '"') {
          f.escaped_quotes = true;
          p = quote + 2;
          continue;
        }
        f.end = quote;
        p = quote + 1;
        break;
      }
      while (p < size_ && (d[p] == ' ' || d[p] == '\t')) ++p;
      if (p < size_ && !IsDelimiter(d[p])) {
        if (record->text_after_quote < 0) record->text_after_quote = static_cast<int>(fields->size());
        while (p < size_ && !IsDelimiter(d[p])) ++p;
      }
    } else {
      f.begin = p;
      while (p < size_ && !IsDelimiter(d[p])) ++p;
      f.end = p;
    }
    fields->push_back(f);
    if (p >= size_) {
      record->end = size_;
      pos_ = size_;
      return true;
    }
    const char c = d[p];
    if (c == ',') {
      ++p;
      continue;
    }
    record->end = p;
    ++p;
    if (c == '\r' && p < size_ && d[p] == '\n') ++p;
    ++line_;
    pos_ = p;
    return true;
  }
}

std::string_view CsvFieldValue(std::string_view text, const CsvField& field, std::string* scratch) {
  std::string_view v = text.substr(field.begin, field.end - field.begin);
  if (!field.escaped_quotes) return v;
  const size_t start = scratch->size();
  for (size_t i = 0; i < v.size(); ++i) {
    scratch->push_back(v[i]);
    if (v[i] == '"' && i + 1 < v.size() && v[i + 1] == '"') ++i;
  }
  return std::string_view(scratch->data() + start, scratch->size() - start);
}

Status ReadCsv(const FileText& file, FeedBuilder* out) {
  CsvFeedReader reader(out);
  size_t consumed = 0;
  uint64_t records = 0;
  return reader.Read(file, /*last=*/true, &consumed, &records);
}

size_t CsvRecordsEnd(std::string_view text, uint64_t records) {
  CsvScanner scanner(text);
  CsvRecord rec;
  std::vector<CsvField> fields;
  for (uint64_t i = 0; i < records && scanner.Next(&rec, &fields); ++i) {
  }
  return scanner.pos();
}

Status CsvFeedReader::Read(const FileText& file, bool last, size_t* consumed, uint64_t* records) {
  const std::vector<FieldSpec>& specs = out_->fields();
  CsvScanner scanner(file.text, line_);
  CsvRecord rec;
  *consumed = 0;
  *records = 0;
  // A record is whole when its line end lies in this part (a quoted field or
  // the spaces after one may go on in the next part otherwise) and its
  // quotes close here (else the rest of the file decides).
  auto next = [&]() -> bool {
    const size_t pos = scanner.pos();
    const uint64_t line = scanner.line();
    if (!scanner.Next(&rec, &fields_)) {
      *consumed = file.text.size();
      line_ = scanner.line();
      return false;
    }
    if (!last && (rec.unterminated_quote || rec.end >= file.text.size())) {
      *consumed = pos;
      line_ = line;
      return false;
    }
    ++*records;
    *consumed = scanner.pos();
    line_ = scanner.line();
    return true;
  };

  if (!have_header_) {
    if (!next()) return Status::Ok();  // no header (yet): no rows
    have_header_ = true;
    // The header.
    const std::string where = std::string(file.name) + ":" + std::to_string(rec.line) + ": ";
    if (rec.unterminated_quote) return Status::InvalidArgument(where + "unbalanced quote in the header");
    std::string_view header_text;
    if (const char* reason =
            DecodeRow(file, file.text.substr(rec.begin, rec.end - rec.begin), &decoded_, &header_text)) {
      return Status::InvalidArgument(where + "header has " + reason);
    }
    std::string_view base = file.text;  // the text `fields_` point into
    if (file.check == RowCheck::kGb18030) {
      CsvScanner rescan(header_text, rec.line);
      rescan.Next(&rec, &fields_);
      base = header_text;
    }
    if (rec.text_after_quote >= 0) {
      return Status::InvalidArgument(where + "text after the closing quote of header column " +
                                     std::to_string(rec.text_after_quote + 1));
    }
    num_columns_ = fields_.size();
    column_of_field_.assign(specs.size(), -1);
    scratch_.clear();
    scratch_.reserve(header_text.size());  // unescaping never grows a value
    for (size_t c = 0; c < num_columns_; ++c) {
      const std::string_view column = TrimBlanksAndBom(CsvFieldValue(base, fields_[c], &scratch_));
      for (size_t f = 0; f < specs.size(); ++f) {
        if (specs[f].name != column) continue;
        if (column_of_field_[f] >= 0) {
          return Status::InvalidArgument(where + "header names column " + std::string(column) + " twice");
        }
        column_of_field_[f] = static_cast<int>(c);
      }
    }
    for (size_t f = 0; f < specs.size(); ++f) {
      if (specs[f].required && column_of_field_[f] < 0) {
        std::string message = where + "header lacks required column " + std::string(specs[f].name);
        if (file.gb18030_with_utf8_bom) {
          message += " (the file is declared GB18030 but starts with a UTF-8 byte-order mark)";
        }
        return Status::InvalidArgument(message);
      }
    }
  }

  // The rows.
  values_.resize(specs.size());
  while (next()) {
    const std::string_view raw = file.text.substr(rec.begin, rec.end - rec.begin);
    if (rec.unterminated_quote) {
      out_->RejectRow(rec.line, "unbalanced quote: no closing quote up to the end of the file",
                      DisplayRow(file, raw));
      continue;
    }
    std::string_view row_text;
    if (const char* reason = DecodeRow(file, raw, &decoded_, &row_text)) {
      out_->RejectRow(rec.line, reason, DisplayRow(file, raw));
      continue;
    }
    if (const char* reason = InnerBom(file, row_text)) {
      out_->RejectRow(rec.line, reason, row_text);
      continue;
    }
    std::string_view base = file.text;
    if (file.check == RowCheck::kGb18030) {
      CsvScanner rescan(row_text, rec.line);
      rescan.Next(&rec, &fields_);
      base = row_text;
    }
    if (rec.text_after_quote >= 0) {
      out_->RejectRow(rec.line,
                      "text after the closing quote of column " + std::to_string(rec.text_after_quote + 1),
                      row_text);
      continue;
    }
    if (fields_.size() != num_columns_) {
      out_->RejectRow(rec.line,
                      "wrong column count: " + std::to_string(fields_.size()) + " fields, header has " +
                          std::to_string(num_columns_),
                      row_text);
      continue;
    }
    // Unescaped values never outgrow the row: with this capacity, taken values stay valid.
    scratch_.clear();
    scratch_.reserve(row_text.size());
    for (size_t f = 0; f < specs.size(); ++f) {
      if (column_of_field_[f] < 0) {
        values_[f] = std::string_view();
      } else {
        values_[f] = CsvFieldValue(base, fields_[static_cast<size_t>(column_of_field_[f])], &scratch_);
      }
    }
    out_->AddRow(values_, rec.line, row_text);
  }
  return Status::Ok();
}

}  // namespace rollmatch
