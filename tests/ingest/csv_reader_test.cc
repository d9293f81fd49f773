#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/feed_schema.h"
#include "tests/ingest/ingest_test_util.h"

namespace rollmatch {
namespace {

using testing::ReadOne;
using testing::RowOf;
using testing::TempDir;
using V = std::vector<std::string>;

constexpr char kMigrantHeader[] =
    "record_id,id_number,name,gender,birth_date,hukou_region_code,residence_region_code,address,"
    "registered_date,expiry_date\n";

TEST(CsvReader, HeaderByNameInAnyOrderAndUnknownColumnsIgnored) {
  TempDir dir;
  const std::string csv =
      "name,备注,residence_region_code,record_id,id_number,extra\n"
      "郑丽,外来务工,320481101203,M009,341221198808081180,x\n"
      "周敏,,320481102201,M007,320481199009091144,\n";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok()) << r.table.status().ToString();
  const FeedTable& t = *r.table;
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(RowOf(t, 0), (V{"M009", "341221198808081180", "郑丽", "", "", "", "320481101203", "", "", ""}));
  EXPECT_EQ(t.Get(1, migrant_field::kName), "周敏");
  EXPECT_EQ(t.key(1), "M007");
  EXPECT_EQ(t.pos(0).line, 2u);
  EXPECT_EQ(t.pos(1).line, 3u);
  EXPECT_TRUE(r.rejects.empty());
}

TEST(CsvReader, Utf8BomAndSpacesAroundHeaderNamesAreIgnored) {
  TempDir dir;
  const std::string csv =
      "\xEF\xBB\xBF record_id , name ,\tdistrict_code ,id_number\n"
      "R001,张伟,32048110101,320481198005121014\n";
  auto r = ReadOne(dir, Feed::kRoll, "roll.csv", csv);
  ASSERT_TRUE(r.table.ok()) << r.table.status().ToString();
  ASSERT_EQ(r.table->num_rows(), 1u);
  EXPECT_EQ(r.table->key(0), "R001");
  EXPECT_EQ(r.table->Get(0, roll_field::kDistrictCode), "32048110101");
  EXPECT_EQ(r.table->Get(0, roll_field::kIdNumber), "320481198005121014");
}

TEST(CsvReader, ValuesAreKeptAsTyped) {
  TempDir dir;
  const std::string csv =
      "record_id,name,district_code,id_number\n R001 , 张 伟 "
      ",32048110101,３２０４８１１９８００５１２１０１Ｘ\n";
  auto r = ReadOne(dir, Feed::kRoll, "roll.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 1u);
  EXPECT_EQ(r.table->key(0), " R001 ");
  EXPECT_EQ(r.table->Get(0, roll_field::kName), " 张 伟 ");
  EXPECT_EQ(r.table->Get(0, roll_field::kIdNumber), "３２０４８１１９８００５１２１０１Ｘ");
}

TEST(CsvReader, CrlfLineEnds) {
  TempDir dir;
  const std::string csv =
      "record_id,name,residence_region_code\r\nM007,周敏,320481102201\r\nM008,吴磊,320481102201\r\n";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  EXPECT_EQ(r.table->Get(0, migrant_field::kResidenceRegionCode), "320481102201");
  EXPECT_EQ(r.table->Get(1, migrant_field::kName), "吴磊");
  EXPECT_EQ(r.table->pos(1).line, 3u);
}

TEST(CsvReader, LoneCrLineEnds) {
  TempDir dir;
  const std::string csv =
      "record_id,name,residence_region_code\rM007,周敏,320481102201\rM008,吴磊,320481102201";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  EXPECT_EQ(r.table->Get(0, migrant_field::kResidenceRegionCode), "320481102201");
  EXPECT_EQ(r.table->Get(1, migrant_field::kResidenceRegionCode), "320481102201");
  EXPECT_EQ(r.table->pos(1).line, 3u);
}

TEST(CsvReader, QuotedCommasAndEscapedQuotes) {
  TempDir dir;
  const std::string csv =
      "record_id,name,residence_region_code,address\n"
      "M007,周敏,320481102201,\"上黄镇浒西村, 3号\"\n"
      "\"M008\",\"吴磊\",\"320481102201\",\"人称\"\"老吴\"\"的店\"\n"
      "M009,郑丽,320481101203,\"\"\n";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 3u);
  EXPECT_EQ(r.table->Get(0, migrant_field::kAddress), "上黄镇浒西村, 3号");
  EXPECT_EQ(r.table->key(1), "M008");
  EXPECT_EQ(r.table->Get(1, migrant_field::kAddress), "人称\"老吴\"的店");
  EXPECT_EQ(r.table->Get(2, migrant_field::kAddress), "");
  EXPECT_TRUE(r.rejects.empty());
}

TEST(CsvReader, QuotedFieldWithNewlineKeepsStartLine) {
  TempDir dir;
  const std::string csv =
      "record_id,name,residence_region_code,address\n"
      "M007,周敏,320481102201,\"上黄镇\n浒西村\r\n3号\"\n"
      "M008,吴磊,320481102201,\n"
      "M009,郑丽\n";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  EXPECT_EQ(r.table->Get(0, migrant_field::kAddress), "上黄镇\n浒西村\r\n3号");
  EXPECT_EQ(r.table->pos(0).line, 2u);
  EXPECT_EQ(r.table->pos(1).line, 5u);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 6u);
}

