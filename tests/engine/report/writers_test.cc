#include "engine/report/writers.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/feed_schema.h"

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// ---- helpers ----

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "rm_report_test_XXXXXX").string();
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

using CsvRows = std::vector<std::vector<std::string>>;

// Parses RFC 4180 text whose records end in CRLF. Fails the test on a bare
// LF or CR outside quotes.
CsvRows ParseCsv(std::string_view text) {
  CsvRows rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      EXPECT_TRUE(field.empty()) << "quote inside an unquoted field";
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR";
      ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else if (c == '\n') {
      ADD_FAILURE() << "bare LF at byte " << i;
    } else {
      field.push_back(c);
      any = true;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(row.empty() && field.empty() && !any) << "last record lacks CRLF";
  return rows;
}

// Reads a CSV file that must start with a UTF-8 BOM.
CsvRows ReadCsvWithBom(const fs::path& path) {
  const std::string text = ReadFile(path);
  EXPECT_EQ(text.substr(0, 3), kBom) << path;
  return ParseCsv(std::string_view(text).substr(3));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> KeysOf(simdjson::dom::object obj) {
  std::vector<std::string> keys;
  for (auto field : obj) keys.emplace_back(field.key);
  return keys;
}

std::string Str(simdjson::dom::element e) { return std::string(std::string_view(e.get_string())); }

// ---- the test world ----

void AddRow(Dataset& data, Feed feed, std::vector<std::string_view> values) {
  FeedTable& t = data.tables[FeedIndex(feed)];
  values.resize(t.num_fields());
  t.AddRow(values, SourcePos{0, t.num_rows() + 2});
}

RecordRef Ref(Feed feed, uint32_t row) { return RecordRef{feed, row}; }

// Feeds: hukou H001 张伟 (row 0), H002 李娜 (1), "0042" 王芳 (2);
// roll R0001 (0), R0002 (1), " R 0003" (2, odd spacing kept), R0004 (3);
// rights Q1 (0); districts D01, D07.
Dataset MakeDataset() {
  Dataset d;
  d.present.fill(true);
  AddRow(d, Feed::kHukou,
         {"H001", "320481198005121014", "张伟", "", "男", "1980-05-12", "汉", "HH1", "320481101001", "",
          "normal", ""});
  AddRow(d, Feed::kHukou,
         {"H002", "320481197001011025", "李娜", "", "女", "1970-01-01", "汉", "HH2", "320481101002", "",
          "normal", ""});
  AddRow(d, Feed::kHukou,
         {"0042", "320481200601010021", "王芳", "", "女", "2006-01-01", "汉", "HH3", "320481102003", "",
          "normal", ""});
  AddRow(d, Feed::kRoll,
         {"R0001", "320481198005121015", "张玮", "男", "1980-05-12", "D01", "320481101001", "hukou",
          "2021-03-01"});
  AddRow(d, Feed::kRoll,
         {"R0002", "320481198005121014", "张伟", "男", "1980-05-12", "D07", "320481104001", "residence",
          "2021-03-02"});
  AddRow(d, Feed::kRoll,
         {" R 0003", "320481197001011025", "李娜", "女", "1970-01-01", "D01", "320481101002", "hukou",
          "2021-03-01"});
  AddRow(d, Feed::kRoll,
         {"R0004", "320481197001011025", "李娜", "女", "1970-01-01", "D99", "320481101002", "hukou",
          "2021-03-01"});
  AddRow(d, Feed::kRights, {"Q1", "320481197001011025", "李娜", "incapacitated", "2020-01-01", ""});
  AddRow(d, Feed::kDistricts, {"D01", "一选区", "320481101", "area", "320481101001;320481101002"});
  AddRow(d, Feed::kDistricts, {"D07", "七选区", "320481104", "area", "320481104001"});
  return d;
}

PersonSummary ZhangWei() { return {"320481198005121014", "张伟", "1980-05-12", "男"}; }
PersonSummary LiNa() { return {"320481197001011025", "李娜", "1970-01-01", "女"}; }

std::vector<Flag> MakeFlags() {
  std::vector<Flag> flags;
  {
    Flag f;
    f.code = FlagCode::kWrongDetails;
    f.subject = Ref(Feed::kRoll, 0);
    f.records = {Ref(Feed::kRoll, 0), Ref(Feed::kHukou, 0)};
    f.township = "320481101";
    f.townships = {"320481101"};
    f.village = "320481101001";
    f.district = "D01";
    f.person = 7;
    f.summary = ZhangWei();
    f.confidence = 0.9981;
    f.evidence.fields = {{"name", "张玮", "张伟"}, {"id_number", "320481198005121015", "320481198005121014"}};
    f.evidence.links = {{Ref(Feed::kRoll, 0), {0.97, 12.5, Ref(Feed::kHukou, 0), "姓名同音，出生日期一致"}}};
    f.evidence.words =
        "姓名：登记为“张玮”，应为“张伟”；身份证号：登记为“320481198005121015”，应为“320481198005121014”";
    f.flag_id = "00000000000000d1";
    flags.push_back(f);
  }
  {
    Flag f;
    f.code = FlagCode::kDuplicate;
    f.subject = Ref(Feed::kRoll, 0);
    f.records = {Ref(Feed::kRoll, 0), Ref(Feed::kRoll, 1), Ref(Feed::kHukou, 0)};
    f.keep = Ref(Feed::kRoll, 0);
    f.township = "320481101";
    f.townships = {"320481101", "320481104"};
    f.village = "320481101001";
    f.district = "D01";
    f.person = 7;
    f.summary = ZhangWei();
    f.confidence = 0.95;
    f.evidence.words = "同一人登记2次：R0001（选区D01）、R0002（选区D07）；建议保留R0001";
    f.flag_id = "00000000000000d2";
    f.review = "confirmed";
    flags.push_back(f);
  }
  {
    Flag f;
    f.code = FlagCode::kWrongNoRights;
    f.subject = Ref(Feed::kRoll, 2);
    f.records = {Ref(Feed::kRoll, 2), Ref(Feed::kHukou, 1), Ref(Feed::kRights, 0)};
    f.township = "320481101";
    f.townships = {"320481101"};
    f.village = "320481101002";
    f.district = "D01";
    f.person = 8;
    f.summary = LiNa();
    f.confidence = 0.85;
    f.evidence.kind = RightsKind::kIncapacitated;
    f.evidence.words =
        "选举日2026-06-01在选举权利限制期内（2020-01-01 至 "
        "不限）：经选举委员会确认不能行使选举权利的精神病患者";
    f.flag_id = "00000000000000d3";
    flags.push_back(f);
  }
  {
    Flag f;
    f.code = FlagCode::kWrongDistrict;
    f.subject = Ref(Feed::kRoll, 3);
    f.records = {Ref(Feed::kRoll, 3), Ref(Feed::kHukou, 1)};
    f.township = "320481101";
    f.townships = {"320481101"};
    f.village = "320481101002";
    f.district = "D99";
    f.person = 8;
    f.summary = LiNa();
    f.evidence.acceptable_districts = {"D01"};
    f.evidence.registered_district = "D99";
    f.evidence.words = "登记的选区编码D99不存在；可登记选区：D01";
    f.flag_id = "00000000000000d4";
    flags.push_back(f);
  }
  {
    Flag f;
    f.code = FlagCode::kMissingEligible;
    f.subject = Ref(Feed::kHukou, 2);
    f.records = {Ref(Feed::kHukou, 2)};
    f.township = "320481102";
    f.townships = {"320481102", "3204811"};  // the second is not a township code: no folder
    f.village = "320481102003";
    f.person = 9;
    f.summary = {"320481200601010021", "王芳", "2006-01-01", "女"};
    f.evidence.reason = "new_adult";
    f.evidence.words = "符合登记条件，\"新\"满18岁,\n未登记\x01";
    f.flag_id = "00000000000000d5";
    flags.push_back(f);
  }
  return flags;
}

class WritersTest : public ::testing::Test {
 protected:
  Dataset data_ = MakeDataset();
  std::vector<Flag> flags_ = MakeFlags();
  TempDir dir_;
};

// ---- flags.jsonl ----

TEST_F(WritersTest, FlagsJsonlHasContractKeysInOrder) {
  const fs::path path = dir_.path() / "flags.jsonl";
  ASSERT_TRUE(WriteFlagsJsonl(path.string(), data_, flags_).ok());
  const std::string text = ReadFile(path);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const std::vector<std::string> lines = Lines(text);
  ASSERT_EQ(lines.size(), flags_.size());

  simdjson::dom::parser parser;
  for (size_t i = 0; i < lines.size(); ++i) {
    simdjson::dom::object obj;
    ASSERT_EQ(parser.parse(lines[i]).get(obj), simdjson::SUCCESS) << lines[i];
    const bool dup = flags_[i].code == FlagCode::kDuplicate;
    std::vector<std::string> expected = {"flag_id",   "code",    "category", "township",
                                         "townships", "subject", "records"};
    if (dup) expected.push_back("keep");
    for (const char* k : {"person", "person_id", "person_key", "confidence", "evidence", "review", "first_seen",
                          "first_run", "new"}) {
      expected.push_back(k);
    }
    EXPECT_EQ(KeysOf(obj), expected) << lines[i];
    EXPECT_EQ(Str(obj["flag_id"]), flags_[i].flag_id);
    EXPECT_EQ(Str(obj["code"]), FlagCodeName(flags_[i].code));
    EXPECT_EQ(Str(obj["category"]), FlagCategory(flags_[i].code));
    EXPECT_EQ(KeysOf(obj["person"]), (std::vector<std::string>{"id_number", "name", "birth_date", "gender"}));
    EXPECT_EQ(Str(obj["review"]), flags_[i].review);
  }
}

TEST_F(WritersTest, FlagsJsonlValues) {
  const fs::path path = dir_.path() / "flags.jsonl";
  ASSERT_TRUE(WriteFlagsJsonl(path.string(), data_, flags_).ok());
  const std::vector<std::string> lines = Lines(ReadFile(path));
  ASSERT_EQ(lines.size(), 5u);

  // WRONG_DETAILS: exact text, confidence with 3 decimals, fields, links.
  EXPECT_NE(lines[0].find(R"("subject":{"feed":"roll","record_id":"R0001"})"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(R"("confidence":0.998,)"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(R"("person_id":7)"), std::string::npos);
  EXPECT_NE(lines[0].find(R"("fields":[{"field":"name","registered":"张玮","authoritative":"张伟"},)"),
            std::string::npos);
  EXPECT_NE(
      lines[0].find(R"("links":[{"record":{"feed":"roll","record_id":"R0001"},)"
                    R"("anchor":{"feed":"hukou","record_id":"H001"},"weight":12.500,"confidence":0.970,)"),
      std::string::npos)
      << lines[0];
  EXPECT_EQ(lines[0].find("\"kind\""), std::string::npos);
  EXPECT_EQ(lines[0].find("acceptable_districts"), std::string::npos);
  EXPECT_EQ(lines[0].find("\"reason\""), std::string::npos);

  simdjson::dom::parser parser;
  // DUPLICATE: two townships, keep, records in order.
  simdjson::dom::object dup;
  ASSERT_EQ(parser.parse(lines[1]).get(dup), simdjson::SUCCESS);
  std::vector<std::string> townships;
  for (auto t : dup["townships"].get_array()) townships.push_back(Str(t));
  EXPECT_EQ(townships, (std::vector<std::string>{"320481101", "320481104"}));
  EXPECT_EQ(Str(dup["keep"]["record_id"]), "R0001");
  std::vector<std::string> records;
  for (auto r : dup["records"].get_array()) records.push_back(Str(r["feed"]) + ":" + Str(r["record_id"]));
  EXPECT_EQ(records, (std::vector<std::string>{"roll:R0001", "roll:R0002", "hukou:H001"}));
  EXPECT_EQ(Str(dup["review"]), "confirmed");

  // WRONG_NO_RIGHTS: the record id exactly as in the feed, spaces included; kind as a code word.
  simdjson::dom::object rights;
  ASSERT_EQ(parser.parse(lines[2]).get(rights), simdjson::SUCCESS);
  EXPECT_EQ(Str(rights["subject"]["record_id"]), " R 0003");
  EXPECT_EQ(Str(rights["evidence"]["kind"]), "incapacitated");
  EXPECT_EQ(KeysOf(rights["evidence"]), (std::vector<std::string>{"kind", "words", "links"}));

  // WRONG_DISTRICT carries its districts.
  simdjson::dom::object district;
  ASSERT_EQ(parser.parse(lines[3]).get(district), simdjson::SUCCESS);
  EXPECT_EQ(KeysOf(district["evidence"]),
            (std::vector<std::string>{"acceptable_districts", "registered_district", "words", "links"}));
  EXPECT_EQ(Str(district["evidence"]["registered_district"]), "D99");

  // MISSING_ELIGIBLE: hukou subject with a leading-zero id, reason, escaped words.
  simdjson::dom::object missing;
  ASSERT_EQ(parser.parse(lines[4]).get(missing), simdjson::SUCCESS);
  EXPECT_EQ(Str(missing["subject"]["feed"]), "hukou");
  EXPECT_EQ(Str(missing["subject"]["record_id"]), "0042");
  EXPECT_EQ(Str(missing["evidence"]["reason"]), "new_adult");
  EXPECT_EQ(Str(missing["evidence"]["words"]), flags_[4].evidence.words);
  EXPECT_NE(lines[4].find(R"(\"新\"满18岁,\n未登记\u0001)"), std::string::npos) << lines[4];
}

TEST_F(WritersTest, FlagsJsonlStaysValidWithInvalidUtf8) {
  flags_[0].summary.name = "张\xFF\xFE";
  flags_[0].evidence.words = "bad \xC3 byte";
  const fs::path path = dir_.path() / "flags.jsonl";
  ASSERT_TRUE(WriteFlagsJsonl(path.string(), data_, flags_).ok());
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  const std::vector<std::string> lines = Lines(ReadFile(path));
  ASSERT_EQ(parser.parse(lines[0]).get(obj), simdjson::SUCCESS);
  EXPECT_EQ(Str(obj["person"]["name"]), "张\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Str(obj["evidence"]["words"]), "bad \xEF\xBF\xBD byte");
}

TEST_F(WritersTest, EmptyFlagsGiveEmptyFile) {
  const fs::path path = dir_.path() / "flags.jsonl";
  ASSERT_TRUE(WriteFlagsJsonl(path.string(), data_, {}).ok());
  EXPECT_TRUE(fs::exists(path));
  EXPECT_EQ(ReadFile(path), "");
}

TEST_F(WritersTest, UnwritablePathIsIoErrorNamingIt) {
  const std::string path = (dir_.path() / "no_such_dir" / "flags.jsonl").string();
  Status s = WriteFlagsJsonl(path, data_, flags_);
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  EXPECT_EQ(WriteStatsCsv(path, {}).code(), Status::Code::kIoError);
  EXPECT_EQ(WriteRejectsJsonl(path, {}).code(), Status::Code::kIoError);
}

// ---- township CSVs ----

std::set<std::string> TownshipFolders(const fs::path& out) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(out / "townships")) names.insert(e.path().filename().string());
  return names;
}

// The column of `name` in a township CSV.
size_t Col(std::string_view name) {
  const auto& cols = TownshipCsvColumns();
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST_F(WritersTest, TownshipFoldersOnlyForNineDigitTownships) {
  ASSERT_TRUE(WriteTownshipCsvs(dir_.path().string(), data_, flags_, ReportOptions()).ok());
  EXPECT_EQ(TownshipFolders(dir_.path()), (std::set<std::string>{"320481101", "320481102", "320481104"}));
  for (const auto& t : TownshipFolders(dir_.path())) {
    const fs::path csv = dir_.path() / "townships" / t / "flags.csv";
    ASSERT_TRUE(fs::exists(csv));
    EXPECT_EQ(ReadFile(csv).substr(0, 3), kBom);
  }
}

TEST_F(WritersTest, TownshipCsvHeaderIsExact) {
  ASSERT_TRUE(WriteTownshipCsvs(dir_.path().string(), data_, flags_, ReportOptions()).ok());
  const std::string text = ReadFile(dir_.path() / "townships" / "320481101" / "flags.csv");
  const std::string header =
      "类别,问题代码,问题,选区,村/"
      "社区,姓名,身份证号,出生日期,性别,登记记录,匹配记录,说明,建议操作,置信度,需核实,"
      "审核状态,标识,处理意见（确认/驳回）,备注\r\n";
  EXPECT_EQ(text.substr(0, 3 + header.size()), std::string(kBom) + header);
}

TEST_F(WritersTest, DuplicateAppearsInBothTownshipsAndNowhereElse) {
  ASSERT_TRUE(WriteTownshipCsvs(dir_.path().string(), data_, flags_, ReportOptions()).ok());
  const fs::path t = dir_.path() / "townships";
  auto ids = [&](const std::string& township) {
    std::vector<std::string> v;
    CsvRows rows = ReadCsvWithBom(t / township / "flags.csv");
    for (size_t i = 1; i < rows.size(); ++i) v.push_back(rows[i][Col("标识")]);
    return v;
  };
  // 101: 错登 by village then code (WRONG_DETAILS in ...001; WRONG_NO_RIGHTS, WRONG_DISTRICT in ...002), then
  // 重登.
  EXPECT_EQ(ids("320481101"), (std::vector<std::string>{"00000000000000d1", "00000000000000d3",
                                                        "00000000000000d4", "00000000000000d2"}));
  EXPECT_EQ(ids("320481104"), (std::vector<std::string>{"00000000000000d2"}));
  EXPECT_EQ(ids("320481102"), (std::vector<std::string>{"00000000000000d5"}));
}

TEST_F(WritersTest, TownshipCsvRowContents) {
  ASSERT_TRUE(WriteTownshipCsvs(dir_.path().string(), data_, flags_, ReportOptions()).ok());
  CsvRows rows = ReadCsvWithBom(dir_.path() / "townships" / "320481101" / "flags.csv");
  ASSERT_EQ(rows.size(), 5u);
  for (const auto& r : rows) ASSERT_EQ(r.size(), TownshipCsvColumns().size());

  const auto& details = rows[1];
  EXPECT_EQ(details[Col("类别")], "错登");
  EXPECT_EQ(details[Col("问题代码")], "WRONG_DETAILS");
  EXPECT_EQ(details[Col("问题")], "登记信息有误");
  EXPECT_EQ(details[Col("选区")], "D01");
  EXPECT_EQ(details[Col("村/社区")], "320481101001");
  EXPECT_EQ(details[Col("姓名")], "张伟");
  EXPECT_EQ(details[Col("身份证号")], "\t320481198005121014");  // text-protected for Excel/WPS
  EXPECT_EQ(details[Col("出生日期")], "1980-05-12");
  EXPECT_EQ(details[Col("性别")], "男");
  EXPECT_EQ(details[Col("登记记录")], "选民名册 R0001");
  EXPECT_EQ(details[Col("匹配记录")], "户籍 H001");
  EXPECT_EQ(details[Col("说明")], flags_[0].evidence.words);
  EXPECT_EQ(details[Col("建议操作")], "更正登记信息");
  EXPECT_EQ(details[Col("置信度")], "0.998");
  EXPECT_EQ(details[Col("需核实")], "");
  EXPECT_EQ(details[Col("审核状态")], "待审核");
  EXPECT_EQ(details[Col("处理意见（确认/驳回）")], "");
  EXPECT_EQ(details[Col("备注")], "");

  const auto& rights = rows[2];
  EXPECT_EQ(rights[Col("登记记录")], "选民名册  R 0003");
  EXPECT_EQ(rights[Col("匹配记录")], "户籍 H002；权利限制 Q1");
  EXPECT_EQ(rights[Col("置信度")], "0.850");
  EXPECT_EQ(rights[Col("需核实")], "请核实");
  EXPECT_NE(rights[Col("说明")].find("精神病"), std::string::npos);  // shown by default

  const auto& dup = rows[4];
  EXPECT_EQ(dup[Col("类别")], "重登");
  EXPECT_EQ(dup[Col("登记记录")], "选民名册 R0001；选民名册 R0002");
  EXPECT_EQ(dup[Col("审核状态")], "已确认");

  // Quotes, commas, newlines survive RFC 4180 quoting; invalid UTF-8 does not pass.
  CsvRows missing = ReadCsvWithBom(dir_.path() / "townships" / "320481102" / "flags.csv");
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[1][Col("类别")], "漏登");
  EXPECT_EQ(missing[1][Col("说明")], flags_[4].evidence.words);
  EXPECT_EQ(missing[1][Col("登记记录")], "");
  EXPECT_EQ(missing[1][Col("匹配记录")], "户籍 0042");
  EXPECT_EQ(missing[1][Col("建议操作")], "补登");
}

TEST_F(WritersTest, RedactionMasksIdNumbersEverywhereInTownshipCsvs) {
  ReportOptions options;
  options.redact = true;
  ASSERT_TRUE(WriteTownshipCsvs(dir_.path().string(), data_, flags_, options).ok());
  const fs::path csv = dir_.path() / "townships" / "320481101" / "flags.csv";
  CsvRows rows = ReadCsvWithBom(csv);
  EXPECT_EQ(rows[1][Col("身份证号")], "\t320481********1014");
  EXPECT_EQ(rows[1][Col("说明")],
            "姓名：登记为“张玮”，应为“张伟”；身份证号：登记为“320481********1015”，应为“320481********1014”");
  const std::string text = ReadFile(csv);
  EXPECT_EQ(text.find("320481198005121014"), std::string::npos);
  EXPECT_EQ(text.find("320481198005121015"), std::string::npos);
  EXPECT_EQ(text.find("320481197001011025"), std::string::npos);
}

TEST_F(WritersTest, HiddenRightsKindSaysOnlyNoRights) {
  ReportOptions options;
  options.show_rights_kind = false;
  ASSERT_TRUE(WriteTownshipCsvs(dir_.path().string(), data_, flags_, options).ok());
  const fs::path csv = dir_.path() / "townships" / "320481101" / "flags.csv";
  const std::string text = ReadFile(csv);
  EXPECT_EQ(text.find("精神病"), std::string::npos);
  EXPECT_EQ(text.find("incapacitated"), std::string::npos);
  EXPECT_EQ(text.find("不能行使"), std::string::npos);
  CsvRows rows = ReadCsvWithBom(csv);
  EXPECT_EQ(rows[2][Col("问题代码")], "WRONG_NO_RIGHTS");
  EXPECT_EQ(rows[2][Col("说明")], "无选举权利");
}

TEST_F(WritersTest, FormulaLikeTextIsNotAFormula) {
  flags_[0].summary.name = "=HYPERLINK(\"http://x\")";
  ASSERT_TRUE(WriteTownshipCsvs(dir_.path().string(), data_, flags_, ReportOptions()).ok());
  CsvRows rows = ReadCsvWithBom(dir_.path() / "townships" / "320481101" / "flags.csv");
  EXPECT_EQ(rows[1][Col("姓名")], "'=HYPERLINK(\"http://x\")");
}

TEST(MaskIdNumber, KeepsFirstSixAndLastFour) {
  EXPECT_EQ(MaskIdNumber("320481198005121014"), "320481********1014");
  EXPECT_EQ(MaskIdNumber("32048119800512101X"), "320481********101X");
  EXPECT_EQ(MaskIdNumber("320481800512101"), "320481*****2101");
  EXPECT_EQ(MaskIdNumber("1234567890"), "**********");
  EXPECT_EQ(MaskIdNumber(""), "");
  EXPECT_EQ(MaskIdNumbersInText("号码320481198005121014和12位320481101001"),
            "号码320481********1014和12位320481101001");
  EXPECT_EQ(MaskIdNumbersInText("x32048119800512101x."), "x320481********101x.");
}

// ---- stats ----

std::vector<RegionStats> MakeStats() {
  RegionStats scope;
  scope.region_code = "320481";
  scope.level = "scope";
  scope.eligible_hukou = 4;
  scope.registered_hukou = 3;
  scope.eligible_migrant = 2;
  scope.registered_migrant = 1;
  scope.roll_records = 5;
  scope.flags[static_cast<int>(FlagCode::kDuplicate)] = 1;
  scope.flags[static_cast<int>(FlagCode::kMissingMigrant)] = 2;
  RegionStats village;
  village.region_code = "320481101001";
  village.level = "village";
  village.roll_records = 2;
  RegionStats third;
  third.region_code = "320481102";
  third.level = "township";
  third.eligible_hukou = 3;
  third.registered_hukou = 2;
  return {scope, village, third};
}

std::vector<std::string> ExpectedStatsColumns() {
  return {"region_code",        "level",
          "eligible_hukou",     "registered_hukou",
          "registration_rate",  "eligible_migrant",
          "registered_migrant", "roll_records",
          "WRONG_NOT_FOUND",    "WRONG_DECEASED",
          "WRONG_NO_RIGHTS",    "WRONG_UNDERAGE",
          "WRONG_MOVED_OUT",    "WRONG_DISTRICT",
          "WRONG_DETAILS",      "DUPLICATE",
          "MISSING_ELIGIBLE",   "MISSING_MIGRANT"};
}

TEST_F(WritersTest, StatsCsvColumnsAndRates) {
  EXPECT_EQ(StatsColumns(), ExpectedStatsColumns());
  const fs::path path = dir_.path() / "stats.csv";
  ASSERT_TRUE(WriteStatsCsv(path.string(), MakeStats()).ok());
  CsvRows rows = ReadCsvWithBom(path);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], ExpectedStatsColumns());
  EXPECT_EQ(rows[1], (std::vector<std::string>{"320481", "scope", "4", "3", "0.750000", "2", "1", "5", "0",
                                               "0", "0", "0", "0", "0", "0", "1", "0", "2"}));
  EXPECT_EQ(rows[2][0], "320481101001");
  EXPECT_EQ(rows[2][4], "");  // no eligible person: no rate
  EXPECT_EQ(rows[3][4], "0.666667");
}

TEST_F(WritersTest, StatsJson) {
  const fs::path path = dir_.path() / "stats.json";
  ASSERT_TRUE(WriteStatsJson(path.string(), MakeStats()).ok());
  const std::string text = ReadFile(path);
  simdjson::dom::parser parser;
  simdjson::dom::object doc;
  ASSERT_EQ(parser.parse(text).get(doc), simdjson::SUCCESS) << text;
  std::vector<std::string> columns;
  for (auto c : doc["columns"].get_array()) columns.push_back(Str(c));
  EXPECT_EQ(columns, ExpectedStatsColumns());
  simdjson::dom::array rows = doc["rows"].get_array();
  ASSERT_EQ(rows.size(), 3u);
  for (auto row : rows) EXPECT_EQ(KeysOf(row.get_object()), ExpectedStatsColumns());
  EXPECT_EQ(Str(rows.at(0)["region_code"]), "320481");
  EXPECT_EQ(double(rows.at(0)["registration_rate"]), 0.75);
  EXPECT_EQ(uint64_t(rows.at(0)["MISSING_MIGRANT"]), 2u);
  EXPECT_TRUE(rows.at(1)["registration_rate"].is_null());
  EXPECT_NE(text.find("\"registration_rate\":0.750000"), std::string::npos);
}

// ---- rejects ----

TEST_F(WritersTest, RejectsJsonl) {
  std::vector<Reject> rejects = {
      {Feed::kHukou, "hukou.csv", 17, "wrong number of fields", "H9,\"张,三\n"},
      {Feed::kRoll, "roll.jsonl", 3, "broken JSON: missing closing brace", "{\"record_id\":\"R1\\x\xFF"},
  };
  const fs::path path = dir_.path() / "rejects.jsonl";
  ASSERT_TRUE(WriteRejectsJsonl(path.string(), rejects).ok());
  const std::vector<std::string> lines = Lines(ReadFile(path));
  ASSERT_EQ(lines.size(), 2u);
  simdjson::dom::parser parser;
  for (size_t i = 0; i < lines.size(); ++i) {
    simdjson::dom::object obj;
    ASSERT_EQ(parser.parse(lines[i]).get(obj), simdjson::SUCCESS) << lines[i];
    EXPECT_EQ(KeysOf(obj), (std::vector<std::string>{"feed", "file", "line", "reason", "raw"}));
    EXPECT_EQ(Str(obj["feed"]), FeedName(rejects[i].feed));
    EXPECT_EQ(Str(obj["file"]), rejects[i].file);
    EXPECT_EQ(uint64_t(obj["line"]), rejects[i].line);
  }
  simdjson::dom::object first;
  ASSERT_EQ(parser.parse(lines[0]).get(first), simdjson::SUCCESS);
  EXPECT_EQ(Str(first["raw"]), "H9,\"张,三\n");
}

}  // namespace
}  // namespace rollmatch
