#include "engine/normalize/name_normalizer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

namespace rollmatch {
namespace {

class NameNormalizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto created = NameNormalizer::Create();
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    normalizer_ = std::move(created).value().release();
  }
  static void TearDownTestSuite() {
    delete normalizer_;
    normalizer_ = nullptr;
  }
  static std::string N(std::string_view raw) { return normalizer_->Normalize(raw); }

  static NameNormalizer* normalizer_;
};

NameNormalizer* NameNormalizerTest::normalizer_ = nullptr;

std::string Utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (c >> 6)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (c >> 12)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (c >> 18)));
    s.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
  return s;
}

TEST_F(NameNormalizerTest, TraditionalToSimplified) {
  EXPECT_EQ(N("楊麗華"), "杨丽华");
  EXPECT_EQ(N("張偉"), "张伟");
  EXPECT_EQ(N("劉德華"), "刘德华");
  EXPECT_EQ(N("鍾"), "钟");
  EXPECT_EQ(N("鐘"), "钟");
  EXPECT_EQ(N("歐陽"), "欧阳");
}

TEST_F(NameNormalizerTest, SimplifiedUnchanged) {
  for (std::string_view name :
       {"王伟", "周敏", "陈思远", "杨丽华", "欧阳娜娜", "于", "余", "后", "里", "发", "松", "征",
        "谷",   "范",   "丰",     "云",     "沈",       "钟", "叶", "萧", "肖", "闫", "严"}) {
    EXPECT_EQ(N(name), name);
  }
}

// Characters of the 通用规范汉字表 that are also the traditional form of
// another character: ICU's Hant-Hans (or OpenCC) would fold them (乾→干,
// 於→于), which would change the name shown in the reports (谢乾青 →
// 谢干青). They are standard characters, written as meant: kept.
TEST_F(NameNormalizerTest, StandardCharactersAreKeptEvenWhenAlsoTraditional) {
  for (std::string_view name : {"乾", "谢乾青", "於", "於梅", "徵", "昇", "著", "藉", "夥", "姊", "吒", "氾",
                                "苎", "苧", "跤", "沈", "甯", "喆", "堃"}) {
    EXPECT_EQ(N(name), name);
  }
  // Their traditional neighbours still fold: 乾 stays, 幹 (traditional 干) does not.
  EXPECT_EQ(N("幹"), "干");
  EXPECT_EQ(N("於陳"), "於陈");
  EXPECT_EQ(N("徵張"), "徵张");
  // Normalizing twice changes nothing.
  EXPECT_EQ(N(N("乾幹於")), N("乾幹於"));
}

// ICU's Hant-Hans leaves several hundred traditional characters unchanged;
// OpenCC's TSCharacters fills them in.
TEST_F(NameNormalizerTest, OpenCcSupplementsIcu) {
  EXPECT_EQ(N("淩"), "凌");
  EXPECT_EQ(N("峯"), "峰");
  EXPECT_EQ(N("嫺"), "娴");
  EXPECT_EQ(N("璿"), "璇");
  EXPECT_EQ(N("澐"), "沄");
  EXPECT_EQ(N("査"), "查");
  EXPECT_EQ(N("鋐"), "\U0002CB4E");  // 𬭎, CJK Extension E
}

TEST_F(NameNormalizerTest, WhitespaceRemoved) {
  EXPECT_EQ(N("王 伟"), "王伟");
  EXPECT_EQ(N("王\u3000伟"), "王伟");
  EXPECT_EQ(N("  王伟\t\r\n"), "王伟");
  EXPECT_EQ(N("王\u00A0伟"), "王伟");
  EXPECT_EQ(N("王\u200B伟"), "王伟");
  EXPECT_EQ(N("王\u200C\u200D伟"), "王伟");
  EXPECT_EQ(N("\uFEFF王伟"), "王伟");
  EXPECT_EQ(N("王\u2003伟\u2028"), "王伟");
}