TEST(CsvReader, WrongColumnCountIsRejected) {
  TempDir dir;
  const std::string csv =
      std::string(kMigrantHeader) +
      "M007,320481199009091144,周敏,女,1990-09-09,320481101201,320481102201,,2022-03-01,\n"
      "M008,341221199303151176,吴磊,男,1993-03-15,341221104201,320481102201,,2023-05-01\n"
      "M009,341221198808081180,郑丽,女,1988-08-08,341221104201,320481101203,,2024-02-01,,\n";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 1u);
  ASSERT_EQ(r.rejects.size(), 2u);
  EXPECT_EQ(r.rejects[0].feed, Feed::kMigrant);
  EXPECT_EQ(r.rejects[0].file, "migrant.csv");
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_EQ(r.rejects[0].reason, "wrong column count: 9 fields, header has 10");
  EXPECT_EQ(r.rejects[0].raw,
            "M008,341221199303151176,吴磊,男,1993-03-15,341221104201,320481102201,,2023-05-01");
  EXPECT_EQ(r.rejects[1].line, 4u);
  EXPECT_EQ(r.rejects[1].reason, "wrong column count: 11 fields, header has 10");
  EXPECT_EQ(r.table->files()[0].rows_read, 3u);
  EXPECT_EQ(r.table->files()[0].rows_rejected, 2u);
}

// Issue 7: a quote never closed used to swallow every later row into one
// reject (rows silently lost); now only its line is rejected.
TEST(CsvReader, Regression_UnbalancedQuoteAtEofRejectsOnlyItsLine_Issue7) {
  TempDir dir;
  const std::string csv =
      "record_id,name,residence_region_code,address\n"
      "M007,周敏,320481102201,\n"
      "M008,吴磊,320481102201,\"上黄镇\n"
      "M009,郑丽,320481101203,\n"
      "M010,王五,320481101203,\r\n"
      "M011,赵六,320481101203,";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 4u);
  EXPECT_EQ(r.table->key(1), "M009");
  EXPECT_EQ(r.table->pos(1).line, 4u);
  EXPECT_EQ(r.table->Get(2, migrant_field::kName), "王五");
  EXPECT_EQ(r.table->pos(3).line, 6u);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_EQ(r.rejects[0].reason, "unbalanced quote: no closing quote up to the end of the file");
  EXPECT_EQ(r.rejects[0].raw, "M008,吴磊,320481102201,\"上黄镇");
  EXPECT_EQ(r.table->files()[0].rows_read, 5u);
}

TEST(CsvReader, Regression_UnbalancedQuoteAfterAQuotedLineEndKeepsLineNumbers_Issue7) {
  TempDir dir;
  const std::string csv =
      "record_id,name,residence_region_code,address\n"
      "M007,\"周\n敏\",320481102201,\"上黄镇\r"
      "M008,吴磊,320481102201,\n";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 2u);
  ASSERT_EQ(r.table->num_rows(), 1u);
  EXPECT_EQ(r.table->key(0), "M008");
  EXPECT_EQ(r.table->pos(0).line, 4u);
}

