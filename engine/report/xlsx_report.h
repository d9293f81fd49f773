#pragma once
// OUT/townships/<township>/flags.xlsx (libxlsxwriter): the rows of the
// township's flags.csv for Excel and WPS, one sheet per category (错登,
// 重登, 漏登; each sheet present even when empty), Chinese headers, frozen
// header row, autofilter, A4 landscape print setup. Every cell is a text
// cell except 置信度 (a number): ID numbers can never turn into 3.2E+17.
// The staff fill 处理意见（确认/驳回） (a drop-down list) and 备注 and
// return the file to `rollmatch review import`; 标识 holds the flag_id.
// The workbook's custom property `rollmatch_township` names the township.

#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/normalize/dataset.h"
#include "engine/report/writers.h"
#include "rules/flag.h"

namespace rollmatch {

// The sheet names, in order.
inline constexpr const char* kXlsxSheetNames[] = {"错登", "重登", "漏登"};
// The custom document property naming the township of a flags.xlsx.
inline constexpr const char* kXlsxTownshipProperty = "rollmatch_township";

// Writes flags.xlsx in OUT/townships/<township>/ for every township with a
// flag (the folders of WriteTownshipCsvs). IoError names the file.
Status WriteTownshipXlsxs(const std::string& out_dir, const Dataset& data, const std::vector<Flag>& flags,
                          const ReportOptions& options);

// One workbook: `flags` in report order (FlagsByTownship).
Status WriteTownshipXlsx(const std::string& path, const std::string& township, const Dataset& data,
                         const std::vector<const Flag*>& flags, const ReportOptions& options);
// The same from rows already made: rows[i] = TownshipRowValues(flags[i]).
Status WriteTownshipXlsxRows(const std::string& path, const std::string& township,
                             const std::vector<const Flag*>& flags,
                             const std::vector<std::vector<std::string>>& rows);

}  // namespace rollmatch