TEST_F(NameNormalizerTest, EmptyAndBlank) {
  EXPECT_EQ(N(""), "");
  EXPECT_EQ(N("   "), "");
  EXPECT_EQ(N("\u3000\u3000"), "");
  EXPECT_EQ(N("·"), "");
  EXPECT_EQ(N(" ． "), "");
}

TEST_F(NameNormalizerTest, FullWidthAndLatinUppercased) {
  EXPECT_EQ(N("ＡＢＣ"), "ABC");
  EXPECT_EQ(N("ａｂｃ"), "ABC");
  EXPECT_EQ(N("Zhang Wei"), "ZHANGWEI");
  EXPECT_EQ(N("zhāng"), "ZHĀNG");
  EXPECT_EQ(N("ﬁ"), "FI");
  EXPECT_EQ(N("王１"), "王1");
}

TEST_F(NameNormalizerTest, DotVariantsUnified) {
  const std::string want = "阿卜杜拉·艾买提";
  for (std::string_view dot :
       {"·", "•", "・", "‧", "．", ".", "･", "∙", "⋅", "·", "᛫", "⸱", "﹒", "。", "ꞏ"}) {
    EXPECT_EQ(N("阿卜杜拉" + std::string(dot) + "艾买提"), want) << dot;
  }
  EXPECT_EQ(N("阿卜杜拉 · 艾买提"), want);
  EXPECT_EQ(N("阿卜杜拉··艾买提"), want);
  EXPECT_EQ(N("阿卜杜拉.・艾买提"), want);
  EXPECT_EQ(N("阿卜杜拉…艾买提"), want);  // NFKC: "..."
  EXPECT_EQ(N("·阿卜杜拉·艾买提·"), want);
  EXPECT_EQ(N("..阿卜杜拉·艾买提. "), want);
  EXPECT_EQ(N("买买提·吐尔逊·阿不都"), "买买提·吐尔逊·阿不都");
}

TEST_F(NameNormalizerTest, CompatibilityIdeographsToUnified) {
  EXPECT_EQ(N("\uF900"), N("\u8C48"));     // 豈 (compatibility) and 豈 (unified)...
  EXPECT_EQ(N("\u8C48"), "\u5C82");        // ...both → 岂 (Hant-Hans after NFKC)
  EXPECT_EQ(N("\uF9DC"), "\u9686");        // 隆
  EXPECT_EQ(N("\U0002F800"), "\u4E3D");    // 丽
  EXPECT_EQ(N("\u2F00"), "\u4E00");        // Kangxi radical one → 一
  EXPECT_EQ(N("\u337B"), "\u5E73\u6210");  // ㍻ → 平成 (one code point to two)
}

TEST_F(NameNormalizerTest, IgnorablesRemoved) {
  EXPECT_EQ(N("葛\U000E0100"), "葛");  // ideographic variation selector
  EXPECT_EQ(N("王\uFE0F伟"), "王伟");
  EXPECT_EQ(N("王\u00AD伟"), "王伟");  // soft hyphen
  EXPECT_EQ(N("王\u0001伟"), "王伟");
}

