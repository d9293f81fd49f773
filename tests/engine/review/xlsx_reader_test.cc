#include "engine/review/xlsx_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>

#include "engine/report/writers.h"
#include "engine/report/xlsx_report.h"
#include "engine/review/zip_reader.h"

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "rm_review_test_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void AddRow(Dataset& data, Feed feed, std::vector<std::string_view> values) {
  FeedTable& t = data.tables[FeedIndex(feed)];
  values.resize(t.num_fields());
  t.AddRow(values, SourcePos{0, t.num_rows() + 2});
}

// Record ids only (the township row needs no parsed record).
Dataset MakeDataset() {
  Dataset d;
  d.present.fill(true);
  AddRow(d, Feed::kHukou, {"H001", "", "张伟"});
  AddRow(d, Feed::kRoll, {"R0001", "", "张玮"});
  AddRow(d, Feed::kRoll, {"R0002", "", "张伟"});
  return d;
}

std::vector<Flag> MakeFlags() {
  std::vector<Flag> flags(3);
  flags[0].code = FlagCode::kWrongDetails;
  flags[0].subject = {Feed::kRoll, 0};
  flags[0].records = {{Feed::kRoll, 0}, {Feed::kHukou, 0}};
  flags[0].summary = {"320481198005121014", "张伟", "1980-05-12", "男"};
  flags[0].confidence = 0.8765;
  flags[0].evidence.words = "=HYPERLINK(\"http://x\") 姓名：登记为“张玮”，应为“张伟”\x01";
  flags[0].flag_id = "00000000000000d1";
  flags[1].code = FlagCode::kDuplicate;
  flags[1].subject = {Feed::kRoll, 0};
  flags[1].records = {{Feed::kRoll, 0}, {Feed::kRoll, 1}};
  flags[1].keep = RecordRef{Feed::kRoll, 0};
  flags[1].summary = {"32048119800512101X", "张伟", "1980-05-12", "男"};
  flags[1].flag_id = "00000000000000d2";
  flags[1].review = "confirmed";
  flags[2].code = FlagCode::kMissingEligible;
  flags[2].subject = {Feed::kHukou, 0};
  flags[2].records = {{Feed::kHukou, 0}};
  flags[2].summary = {"000481198005121014", "张伟", "1980-05-12", "男"};
  flags[2].flag_id = "00000000000000d3";
  for (Flag& f : flags) {
    f.township = "320481101";
    f.townships = {"320481101"};
    f.village = "320481101001";
  }
  return flags;
}

TEST(XlsxColumnName, Letters) {
  EXPECT_EQ(XlsxColumnName(0), "A");
  EXPECT_EQ(XlsxColumnName(6), "G");
  EXPECT_EQ(XlsxColumnName(25), "Z");
  EXPECT_EQ(XlsxColumnName(26), "AA");
  EXPECT_EQ(XlsxColumnName(16383), "XFD");
}

TEST(ReadXlsx, ReadsBackWhatTheTownshipWriterWrote) {
  TempDir dir;
  const Dataset data = MakeDataset();
  const std::vector<Flag> flags = MakeFlags();
  std::vector<const Flag*> list;
  for (const Flag& f : flags) list.push_back(&f);
  const std::string path = (dir.path() / "flags.xlsx").string();
  ASSERT_TRUE(WriteTownshipXlsx(path, "320481101", data, list, ReportOptions()).ok());

  auto book = ReadXlsx(path);
  ASSERT_TRUE(book.ok()) << book.status().message();
  ASSERT_EQ(book->sheets.size(), 3u);
  EXPECT_EQ(book->sheets[0].name, "错登");
  EXPECT_EQ(book->sheets[1].name, "重登");
  EXPECT_EQ(book->sheets[2].name, "漏登");
  EXPECT_EQ(book->custom_properties["rollmatch_township"], "320481101");

  const auto& columns = TownshipCsvColumns();
  for (const XlsxSheet& sheet : book->sheets) {
    ASSERT_FALSE(sheet.rows.empty());
    EXPECT_EQ(sheet.rows[0].number, 1u);
    ASSERT_EQ(sheet.rows[0].cells.size(), columns.size()) << sheet.name;
    for (size_t i = 0; i < columns.size(); ++i) EXPECT_EQ(sheet.rows[0].cells[i], columns[i]);
    ASSERT_EQ(sheet.rows.size(), 2u) << sheet.name;
  }
  const XlsxRow& wrong = book->sheets[0].rows[1];
  EXPECT_EQ(wrong.number, 2u);
  const std::vector<std::string> values = TownshipRowValues(data, flags[0], ReportOptions());
  for (size_t i = 0; i < values.size(); ++i) {
    if (i == 13) continue;  // 置信度 is a number
    if (i == 11) continue;  // 说明: the control character becomes a space
    EXPECT_EQ(i < wrong.cells.size() ? wrong.cells[i] : "", values[i]) << columns[i];
  }
  EXPECT_EQ(wrong.cells[13], "0.877");
  EXPECT_EQ(wrong.cells[11].rfind("=HYPERLINK", 0), 0u) << "stored as text, not as a formula";
  EXPECT_EQ(wrong.cells[14], "请核实");
  // IDs stay text: the X and the leading zero survive.
  EXPECT_EQ(book->sheets[1].rows[1].cells[6], "32048119800512101X");
  EXPECT_EQ(book->sheets[2].rows[1].cells[6], "000481198005121014");
  EXPECT_EQ(book->sheets[1].rows[1].cells[15], "已确认");
}

