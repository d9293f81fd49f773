#include "ingest/jsonl_reader.h"

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

TEST(JsonlReader, ReadsFieldsByKeyAndIgnoresUnknownKeys) {
  TempDir dir;
  const std::string jsonl =
      R"({"name": "张伟", "record_id": "H001", "id_number": "320481198005121014", "region_code": "320481101201", "note": {"a": [1, 2]}, "status": "正常"})"
      "\n"
      R"({"record_id": "H002", "id_number": "320481198005121030", "name": "\u5f20\u4f1f", "region_code": "320481101202"})"
      "\n";
  auto r = ReadOne(dir, Feed::kHukou, "hukou.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok()) << r.table.status().ToString();
  ASSERT_EQ(r.table->num_rows(), 2u);
  EXPECT_EQ(RowOf(*r.table, 0),
            (V{"H001", "320481198005121014", "张伟", "", "", "", "", "", "320481101201", "", "正常", ""}));
  EXPECT_EQ(r.table->Get(1, hukou_field::kName), "张伟");
  EXPECT_EQ(r.table->pos(1).line, 2u);
  EXPECT_TRUE(r.rejects.empty());
}

TEST(JsonlReader, NumbersKeepTheirTextExactly) {
  TempDir dir;
  const std::string jsonl =
      R"({"record_id": 1001, "id_number": 320481198005121014, "name": "张伟", "region_code": 320481101201, "household_id": 1.50e3 , "ethnicity": -0})"
      "\n"
      R"({"record_id": 1002, "id_number": 123456789012345678901234567890, "name": "李娜", "region_code": 320481101201})"
      "\n";
  auto r = ReadOne(dir, Feed::kHukou, "hukou.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  EXPECT_EQ(r.table->key(0), "1001");
  EXPECT_EQ(r.table->Get(0, hukou_field::kIdNumber), "320481198005121014");
  EXPECT_EQ(r.table->Get(0, hukou_field::kRegionCode), "320481101201");
  EXPECT_EQ(r.table->Get(0, hukou_field::kHouseholdId), "1.50e3");
  EXPECT_EQ(r.table->Get(0, hukou_field::kEthnicity), "-0");
  EXPECT_EQ(r.table->Get(1, hukou_field::kIdNumber), "123456789012345678901234567890");
}

TEST(JsonlReader, NullIsEmptyAndBooleansAreWords) {
  TempDir dir;
  const std::string jsonl =
      R"({"record_id": "S001", "name": "秦岚", "insured_region_code": "320481101001", "id_number": null, "employer": true, "status": false})"
      "\n"
      R"({"record_id": "S002", "name": null, "insured_region_code": "320481101001"})"
      "\n";
  auto r = ReadOne(dir, Feed::kSocial, "social.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 1u);
  EXPECT_EQ(r.table->Get(0, social_field::kIdNumber), "");
  EXPECT_EQ(r.table->Get(0, social_field::kEmployer), "true");
  EXPECT_EQ(r.table->Get(0, social_field::kStatus), "false");
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].reason, "required field name is empty");
  EXPECT_EQ(r.rejects[0].line, 2u);
}

TEST(JsonlReader, ObjectOrArrayInAFeedFieldIsRejected) {
  TempDir dir;
  const std::string jsonl =
      R"({"record_id": "Q011", "name": {"surname": "陈", "given": "刚"}, "kind": "deprived"})"
      "\n"
      R"({"record_id": "Q012", "name": "褚明", "kind": ["deprived"]})"
      "\n"
      R"({"record_id": "Q018", "name": "杨帆", "kind": "incapacitated"})"
      "\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 1u);
  ASSERT_EQ(r.rejects.size(), 2u);
  EXPECT_EQ(r.rejects[0].reason, "field name is not a text value");
  EXPECT_EQ(r.rejects[0].line, 1u);
  EXPECT_EQ(r.rejects[0].raw,
            R"({"record_id": "Q011", "name": {"surname": "陈", "given": "刚"}, "kind": "deprived"})");
  EXPECT_EQ(r.rejects[1].reason, "field kind is not a text value");
}

TEST(JsonlReader, BrokenJsonIsRejectedWithItsLineNumber) {
  TempDir dir;
  const std::string jsonl =
      R"({"record_id": "Q011", "name": "陈刚", "kind": "deprived"})"
      "\n\n"
      R"({"record_id": "Q012", "name": "褚明", "kind": "deprived")"
      "\n"
      R"({"record_id": "Q013", "name": "褚明", "kind": "deprived", "x": tru})"
      "\n"
      R"({"record_id": "Q014", "name": "褚明" "kind": "deprived"})"
      "\n"
      R"({"record_id": "Q015", "name": "褚明", "kind": "deprived"} {"record_id": "Q016"})"
      "\n"
      R"({"record_id": "Q017", "name": "褚\x", "kind": "deprived"})"
      "\n"
      R"({"record_id": "Q018", "name": "杨帆", "kind": "incapacitated"})";
  auto r = ReadOne(dir, Feed::kRights, "rights.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  EXPECT_EQ(r.table->key(1), "Q018");
  EXPECT_EQ(r.table->pos(1).line, 8u);
  ASSERT_EQ(r.rejects.size(), 5u);
  const uint64_t lines[] = {3, 4, 5, 6, 7};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(r.rejects[i].line, lines[i]) << i;
    EXPECT_EQ(r.rejects[i].reason.rfind("broken JSON: ", 0), 0u) << r.rejects[i].reason;
  }
  EXPECT_EQ(r.rejects[0].raw, R"({"record_id": "Q012", "name": "褚明", "kind": "deprived")");
  EXPECT_EQ(r.table->files()[0].rows_read, 7u);
}

TEST(JsonlReader, LineThatIsNotAnObjectIsRejected) {
  TempDir dir;
  const std::string jsonl = "[\"Q011\", \"陈刚\"]\n\"Q012\"\n42\nnull\nhello\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  EXPECT_EQ(r.table->num_rows(), 0u);
  ASSERT_EQ(r.rejects.size(), 5u);
  for (const Reject& rj : r.rejects) EXPECT_EQ(rj.reason, "not a JSON object") << rj.raw;
}

TEST(JsonlReader, DeepNestingIsRejectedWithoutCrashing) {
  TempDir dir;
  const std::string deep_array = std::string(100000, '[') + std::string(100000, ']');
  std::string deep_object;
  for (int i = 0; i < 100000; ++i) deep_object += "{\"a\":";
  deep_object += "1" + std::string(100000, '}');
  const std::string jsonl = R"({"record_id": "Q011", "name": "陈刚", "kind": "deprived", "x": )" +
                            deep_array + "}\n" + deep_array + "\n" +
                            R"({"record_id": "Q012", "name": "褚明", "kind": )" + deep_object + "}\n" +
                            std::string(100000, '[') + "\n" +
                            R"({"record_id": "Q018", "name": "杨帆", "kind": "incapacitated"})" + "\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 1u);
  EXPECT_EQ(r.table->key(0), "Q018");
  ASSERT_EQ(r.rejects.size(), 4u);
  EXPECT_EQ(r.rejects[0].reason, "broken JSON: nested deeper than 64 levels");
  EXPECT_EQ(r.rejects[1].reason, "not a JSON object");
  EXPECT_EQ(r.rejects[2].reason, "broken JSON: nested deeper than 64 levels");
  EXPECT_EQ(r.rejects[3].line, 4u);
  EXPECT_LE(r.rejects[0].raw.size(), 4096u);
}

// Issue 7: the last of two values used to win silently.
TEST(JsonlReader, Regression_FieldNamedTwiceIsAReject_Issue7) {
  TempDir dir;
  const std::string jsonl =
      R"({"record_id": "Q011", "name": "陈小二", "kind": {"x": 1}, "name": "陈刚", "kind": "deprived"})"
      "\n"
      R"({"record_id": "Q012", "name": "褚明", "kind": "deprived", "note": 1, "note": 2})"
      "\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 1u);
  EXPECT_EQ(r.table->key(0), "Q012");  // an unknown key named twice is ignored
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 1u);
  EXPECT_EQ(r.rejects[0].reason, "key name appears twice");
}