TEST_F(NameNormalizerTest, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(N("王\xFF伟"), "王\uFFFD伟");
  EXPECT_EQ(N("王\xE4\xBC"), "王\uFFFD");                        // truncated 3-byte sequence: one U+FFFD
  EXPECT_EQ(N("\xC0\xAF"), "\uFFFD\uFFFD");                      // overlong
  EXPECT_EQ(N("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");            // surrogate
  EXPECT_EQ(N("\xF4\x90\x80\x80"), "\uFFFD\uFFFD\uFFFD\uFFFD");  // above U+10FFFF
  EXPECT_EQ(N("\U0010FFFD"), "\U0010FFFD");                      // private use above the table: kept
}

TEST_F(NameNormalizerTest, LongAndExpandingInput) {
  std::string raw, want;
  for (int i = 0; i < 200; ++i) {
    raw += "楊 ";
    want += "杨";
  }
  EXPECT_EQ(N(raw), want);
  // U+FDFA expands to 18 code points under NFKC.
  const std::string expanded = N("\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA");
  EXPECT_GT(expanded.size(), 8u * 18u);
  EXPECT_EQ(N(expanded), expanded);
}

// Normalizing a normalized name changes nothing, for every code point.
TEST_F(NameNormalizerTest, IdempotentForEveryCodePoint) {
  int failures = 0;
  for (char32_t c = 0; c <= 0x10FFFF && failures < 10; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string once = N(Utf8(c));
    const std::string twice = N(once);
    if (once != twice) {
      ++failures;
      ADD_FAILURE() << "U+" << std::hex << static_cast<uint32_t>(c) << ": " << once << " → " << twice;
    }
  }
}

// True when s is well-formed UTF-8 (no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80                   ? 1
                 : (b >= 0xC2 && b <= 0xDF) ? 2
                 : (b >= 0xE0 && b <= 0xEF) ? 3
                 : (b >= 0xF0 && b <= 0xF4) ? 4
                                            : 0;
    if (len == 0 || i + len > s.size()) return false;
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (size_t k = 1; k < len; ++k) {
      const unsigned char t = static_cast<unsigned char>(s[i + k]);
      if ((t & 0xC0) != 0x80) return false;
      c = (c << 6) | (t & 0x3F);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

// Random bytes (mostly ill-formed UTF-8) and random code points: the output
// is well-formed UTF-8, normalizing it again changes nothing, and it holds
// no leading, trailing or doubled dot.
TEST_F(NameNormalizerTest, RandomInputGivesStableValidUtf8) {
  std::mt19937 rng(20240601);
  for (int i = 0; i < 20000; ++i) {
    std::string raw;
    const int len = static_cast<int>(rng() % 24);
    for (int k = 0; k < len; ++k) {
      if (i % 2 == 0) {
        raw.push_back(static_cast<char>(rng() & 0xFF));
      } else {
        const char32_t pool[] = {0x00B7, 0x2022, 0x002E, 0x0020, 0x3000,
                                 0x6768, 0x9E97, 0x0061, 0xFDFA, 0x200B};
        raw += Utf8(rng() % 3 == 0 ? pool[rng() % 10] : static_cast<char32_t>(rng() % 0x30000));
      }
    }
    const std::string once = N(raw);
    ASSERT_TRUE(IsValidUtf8(once)) << i;
    ASSERT_EQ(N(once), once) << i;
    const std::string_view view = once;
    EXPECT_FALSE(view.starts_with("\u00B7") || view.ends_with("\u00B7")) << once;
    EXPECT_EQ(view.find("\u00B7\u00B7"), std::string_view::npos) << once;
  }
}

TEST_F(NameNormalizerTest, NormalizeListSplitsAndDropsEmpty) {
  EXPECT_EQ(normalizer_->NormalizeList("张三;張四，王 五、 ；李六,,"),
            (std::vector<std::string>{"张三", "张四", "王五", "李六"}));
  EXPECT_EQ(normalizer_->NormalizeList(""), std::vector<std::string>{});
  EXPECT_EQ(normalizer_->NormalizeList(" ; ，"), std::vector<std::string>{});
  EXPECT_EQ(normalizer_->NormalizeList("阿卜杜拉•艾买提"), std::vector<std::string>{"阿卜杜拉·艾买提"});
}

TEST_F(NameNormalizerTest, WithoutDots) {
  EXPECT_EQ(NameNormalizer::WithoutDots("阿卜杜拉·艾买提"), "阿卜杜拉艾买提");
  EXPECT_EQ(NameNormalizer::WithoutDots("王伟"), "王伟");
  EXPECT_EQ(NameNormalizer::WithoutDots(""), "");
}

TEST_F(NameNormalizerTest, ThreadSafe) {
  const std::vector<std::string> names = {"楊麗華", "張偉", "阿卜杜拉•艾买提", "ＡＢＣ", "王　伟", "陈思远"};
  std::vector<std::string> want;
  for (const std::string& n : names) want.push_back(N(n));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        const size_t k = static_cast<size_t>(i) % names.size();
        if (normalizer_->Normalize(names[k]) != want[k]) ++mismatches[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace rollmatch