TEST(CsvReader, Regression_ByteOrderMarkInTheMiddleRejectsItsRow_Issue7) {
  TempDir dir;
  // Two exports joined with cat: the second one's BOM and header land mid-file.
  const std::string csv =
      "\xEF\xBB\xBFrecord_id,name,kind\n"
      "Q011,陈刚,deprived\n"
      "\xEF\xBB\xBFrecord_id,name,kind\n"
      "Q012,褚明,deprived\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_EQ(r.rejects[0].reason, "byte-order mark (U+FEFF) inside the file: were two files joined?");
}

TEST(CsvReader, Regression_FiftyMegabyteValueIsARejectNotARow_Issue7) {
  TempDir dir;
  const std::string big(50 * 1024 * 1024, 'x');
  const std::string csv = "record_id,name,kind\nQ011," + big + ",deprived\n" + big + "\nQ012,褚明,deprived\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 1u);
  EXPECT_EQ(r.table->key(0), "Q012");
  ASSERT_EQ(r.rejects.size(), 2u);
  EXPECT_EQ(r.rejects[0].line, 2u);
  EXPECT_EQ(r.rejects[0].reason, "field name is 52428800 bytes long (at most 65536)");
  EXPECT_EQ(r.rejects[1].line, 3u);
  EXPECT_LE(r.rejects[0].raw.size(), 4096u);
}

TEST(CsvReader, TextAfterClosingQuoteIsRejectedButSpacesAreFine) {
  TempDir dir;
  const std::string csv =
      "record_id,name,residence_region_code\n"
      "M007,\"周敏\"  ,320481102201\n"
      "M008,\"吴\"磊,320481102201\n"
      "M009,郑\"丽\",320481101203\n";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  EXPECT_EQ(r.table->Get(0, migrant_field::kName), "周敏");
  // A quote inside an unquoted field is text.
  EXPECT_EQ(r.table->Get(1, migrant_field::kName), "郑\"丽\"");
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_EQ(r.rejects[0].reason, "text after the closing quote of column 2");
}

TEST(CsvReader, RequiredFieldEmptyIsRejected) {
  TempDir dir;
  const std::string csv =
      "record_id,name,residence_region_code\n"
      "M007,  ,320481102201\n"
      "M008,吴磊,\n"
      "M009,\u3000,320481101203\n"
      "M010,郑丽,320481101203\n";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 1u);
  EXPECT_EQ(r.table->key(0), "M010");
  ASSERT_EQ(r.rejects.size(), 3u);
  EXPECT_EQ(r.rejects[0].reason, "required field name is empty");
  EXPECT_EQ(r.rejects[0].raw, "M007,  ,320481102201");
  EXPECT_EQ(r.rejects[1].reason, "required field residence_region_code is empty");
  EXPECT_EQ(r.rejects[2].reason, "required field name is empty");
}

TEST(CsvReader, BlankLinesAreSkippedAndNotCounted) {
  TempDir dir;
  const std::string csv =
      "\n  \nrecord_id,name,residence_region_code\n\n \t \r\nM007,周敏,320481102201\n   \n";
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", csv);
  ASSERT_TRUE(r.table.ok()) << r.table.status().ToString();
  ASSERT_EQ(r.table->num_rows(), 1u);
  EXPECT_EQ(r.table->pos(0).line, 6u);
  EXPECT_EQ(r.table->files()[0].rows_read, 1u);
}

TEST(CsvReader, HeaderLackingRequiredColumnIsInvalidArgument) {
  TempDir dir;
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv", "record_id,name,address\nM007,周敏,\n");
  ASSERT_FALSE(r.table.ok());
  EXPECT_EQ(r.table.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.table.status().message(), "migrant.csv:1: header lacks required column residence_region_code");
}

TEST(CsvReader, HeaderNamingAColumnTwiceIsInvalidArgument) {
  TempDir dir;
  auto r = ReadOne(dir, Feed::kMigrant, "migrant.csv",
                   "record_id,name,residence_region_code, name\nM007,周敏,320481102201,周敏\n");
  ASSERT_FALSE(r.table.ok());
  EXPECT_EQ(r.table.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.table.status().message(), "migrant.csv:1: header names column name twice");
}

