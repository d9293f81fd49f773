#include "engine/report/xlsx_report.h"

#include <tbb/parallel_for.h>

#include <xlsxwriter.h>

#include <time.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <system_error>

#include "engine/core/check.h"
#include "engine/core/writeback.h"
#include "engine/report/json_writer.h"
#include "engine/report/region_names.h"

// libxlsxwriter's workbook_close() dates docProps/core.xml with gmtime(),
// whose result lives in one static buffer of the C library: two workbooks
// closing at once in parallel tasks race on it (found by ThreadSanitizer,
// issue 7). Serializing the closes serialized the workbooks' compression
// too, most of their cost. Instead this gmtime() replaces the C library's in
// the process (an executable's definition comes first in symbol lookup, and
// libxlsxwriter calls it through its PLT): the same answer, kept in a
// buffer per thread, as POSIX allows. xlsx_report_test checks that it is
// the one found.
extern "C" struct tm* gmtime(const time_t* timer) noexcept {
  static thread_local struct tm result;
  return gmtime_r(timer, &result);
}

namespace rollmatch {

namespace {

// Excel's limits.
constexpr size_t kMaxCellChars = 32767;
constexpr lxw_row_t kMaxRows = 1048576;

// Column widths (in characters) in TownshipCsvColumns() order.
constexpr std::array<double, 19> kWidths = {
    6,   // 类别
    19,  // 问题代码
    14,  // 问题
    13,  // 选区
    14,  // 村/社区
    9,   // 姓名
    21,  // 身份证号
    11,  // 出生日期
    5,   // 性别
    22,  // 登记记录
    30,  // 匹配记录
    48,  // 说明
    16,  // 建议操作
    7,   // 置信度
    7,   // 需核实
    8,   // 审核状态
    18,  // 标识
    14,  // 处理意见（确认/驳回）
    30,  // 备注
};
constexpr lxw_col_t kConfidenceColumn = 13;
constexpr lxw_col_t kReviewFlagColumn = 14;
constexpr lxw_col_t kDecisionColumn = 17;
constexpr lxw_col_t kNoteColumn = 18;

int CategoryIndex(FlagCode code) {
  const std::string_view c = FlagCategory(code);
  return c == "wrong" ? 0 : c == "duplicate" ? 1 : 2;
}

// Text a worksheet can hold: valid UTF-8, no XML-invalid control
// characters, at most Excel's 32,767 characters per cell.
std::string CellText(std::string_view text) {
  std::string valid;
  AppendValidUtf8(&valid, text);
  std::string out;
  out.reserve(valid.size());
  size_t chars = 0;
  for (size_t i = 0; i < valid.size();) {
    const unsigned char c = static_cast<unsigned char>(valid[i]);
    const int n = c < 0x80 ? 1 : Utf8SequenceLength(std::string_view(valid).substr(i));
    if (c < 0x20 && c != '\t' && c != '\n') {
      out.push_back(' ');
    } else {
      out.append(valid, i, n);
    }
    i += n;
    if (++chars == kMaxCellChars) break;
  }
  return out;
}

// `text` as a C string a worksheet can hold (CellText), without a copy when
// it already is one: `scratch` holds the copy otherwise.
const char* CellCString(const std::string& text, std::string* scratch) {
  bool clean = text.size() <= kMaxCellChars;
  for (size_t i = 0; clean && i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      clean = c >= 0x20 || c == '\t' || c == '\n';
      ++i;
    } else {
      const int n = Utf8LengthAt(text, i);
      clean = n > 0;
      i += static_cast<size_t>(n);
    }
  }
  if (clean) return text.c_str();
  *scratch = CellText(text);
  return scratch->c_str();
}

Status XlsxError(const std::string& path, lxw_error err) {
  return Status::IoError("cannot write " + path + ": " + lxw_strerror(err));
}

// Owns the workbook until closed. The file is written only by Close(); a
// workbook abandoned on an error is freed without writing it.
class Workbook {
 public:
  explicit Workbook(lxw_workbook* wb) : wb_(wb) {}
  ~Workbook() {
    if (wb_ != nullptr) lxw_workbook_free(wb_);
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;
  lxw_workbook* get() const { return wb_; }
  // Workbooks of parallel tasks close at the same time: see gmtime() above.
  lxw_error Close() {
    lxw_workbook* wb = wb_;
    wb_ = nullptr;
    return workbook_close(wb);
  }

 private:
  lxw_workbook* wb_;
};

}  // namespace

Status WriteTownshipXlsx(const std::string& path, const std::string& township, const Dataset& data,
                         const std::vector<const Flag*>& flags, const ReportOptions& options) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(flags.size());
  for (const Flag* f : flags) rows.push_back(TownshipRowValues(data, *f, options));
  return WriteTownshipXlsxRows(path, township, flags, rows);
}

