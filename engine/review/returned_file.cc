#include "engine/review/returned_file.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "engine/report/writers.h"
#include "engine/review/xlsx_reader.h"
#include "ingest/csv_reader.h"
#include "ingest/text_decoder.h"

namespace rollmatch {

namespace {

constexpr std::string_view kFlagIdHeader = "标识";
constexpr std::string_view kIdHeader = "身份证号";
constexpr std::string_view kDecisionHeader =
    "处理意见";  // "处理意见（确认/驳回）", or shortened by the staff
constexpr std::string_view kNoteHeader = "备注";
constexpr size_t kHeaderSearchRows = 10;
constexpr size_t kMaxFileBytes = size_t{512} << 20;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Where the columns of a sheet are (-1 when absent).
struct Columns {
  long flag_id = -1, id = -1, decision = -1, note = -1;
  std::string decision_header;
};

std::optional<Columns> FindColumns(const std::vector<std::string>& header) {
  Columns c;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string h = TrimCell(header[i]);
    if (h == kFlagIdHeader && c.flag_id < 0) c.flag_id = static_cast<long>(i);
    if (h == kIdHeader && c.id < 0) c.id = static_cast<long>(i);
    if (StartsWith(h, kDecisionHeader) && c.decision < 0) {
      c.decision = static_cast<long>(i);
      c.decision_header = h;
    }
    if (h == kNoteHeader && c.note < 0) c.note = static_cast<long>(i);
  }
  if (c.flag_id < 0) return std::nullopt;
  return c;
}

std::string Cell(const std::vector<std::string>& cells, long i) {
  return i >= 0 && static_cast<size_t>(i) < cells.size() ? TrimCell(cells[i]) : std::string();
}

// The ID number as typed, without what spreadsheets add to keep it text: a
// leading apostrophe, the ="..." formula form.
std::string IdCell(const std::vector<std::string>& cells, long i) {
  std::string s = Cell(cells, i);
  if (!s.empty() && s.front() == '\'') s.erase(0, 1);
  if (s.size() >= 3 && s.compare(0, 2, "=\"") == 0 && s.back() == '"') s = s.substr(2, s.size() - 3);
  return TrimCell(s);
}

ReturnedRow MakeRow(std::string where, const std::vector<std::string>& cells, const Columns& c,
                    const std::string& id_column, const std::string& decision_column) {
  ReturnedRow r;
  r.where = std::move(where);
  r.flag_id = Cell(cells, c.flag_id);
  r.has_id_column = c.id >= 0;
  r.id_number = IdCell(cells, c.id);
  r.decision = Cell(cells, c.decision);
  r.note = Cell(cells, c.note);
  r.id_column = id_column;
  r.decision_column = decision_column;
  return r;
}

std::string ShortName(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string parent = p.parent_path().filename().string();
  return parent.empty() ? p.filename().string() : parent + "/" + p.filename().string();
}

Status MissingDecisionColumn(const std::string& path, std::string_view sheet) {
  return Status::InvalidArgument(path + (sheet.empty() ? std::string() : ", sheet " + std::string(sheet)) +
                                 ": no 处理意见（确认/驳回） column next to 标识 (was the column deleted?)");
}

Result<ReturnedFile> ReadXlsxFile(const std::string& path) {
  RM_ASSIGN_OR_RETURN(XlsxWorkbook book, ReadXlsx(path));
  ReturnedFile file;
  file.path = path;
  if (auto it = book.custom_properties.find("rollmatch_township"); it != book.custom_properties.end()) {
    file.township_property = TrimCell(it->second);
  }
  const std::string name = ShortName(path);
  bool any = false;
  for (const XlsxSheet& sheet : book.sheets) {
    std::optional<Columns> cols;
    size_t header_index = 0;
    for (size_t i = 0; i < sheet.rows.size() && i < kHeaderSearchRows && !cols; ++i) {
      cols = FindColumns(sheet.rows[i].cells);
      header_index = i;
    }
    if (!cols) {
      if (!sheet.rows.empty())
        file.warnings.push_back(path + ", sheet " + sheet.name + ": no 标识 column, skipped");
      continue;
    }
    if (cols->decision < 0) return MissingDecisionColumn(path, sheet.name);
    any = true;
    const std::string id_column =
        cols->id >= 0 ? "column " + XlsxColumnName(cols->id) + " (身份证号)" : std::string("身份证号");
    const std::string decision_column =
        "column " + XlsxColumnName(cols->decision) + " (" + cols->decision_header + ")";
    for (size_t i = header_index + 1; i < sheet.rows.size(); ++i) {
      const XlsxRow& row = sheet.rows[i];
      file.rows.push_back(MakeRow(name + ", sheet " + sheet.name + ", row " + std::to_string(row.number),
                                  row.cells, *cols, id_column, decision_column));
    }
  }
  if (!any) {
    return Status::InvalidArgument(path +
                                   ": no sheet has a 标识 column: not a township flags.xlsx of rollmatch");
  }
  return file;
}

Result<ReturnedFile> ReadCsvFile(const std::string& path, std::string bytes) {
  std::string text;
  if (StartsWith(bytes, "\xEF\xBB\xBF")) {
    text = bytes.substr(3);
  } else if (IsValidUtf8(bytes)) {
    text = std::move(bytes);
  } else {
    // Excel and WPS on Chinese Windows save "CSV" in the ANSI code page (GBK).
    std::string_view in(bytes);
    if (StartsWith(in, ByteOrderMark(TextEncoding::kGb18030))) in.remove_prefix(4);
    Gb18030Decoder decoder;
    RM_RETURN_IF_ERROR(decoder.Open());
    if (!decoder.Decode(in, &text)) {
      return Status::InvalidArgument(path + ": neither UTF-8 nor GB18030 text: not a CSV file of rollmatch");
    }
  }
  if (!IsValidUtf8(text)) return Status::InvalidArgument(path + ": not valid UTF-8 text");

  ReturnedFile file;
  file.path = path;
  const std::string name = ShortName(path);
  CsvScanner scanner(text);
  CsvRecord record;
  std::vector<CsvField> fields;
  std::optional<Columns> cols;
  std::string id_column, decision_column;
  while (scanner.Next(&record, &fields)) {
    if (record.unterminated_quote) {
      return Status::InvalidArgument(path + ", line " + std::to_string(record.line) +
                                     ": a quoted field is never closed");
    }
    std::vector<std::string> cells;
    cells.reserve(fields.size());
    for (const CsvField& f : fields) {
      std::string scratch;
      scratch.reserve(f.end - f.begin);
      cells.emplace_back(CsvFieldValue(text, f, &scratch));
    }
    if (!cols) {
      cols = FindColumns(cells);
      if (!cols) {
        return Status::InvalidArgument(
            path + ", line " + std::to_string(record.line) +
            ": the header has no 标识 column: not a township flags.csv of rollmatch");
      }
      if (cols->decision < 0) return MissingDecisionColumn(path, "");
      id_column =
          cols->id >= 0 ? "column " + std::to_string(cols->id + 1) + " (身份证号)" : std::string("身份证号");
      decision_column = "column " + std::to_string(cols->decision + 1) + " (" + cols->decision_header + ")";
      continue;
    }
    file.rows.push_back(
        MakeRow(name + ", line " + std::to_string(record.line), cells, *cols, id_column, decision_column));
  }
  if (!cols) return Status::InvalidArgument(path + ": empty file");
  return file;
}

}  // namespace