TEST(CsvReader, HeaderMatchingIsCaseSensitive) {
  TempDir dir;
  auto r = ReadOne(dir, Feed::kRights, "rights.csv", "Record_ID,name,kind\nQ011,陈刚,deprived\n");
  ASSERT_FALSE(r.table.ok());
  EXPECT_EQ(r.table.status().message(), "rights.csv:1: header lacks required column record_id");
}

TEST(CsvReader, EmptyFileHasNoRows) {
  TempDir dir;
  for (const std::string& bytes : {std::string(), std::string("\xEF\xBB\xBF"), std::string("\n \n")}) {
    auto r = ReadOne(dir, Feed::kRights, "rights.csv", bytes);
    ASSERT_TRUE(r.table.ok()) << r.table.status().ToString();
    EXPECT_EQ(r.table->num_rows(), 0u);
    EXPECT_EQ(r.table->rows_read(), 0u);
    EXPECT_TRUE(r.rejects.empty());
  }
}

TEST(CsvReader, HeaderOnlyFileHasNoRows) {
  TempDir dir;
  auto r = ReadOne(dir, Feed::kRights, "rights.csv", "record_id,id_number,name,kind,from_date,to_date\n");
  ASSERT_TRUE(r.table.ok());
  EXPECT_EQ(r.table->num_rows(), 0u);
  ASSERT_EQ(r.table->files().size(), 1u);
  EXPECT_EQ(r.table->files()[0].rows_read, 0u);
}

TEST(CsvReader, NulByteRejectsOnlyItsRow) {
  TempDir dir;
  const std::string csv = std::string("record_id,name,kind\nQ011,陈刚,deprived\nQ012,褚") +
                          std::string(1, '\0') + "明,deprived\nQ018,杨帆,incapacitated\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  EXPECT_EQ(r.table->key(1), "Q018");
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_EQ(r.rejects[0].reason, "NUL byte");
  EXPECT_EQ(r.rejects[0].raw, "Q012,褚\\x00明,deprived");
}

TEST(CsvReader, InvalidUtf8RejectsOnlyItsRow) {
  TempDir dir;
  const std::string csv =
      "record_id,name,kind\nQ011,陈刚,deprived\nQ012,\xD6\xDC\xC3\xF7,deprived\nQ018,杨帆,incapacitated\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  EXPECT_EQ(r.table->Get(1, rights_field::kName), "杨帆");
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_EQ(r.rejects[0].reason, "invalid UTF-8");
  EXPECT_EQ(r.rejects[0].raw, "Q012,\\xD6\\xDC\\xC3\\xF7,deprived");
}

TEST(CsvReader, RejectRawIsCutTo4KiB) {
  TempDir dir;
  std::string long_name;
  for (int i = 0; i < 3000; ++i) long_name += "张";  // 9000 bytes
  const std::string csv = "record_id,name,kind\nQ011," + long_name + ",deprived,extra\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.csv", csv);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_LE(r.rejects[0].raw.size(), 4096u);
  EXPECT_GE(r.rejects[0].raw.size(), 4093u);
  EXPECT_EQ(r.rejects[0].raw.substr(0, 8), "Q011,张");
  EXPECT_EQ((r.rejects[0].raw.size() - 5) % 3, 0u);  // cut between characters
}

TEST(CsvScanner, SplitsFieldsAndCountsLines) {
  const std::string text = "a,\"b\"\"c\",\"d\ne\"\r\n,\r\n";
  CsvScanner scanner(text);
  CsvRecord rec;
  std::vector<CsvField> fields;
  ASSERT_TRUE(scanner.Next(&rec, &fields));
  EXPECT_EQ(rec.line, 1u);
  ASSERT_EQ(fields.size(), 3u);
  std::string scratch;
  scratch.reserve(text.size());
  EXPECT_EQ(CsvFieldValue(text, fields[0], &scratch), "a");
  EXPECT_EQ(CsvFieldValue(text, fields[1], &scratch), "b\"c");
  EXPECT_EQ(CsvFieldValue(text, fields[2], &scratch), "d\ne");
  ASSERT_TRUE(scanner.Next(&rec, &fields));
  EXPECT_EQ(rec.line, 3u);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].begin, fields[0].end);
  EXPECT_FALSE(scanner.Next(&rec, &fields));
}

}  // namespace
}  // namespace rollmatch
