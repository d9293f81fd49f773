#include "engine/report/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <string>

namespace rollmatch {
namespace {

// True when `json` is one valid JSON document (simdjson also validates UTF-8).
bool ParsesAsJson(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  return parser.parse(json).get(doc) == simdjson::SUCCESS;
}

std::string Quoted(std::string_view bytes) {
  std::string out;
  AppendJsonString(&out, bytes);
  return out;
}

TEST(JsonWriter, CommasAndNesting) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.KeyString("a", "x");
  w.Key("b");
  w.BeginArray();
  w.Int(-1);
  w.Uint(18446744073709551615ULL);
  w.BeginObject();
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.Bool(true);
  w.Null();
  w.EndArray();
  w.KeyBool("c", false);
  w.EndObject();
  EXPECT_TRUE(w.complete());
  EXPECT_EQ(out, R"({"a":"x","b":[-1,18446744073709551615,{},[],true,null],"c":false})");
  EXPECT_TRUE(ParsesAsJson(out));
}

TEST(JsonWriter, AppendsWithoutClearing) {
  std::string out = "prefix ";
  JsonWriter w(&out);
  w.String("s");
  EXPECT_EQ(out, "prefix \"s\"");
}

TEST(JsonWriter, DoubleFixedPrecision) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  w.Double(0.99812, 3);
  w.Double(1.0, 3);
  w.Double(0.75, 6);
  w.Double(0.0005, 3);
  w.Double(std::numeric_limits<double>::quiet_NaN(), 3);
  w.Double(std::numeric_limits<double>::infinity());
  w.Double(-2.5, 1);
  w.EndArray();
  EXPECT_EQ(out, "[0.998,1.000,0.750000,0.001,null,null,-2.5]");
  EXPECT_TRUE(ParsesAsJson(out));
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(Quoted("say \"hi\""), R"("say \"hi\"")");
  EXPECT_EQ(Quoted("C:\\dir"), R"("C:\\dir")");
  EXPECT_EQ(Quoted("a\nb\r\tc"), R"("a\nb\r\tc")");
  EXPECT_EQ(Quoted(std::string_view("\x00\x01\x1f\x7f", 4)), R"("\u0000\u0001\u001f\u007f")");
  EXPECT_EQ(Quoted("\x08\x0c"), R"("\u0008\u000c")");
  EXPECT_EQ(Quoted("/"), R"("/")");
}

TEST(JsonWriter, PassesValidUtf8Through) {
  EXPECT_EQ(Quoted("张伟"), "\"张伟\"");
  EXPECT_EQ(Quoted("𠀀 é"), "\"𠀀 é\"");  // 4-byte and 2-byte sequences
  EXPECT_EQ(Quoted("a\u2028b"), R"("a\u2028b")");
}

TEST(JsonWriter, ReplacesInvalidUtf8) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(Quoted("a\xFF"
                   "b"),
            "\"a" + fffd + "b\"");
  EXPECT_EQ(Quoted("\xC0\xAF"), "\"" + fffd + fffd + "\"");                        // overlong '/'
  EXPECT_EQ(Quoted("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");             // surrogate
  EXPECT_EQ(Quoted("\xF4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");  // > U+10FFFF
  EXPECT_EQ(Quoted("张\xE5\xBC"), "\"张" + fffd + fffd + "\"");                    // truncated at the end
  EXPECT_EQ(Quoted("\xE5\xBC"
                   "a"),
            "\"" + fffd + fffd + "a\"");          // truncated before ASCII
  EXPECT_EQ(Quoted("\x80"), "\"" + fffd + "\"");  // lone continuation
  // GB18030 bytes of 张伟 read as if UTF-8.
  const std::string gb = "\xD5\xC5\xCE\xB0";
  EXPECT_TRUE(ParsesAsJson(Quoted(gb)));
}

TEST(JsonWriter, EveryByteStringGivesValidJson) {
  // All single bytes and all byte pairs, alone and between quotes/escapes.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      std::string s = {'"', static_cast<char>(a), static_cast<char>(b), '\\'};
      std::string out;
      JsonWriter w(&out);
      w.BeginObject();
      w.KeyString(s, s);
      w.EndObject();
      ASSERT_TRUE(ParsesAsJson(out)) << a << " " << b << ": " << out;
    }
  }
}

TEST(JsonWriter, ValidUtf8Helper) {
  std::string out;
  AppendValidUtf8(&out, "ok\xFF张");
  EXPECT_EQ(out, "ok\xEF\xBF\xBD张");
  EXPECT_EQ(Utf8SequenceLength("张"), 3);
  EXPECT_EQ(Utf8SequenceLength("\xC2\xA0"), 2);
  EXPECT_EQ(Utf8SequenceLength("\xC1\xBF"), 0);
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x98\x80"), 4);
  EXPECT_EQ(Utf8SequenceLength("\xF0\x8F\xBF\xBF"), 0);
}

TEST(JsonWriter, InlineUtf8LengthAgreesWithTheFullCheck) {
  // Every lead byte with continuation bytes around the edges of the allowed
  // ranges, whole and cut short.
  const unsigned char tails[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xA8, 0xBF, 0xC0, 0xFF};
  for (int lead = 0; lead < 256; ++lead) {
    for (unsigned char t1 : tails) {
      for (unsigned char t2 : tails) {
        for (unsigned char t3 : {0x80, 0x41}) {
          const char bytes[] = {'x', static_cast<char>(lead), static_cast<char>(t1), static_cast<char>(t2),
                                static_cast<char>(t3)};
          for (size_t len = 2; len <= sizeof bytes; ++len) {
            const std::string_view s(bytes, len);
            ASSERT_EQ(Utf8LengthAt(s, 1), Utf8SequenceLength(s.substr(1)))
                << lead << " " << int(t1) << " " << int(t2) << " len " << len;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace rollmatch