std::string TrimCell(std::string_view s) {
  auto strip_front = [&]() {
    if (s.empty()) return false;
    const unsigned char c = static_cast<unsigned char>(s.front());
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      s.remove_prefix(1);
      return true;
    }
    if (StartsWith(s, "\xE3\x80\x80")) {  // U+3000
      s.remove_prefix(3);
      return true;
    }
    if (StartsWith(s, "\xC2\xA0")) {  // NBSP
      s.remove_prefix(2);
      return true;
    }
    return false;
  };
  auto ends = [&](std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  };
  auto strip_back = [&]() {
    if (s.empty()) return false;
    const unsigned char c = static_cast<unsigned char>(s.back());
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      s.remove_suffix(1);
      return true;
    }
    if (ends("\xE3\x80\x80")) {
      s.remove_suffix(3);
      return true;
    }
    if (ends("\xC2\xA0")) {
      s.remove_suffix(2);
      return true;
    }
    return false;
  };
  while (strip_front()) {
  }
  while (strip_back()) {
  }
  return std::string(s);
}

Result<ReturnedFile> ReadReturnedFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + ": no such file");
  if (!std::filesystem::is_regular_file(path, ec))
    return Status::InvalidArgument(path + ": not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot read");
  char magic[4] = {};
  in.read(magic, 4);
  if (in.gcount() == 4 && std::string_view(magic, 4) == std::string_view("PK\x03\x04", 4)) {
    in.close();
    return ReadXlsxFile(path);
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IoError(path + ": cannot read: " + ec.message());
  if (size > kMaxFileBytes) return Status::InvalidArgument(path + ": too large for a township file");
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".xlsx" || ext == ".XLSX") {
    return Status::InvalidArgument(
        path +
        ": not an XLSX workbook (not a ZIP archive; an .xls file from an old Excel? "
        "save it as .xlsx)");
  }
  in.seekg(0);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) return Status::IoError(path + ": cannot read");
  std::string bytes = std::move(ss).str();
  if (bytes.size() >= 8 && bytes.compare(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") == 0) {
    return Status::InvalidArgument(path +
                                   ": an old Excel .xls file: save it as .xlsx (Excel 工作簿) or CSV UTF-8");
  }
  return ReadCsvFile(path, std::move(bytes));
}

}  // namespace rollmatch
