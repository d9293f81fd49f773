#pragma once
// Reads the cell text of an XLSX workbook (Office Open XML spreadsheet, as
// written by Excel, WPS, LibreOffice or libxlsxwriter): each worksheet's
// name and rows, and the workbook's custom document properties. Only what
// review import needs: values as text (shared strings, inline strings,
// numbers and formula results exactly as stored), no styles or formulas.
// Parsed with expat; unzipped with ZipReader.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace rollmatch {

struct XlsxRow {
  uint32_t number = 0;             // 1-based row number as Excel shows it
  std::vector<std::string> cells;  // by column (A = 0); missing cells are ""
};

struct XlsxSheet {
  std::string name;
  bool hidden = false;
  std::vector<XlsxRow> rows;  // rows holding at least one cell, in order
};

struct XlsxWorkbook {
  std::vector<XlsxSheet> sheets;                         // in workbook order
  std::map<std::string, std::string> custom_properties;  // docProps/custom.xml, text values
};

// Errors name the file: NotFound, Corrupt (not a ZIP, a missing or
// malformed part).
Result<XlsxWorkbook> ReadXlsx(const std::string& path);

// "A", "B", ..., "Z", "AA": the letters of a 0-based column index.
std::string XlsxColumnName(size_t column);

}  // namespace rollmatch