TEST(JsonlReader, FiftyMegabyteLineIsReadButNotAFiftyMegabyteValue) {
  TempDir dir;
  const std::string big(50 * 1024 * 1024, 'x');
  const std::string jsonl = R"({"record_id": "Q011", "name": "陈刚", "kind": "deprived", "blob": ")" + big +
                            "\"}\n" + R"({"record_id": "Q012", "name": ")" + big +
                            "\", \"kind\": \"deprived\"}\n" + R"({"record_id": "Q013", "name": ")" + big +
                            "\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 1u);  // the unknown 50 MB "blob" is skipped
  EXPECT_EQ(r.table->key(0), "Q011");
  ASSERT_EQ(r.rejects.size(), 2u);
  EXPECT_EQ(r.rejects[0].line, 2u);
  EXPECT_EQ(r.rejects[0].reason, "field name is 52428800 bytes long (at most 65536)");
  EXPECT_EQ(r.rejects[1].line, 3u);
  EXPECT_LE(r.rejects[0].raw.size(), 4096u);
  EXPECT_LE(r.rejects[1].raw.size(), 4096u);
}

TEST(JsonlReader, BomCrlfAndLoneCr) {
  TempDir dir;
  const std::string jsonl =
      "\xEF\xBB\xBF"
      R"({"record_id": "Q011", "name": "陈刚", "kind": "deprived"})"
      "\r\n"
      R"({"record_id": "Q012", "name": "褚明", "kind": "deprived"})"
      "\r"
      R"({"record_id": "Q018", "name": "杨帆", "kind": "incapacitated"})"
      "\r\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 3u);
  EXPECT_EQ(r.table->key(0), "Q011");
  EXPECT_EQ(r.table->pos(2).line, 3u);
  EXPECT_TRUE(r.rejects.empty());
}

