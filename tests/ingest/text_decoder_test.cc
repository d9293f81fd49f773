#include "ingest/text_decoder.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/ingest/ingest_test_util.h"

namespace rollmatch {
namespace {

TEST(TextDecoder, EncodingNames) {
  EXPECT_EQ(EncodingFromName(""), TextEncoding::kUtf8);
  EXPECT_EQ(EncodingFromName("utf-8"), TextEncoding::kUtf8);
  EXPECT_EQ(EncodingFromName("UTF8"), TextEncoding::kUtf8);
  EXPECT_EQ(EncodingFromName("GB18030"), TextEncoding::kGb18030);
  EXPECT_EQ(EncodingFromName("gbk"), TextEncoding::kGb18030);
  EXPECT_EQ(EncodingFromName("GB2312"), TextEncoding::kGb18030);
  EXPECT_EQ(EncodingFromName("Big5"), std::nullopt);
  EXPECT_EQ(EncodingFromName("latin1"), std::nullopt);
}

TEST(TextDecoder, EscapeInvalidUtf8ShowsBadBytes) {
  EXPECT_EQ(EscapeInvalidUtf8("张伟", 100), "张伟");
  EXPECT_EQ(EscapeInvalidUtf8("a\xFF"
                              "b",
                              100),
            "a\\xFFb");
  EXPECT_EQ(EscapeInvalidUtf8("\xE5\xBC", 100), "\\xE5\\xBC");           // cut-off character
  EXPECT_EQ(EscapeInvalidUtf8("\xC0\xAF", 100), "\\xC0\\xAF");           // overlong
  EXPECT_EQ(EscapeInvalidUtf8("\xED\xA0\x80", 100), "\\xED\\xA0\\x80");  // surrogate
  EXPECT_EQ(EscapeInvalidUtf8(std::string(1, '\0'), 100), "\\x00");      // invisible control bytes
  EXPECT_EQ(EscapeInvalidUtf8("a\x7F\x1B\tb\r\n", 100), "a\\x7F\\x1B\tb\r\n");
  EXPECT_EQ(EscapeInvalidUtf8("张伟", 5), "张");
  EXPECT_EQ(EscapeInvalidUtf8("ab\xFF", 5), "ab");
}

TEST(TextDecoder, Gb18030DecodesAndStopsAtInvalidBytes) {
  Gb18030Decoder decoder;
  ASSERT_TRUE(decoder.Open().ok());
  std::string out;
  const std::string encoded = testing::ToGb18030("郑丽,周敏,𠀀");
  EXPECT_TRUE(decoder.Decode(encoded, &out));
  EXPECT_EQ(out, "郑丽,周敏,𠀀");
  EXPECT_FALSE(decoder.Decode(encoded.substr(0, encoded.size() - 1), &out));  // cut-off character
  EXPECT_FALSE(decoder.Decode("\x81\x2C", &out));
  EXPECT_FALSE(decoder.Decode("\x80", &out));
  EXPECT_FALSE(decoder.Decode("\xFF", &out));
  EXPECT_TRUE(decoder.Decode("", &out));
  EXPECT_EQ(out, "");
  EXPECT_EQ(decoder.DecodeForDisplay(testing::ToGb18030("周") + "\xFF"), "周\\xFF");
}

}  // namespace
}  // namespace rollmatch