TEST(ReadXlsx, TheSheetXmlHasAFrozenHeaderAutofilterAndTextIds) {
  TempDir dir;
  const Dataset data = MakeDataset();
  const std::vector<Flag> flags = MakeFlags();
  std::vector<const Flag*> list = {&flags[0]};
  const std::string path = (dir.path() / "flags.xlsx").string();
  ASSERT_TRUE(WriteTownshipXlsx(path, "320481101", data, list, ReportOptions()).ok());
  auto zip = ZipReader::Open(path);
  ASSERT_TRUE(zip.ok());
  auto sheet = (*zip)->Read("xl/worksheets/sheet1.xml");
  ASSERT_TRUE(sheet.ok());
  EXPECT_NE(sheet->find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(sheet->find("<autoFilter ref=\"A1:S2\"/>"), std::string::npos);
  // The ID number a text cell (inline: the workbook is written in constant-memory mode).
  const size_t g2 = sheet->find("<c r=\"G2\" s=\"");
  ASSERT_NE(g2, std::string::npos);
  const std::string cell = "\" t=\"inlineStr\"><is><t>320481198005121014</t></is></c>";
  EXPECT_EQ(sheet->substr(sheet->find('"', g2 + 13), cell.size()), cell);
  EXPECT_NE(sheet->find("paperSize=\"9\""), std::string::npos);
  EXPECT_NE(sheet->find("<formula1>\"确认,驳回\"</formula1>"), std::string::npos);
}

// Excel and WPS save strings in a shared-string table (the township writer
// stores them inline): a workbook written that way reads the same.
TEST(ReadXlsx, ReadsSharedStringsAsExcelSavesThem) {
  TempDir dir;
  const std::string path = (dir.path() / "saved.xlsx").string();
  lxw_workbook* wb = workbook_new(path.c_str());  // default mode: shared strings
  ASSERT_NE(wb, nullptr);
  ASSERT_EQ(workbook_set_custom_property_string(wb, "rollmatch_township", "320481101"), LXW_NO_ERROR);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "错登");
  ASSERT_NE(ws, nullptr);
  worksheet_write_string(ws, 0, 0, "标识", nullptr);
  worksheet_write_string(ws, 0, 1, "身份证号", nullptr);
  worksheet_write_string(ws, 0, 2, "处理意见", nullptr);
  worksheet_write_string(ws, 1, 0, "00000000000000d1", nullptr);
  worksheet_write_string(ws, 1, 1, "32048119800512101X", nullptr);
  worksheet_write_string(ws, 1, 2, "确认", nullptr);
  worksheet_write_string(ws, 2, 0, "00000000000000d2", nullptr);
  worksheet_write_string(ws, 2, 2, "确认", nullptr);  // the same string: one shared entry
  worksheet_write_number(ws, 2, 1, 0.5, nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto zip = ZipReader::Open(path);
  ASSERT_TRUE(zip.ok());
  auto sheet = (*zip)->Read("xl/worksheets/sheet1.xml");
  ASSERT_TRUE(sheet.ok());
  ASSERT_NE(sheet->find("t=\"s\""), std::string::npos) << "the test needs a shared-string workbook";

  auto book = ReadXlsx(path);
  ASSERT_TRUE(book.ok()) << book.status().message();
  ASSERT_EQ(book->sheets.size(), 1u);
  EXPECT_EQ(book->sheets[0].name, "错登");
  EXPECT_EQ(book->custom_properties["rollmatch_township"], "320481101");
  const auto& rows = book->sheets[0].rows;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"标识", "身份证号", "处理意见"}));
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"00000000000000d1", "32048119800512101X", "确认"}));
  EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"00000000000000d2", "0.5", "确认"}));
}

TEST(ReadXlsx, RefusesWhatIsNoWorkbook) {
  TempDir dir;
  EXPECT_EQ(ReadXlsx((dir.path() / "missing.xlsx").string()).status().code(), Status::Code::kNotFound);
  const fs::path text = dir.path() / "text.xlsx";
  std::ofstream(text) << "record_id,name\n";
  auto r = ReadXlsx(text.string());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(r.status().message().find("text.xlsx"), std::string::npos);
}

}  // namespace
}  // namespace rollmatch