TEST(JsonlReader, InvalidUtf8AndNulRejectOnlyTheirLines) {
  TempDir dir;
  const std::string jsonl =
      R"({"record_id": "Q011", "name": "陈刚", "kind": "deprived"})"
      "\n"
      "{\"record_id\": \"Q012\", \"name\": \"\xB3\xC2\xB8\xD5\", \"kind\": \"deprived\"}\n"
      "{\"record_id\": \"Q013\", \"name\": \"褚" +
      std::string(1, '\0') +
      "明\", \"kind\": \"deprived\"}\n"
      R"({"record_id": "Q014", "name": "褚\u0000明", "kind": "deprived"})"
      "\n"
      R"({"record_id": "Q018", "name": "杨帆", "kind": "incapacitated"})"
      "\n";
  auto r = ReadOne(dir, Feed::kRights, "rights.jsonl", jsonl);
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.table->num_rows(), 2u);
  ASSERT_EQ(r.rejects.size(), 3u);
  EXPECT_EQ(r.rejects[0].reason, "invalid UTF-8");
  // 陈刚 in GBK: C2 B8 happens to be valid UTF-8 (¸).
  EXPECT_EQ(r.rejects[0].raw, R"({"record_id": "Q012", "name": "\xB3¸\xD5", "kind": "deprived"})");
  EXPECT_EQ(r.rejects[1].reason, "NUL byte");
  EXPECT_EQ(r.rejects[1].line, 3u);
  EXPECT_EQ(r.rejects[2].reason, "field name holds a NUL character");
}

TEST(JsonlReader, MissingRequiredFieldIsRejected) {
  TempDir dir;
  auto r = ReadOne(dir, Feed::kRights, "rights.jsonl", "{\"record_id\": \"Q011\", \"name\": \"陈刚\"}\n{}\n");
  ASSERT_TRUE(r.table.ok());
  ASSERT_EQ(r.rejects.size(), 2u);
  EXPECT_EQ(r.rejects[0].reason, "required field kind is empty");
  EXPECT_EQ(r.rejects[1].reason, "required field record_id is empty");
}

}  // namespace
}  // namespace rollmatch