Status WriteTownshipXlsxRows(const std::string& path, const std::string& township,
                             const std::vector<const Flag*>& flags,
                             const std::vector<std::vector<std::string>>& rows) {
  RM_DCHECK(rows.size() == flags.size()) << "one row per flag";
  // Row indexes by sheet.
  std::array<std::vector<size_t>, 3> by_category;
  for (size_t i = 0; i < flags.size(); ++i) by_category[CategoryIndex(flags[i]->code)].push_back(i);
  for (const auto& list : by_category) {
    if (list.size() + 1 > kMaxRows) return Status::LimitExceeded(path + ": more rows than a worksheet holds");
  }

  // Constant memory: each row goes to a temporary file as it is written and
  // strings are stored inline, not in a shared-string table (whose look-ups
  // took a fifth of the write stage's CPU). The rows are written in order.
  // The temporary files (unlinked at once) go beside the workbook, not to a
  // /tmp that may be a small tmpfs.
  std::string tmpdir = std::filesystem::path(path).parent_path().string();
  if (tmpdir.empty()) tmpdir = ".";
  lxw_workbook_options wb_options = {};
  wb_options.constant_memory = LXW_TRUE;
  wb_options.tmpdir = tmpdir.data();
  wb_options.use_zip64 = LXW_FALSE;
  Workbook wb(workbook_new_opt(path.c_str(), &wb_options));
  if (wb.get() == nullptr) return Status::IoError("cannot create " + path);

  const std::string title = RegionNames::Get().Label(township) + " 选民登记核查问题清单";
  lxw_doc_properties props = {};
  props.title = const_cast<char*>(title.c_str());
  props.subject = const_cast<char*>("选民登记核查");
  props.author = const_cast<char*>("rollmatch");
  props.comments =
      const_cast<char*>("在“处理意见”列填写 确认 或 驳回，可在“备注”列说明；请勿修改“标识”和“身份证号”列。");
  lxw_error err = workbook_set_properties(wb.get(), &props);
  if (err == LXW_NO_ERROR)
    err = workbook_set_custom_property_string(wb.get(), kXlsxTownshipProperty, township.c_str());
  if (err != LXW_NO_ERROR) return XlsxError(path, err);

  lxw_format* header = workbook_add_format(wb.get());
  format_set_bold(header);
  format_set_bg_color(header, 0xDDE6F0);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_text_wrap(header);
  format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* decision_header = workbook_add_format(wb.get());
  format_set_bold(decision_header);
  format_set_bg_color(decision_header, 0xFFF2CC);
  format_set_border(decision_header, LXW_BORDER_THIN);
  format_set_text_wrap(decision_header);
  format_set_align(decision_header, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* text = workbook_add_format(wb.get());
  format_set_num_format(text, "@");
  format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* wrap = workbook_add_format(wb.get());
  format_set_num_format(wrap, "@");
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* decision = workbook_add_format(wb.get());
  format_set_num_format(decision, "@");
  format_set_bg_color(decision, 0xFFFBEA);
  format_set_align(decision, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* number = workbook_add_format(wb.get());
  format_set_num_format(number, "0.000");
  format_set_align(number, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* warn = workbook_add_format(wb.get());
  format_set_num_format(warn, "@");
  format_set_bold(warn);
  format_set_font_color(warn, 0xC00000);
  format_set_align(warn, LXW_ALIGN_VERTICAL_TOP);

  const auto& columns = TownshipCsvColumns();
  const lxw_col_t last_col = static_cast<lxw_col_t>(columns.size() - 1);
  for (int c = 0; c < 3; ++c) {
    lxw_worksheet* ws = workbook_add_worksheet(wb.get(), kXlsxSheetNames[c]);
    if (ws == nullptr) return Status::IoError("cannot write " + path + ": cannot add a worksheet");
    for (lxw_col_t col = 0; col <= last_col; ++col) {
      lxw_format* f = col == 9 || col == 10 || col == 11 || col == kNoteColumn ? wrap
                      : col == kDecisionColumn                                 ? decision
                      : col == kConfidenceColumn                               ? number
                                                                               : text;
      err = worksheet_set_column(ws, col, col, kWidths[col], f);
      if (err != LXW_NO_ERROR) return XlsxError(path, err);
    }
    worksheet_set_row(ws, 0, 30, nullptr);
    for (lxw_col_t col = 0; col <= last_col; ++col) {
      err = worksheet_write_string(ws, 0, col, std::string(columns[col]).c_str(),
                                   col >= kDecisionColumn ? decision_header : header);
      if (err != LXW_NO_ERROR) return XlsxError(path, err);
    }
    const auto& list = by_category[c];
    lxw_row_t row = 1;
    std::string scratch;
    for (size_t i : list) {
      const Flag* f = flags[i];
      const std::vector<std::string>& cells = rows[i];
      for (lxw_col_t col = 0; col <= last_col && col < cells.size(); ++col) {
        if (col == kDecisionColumn || col == kNoteColumn) continue;  // for the staff
        if (col == kConfidenceColumn) {
          // Rounded as in flags.jsonl and flags.csv (3 decimals).
          err = worksheet_write_number(ws, row, col, std::round(f->confidence * 1000.0) / 1000.0, number);
        } else if (cells[col].empty()) {
          continue;
        } else {
          lxw_format* fmt = col == kReviewFlagColumn               ? warn
                            : (col == 9 || col == 10 || col == 11) ? wrap
                                                                   : text;
          err = worksheet_write_string(ws, row, col, CellCString(cells[col], &scratch), fmt);
        }
        if (err != LXW_NO_ERROR) return XlsxError(path, err);
      }
      ++row;
    }
    const lxw_row_t last_row = list.empty() ? 1 : static_cast<lxw_row_t>(list.size());
    worksheet_freeze_panes(ws, 1, 0);
    err = worksheet_autofilter(ws, 0, 0, last_row, last_col);
    if (err != LXW_NO_ERROR) return XlsxError(path, err);

    // 处理意见: a drop-down of the two words (the importer also accepts
    // 已确认 / 已驳回 and the English words).
    const char* words[] = {"确认", "驳回", nullptr};
    lxw_data_validation dv = {};
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = const_cast<char**>(words);
    dv.ignore_blank = LXW_VALIDATION_ON;
    dv.show_input = LXW_VALIDATION_ON;
    dv.input_title = const_cast<char*>("处理意见");
    dv.input_message = const_cast<char*>("确认：问题属实，将按建议处理；驳回：误报。");
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    dv.error_title = const_cast<char*>("处理意见");
    dv.error_message = const_cast<char*>("请填写“确认”或“驳回”。");
    err = worksheet_data_validation_range(ws, 1, kDecisionColumn, last_row, kDecisionColumn, &dv);
    if (err != LXW_NO_ERROR) return XlsxError(path, err);

    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);  // A4
    worksheet_repeat_rows(ws, 0, 0);
    worksheet_fit_to_pages(ws, 1, 0);
    const std::string page_header =
        "&L" + RegionNames::Get().Label(township) + " " + kXlsxSheetNames[c] + "&R第 &P 页 / 共 &N 页";
    err = worksheet_set_header(ws, page_header.c_str());
    if (err != LXW_NO_ERROR) return XlsxError(path, err);
  }
  err = wb.Close();
  if (err != LXW_NO_ERROR) return XlsxError(path, err);
  StartWritebackOf(path);  // engine/core/writeback.h
  return Status::Ok();
}

Status WriteTownshipXlsxs(const std::string& out_dir, const Dataset& data, const std::vector<Flag>& flags,
                          const ReportOptions& options) {
  const std::filesystem::path root = std::filesystem::path(out_dir) / "townships";
  const auto by_township = FlagsByTownship(data, flags);
  std::vector<const std::pair<const std::string, std::vector<const Flag*>>*> items;
  for (const auto& entry : by_township) items.push_back(&entry);
  std::vector<Status> status(items.size());
  // One workbook per township, written in parallel (each its own libxlsxwriter workbook).
  tbb::parallel_for(size_t{0}, items.size(), [&](size_t i) {
    const std::filesystem::path dir = root / items[i]->first;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      status[i] = Status::IoError("cannot create " + dir.string() + ": " + ec.message());
      return;
    }
    status[i] = WriteTownshipXlsx((dir / "flags.xlsx").string(), items[i]->first, data, items[i]->second, options);
  });
  for (const Status& s : status) RM_RETURN_IF_ERROR(s);
  return Status::Ok();
}

}  // namespace rollmatch
