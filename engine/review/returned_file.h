#pragma once
// A township file returned by the staff with their decisions: the
// flags.xlsx or flags.csv of OUT/townships/<township>/ (any file name), as
// saved by Excel, WPS or LibreOffice. Columns are found by their headers
// (TownshipCsvColumns); other columns, and rows without 标识 or decision,
// are carried along for validation but hold no decision.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace rollmatch {

// One data row of a returned file.
struct ReturnedRow {
  std::string where;      // "320481001/flags.xlsx, sheet 错登, row 7" / "flags.csv, line 7"
  std::string flag_id;    // 标识, trimmed
  std::string id_number;  // 身份证号 as found (trimmed, leading TAB or apostrophe removed)
  std::string decision;   // 处理意见 as typed, trimmed
  std::string note;       // 备注, trimmed
  bool has_id_column = false;
  std::string id_column;        // "column G (身份证号)" for messages
  std::string decision_column;  // "column R (处理意见（确认/驳回）)"
};

struct ReturnedFile {
  std::string path;
  std::string township_property;  // XLSX: the rollmatch_township document property, if any
  std::vector<ReturnedRow> rows;
  std::vector<std::string> warnings;  // e.g. a sheet without a 标识 column, skipped
};

// Reads an .xlsx (by its content: a ZIP archive) or a CSV file (UTF-8 with
// or without BOM; GB18030 as Excel saves "CSV" on Chinese Windows). Errors
// name the file: unreadable, not a spreadsheet, no sheet with a 标识 and a
// 处理意见 column.
Result<ReturnedFile> ReadReturnedFile(const std::string& path);

// The text of a cell as the importer compares it: surrounding ASCII
// whitespace, U+3000 and NBSP removed.
std::string TrimCell(std::string_view text);

}  // namespace rollmatch
