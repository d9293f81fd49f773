#include "engine/normalize/name_keys.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace rollmatch {
namespace {

class NameKeysTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto start = std::chrono::steady_clock::now();
    auto created = NameKeys::Create();
    create_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    keys_ = std::move(created).value().release();
  }
  static void TearDownTestSuite() {
    delete keys_;
    keys_ = nullptr;
  }
  static std::string P(std::string_view name) { return keys_->Pinyin(name); }
  static std::string F(std::string_view name) { return keys_->FoldVariants(name); }
  static char32_t C(std::string_view one) {
    const std::u32string u = ToU32(one);
    EXPECT_EQ(u.size(), 1u) << one;
    return u.empty() ? 0 : u[0];
  }
  static bool SameSound(std::string_view a, std::string_view b) { return keys_->SameSound(C(a), C(b)); }
  static bool SimilarShape(std::string_view a, std::string_view b) { return keys_->SimilarShape(C(a), C(b)); }
  static size_t SurnameLength(std::string_view name) { return keys_->SurnameLength(ToU32(name)); }

  static NameKeys* keys_;
  static double create_seconds_;
};

NameKeys* NameKeysTest::keys_ = nullptr;
double NameKeysTest::create_seconds_ = 0;

TEST_F(NameKeysTest, CreateIsFast) {
  // Typically 0.5 s in a release build (ICU Han-Latin over 28,000 BMP code
  // points); generous for sanitizer and debug builds.
  EXPECT_LT(create_seconds_, 10.0);
  RecordProperty("create_seconds", std::to_string(create_seconds_));
}

TEST_F(NameKeysTest, TonelessPinyinJoined) {
  EXPECT_EQ(P("王伟"), "wangwei");
  EXPECT_EQ(P("王玮"), "wangwei");
  EXPECT_EQ(P("张明华"), "zhangminghua");
  EXPECT_EQ(P(""), "");
}

TEST_F(NameKeysTest, UmlautIsV) {
  EXPECT_EQ(P("吕"), "lv");
  EXPECT_EQ(P("卢"), "lu");
  EXPECT_NE(P("吕明"), P("卢明"));
  EXPECT_EQ(P("王律"), "wanglv");
  EXPECT_EQ(P("王绿"), "wanglv");
  EXPECT_EQ(P("王女"), "wangnv");
  EXPECT_EQ(P("吕女"), "lvnv");
  EXPECT_EQ(P("王略"), "wanglve");
  EXPECT_EQ(P("王菊"), "wangju");  // ju/qu/xu/yu keep u
}

TEST_F(NameKeysTest, SurnameReadings) {
  EXPECT_EQ(P("单雄信"), "shanxiongxin");
  EXPECT_EQ(P("朴"), "piao");
  EXPECT_EQ(P("覃"), "qin");
  EXPECT_EQ(P("缪"), "miao");
  EXPECT_EQ(P("黑"), "he");
  EXPECT_EQ(P("曾"), "zeng");
  EXPECT_EQ(P("解"), "xie");
  EXPECT_EQ(P("仇"), "qiu");
  EXPECT_EQ(P("区"), "ou");
  EXPECT_EQ(P("查良镛"), "zhaliangyong");
  EXPECT_EQ(P("乐"), "yue");
  EXPECT_EQ(P("翟"), "zhai");
  EXPECT_EQ(P("曾国藩"), "zengguofan");
}

TEST_F(NameKeysTest, SurnameReadingOnlyAtTheStart) {
  EXPECT_EQ(P("王单"), "wangdan");
  EXPECT_EQ(P("王曾"), "wangceng");
  EXPECT_EQ(P("单单"), "shandan");
}

TEST_F(NameKeysTest, CompoundSurnames) {
  EXPECT_EQ(P("尉迟恭"), "yuchigong");
  EXPECT_EQ(SurnameLength("尉迟恭"), 2u);
  EXPECT_EQ(P("万俟"), "moqi");
  EXPECT_EQ(P("万俟卨"), "moqixie");
  EXPECT_EQ(P("长孙无忌"), "zhangsunwuji");
  EXPECT_EQ(P("欧阳修"), "ouyangxiu");
  EXPECT_EQ(P("万明"), "wanming");  // 万 alone is a single surname
}

TEST_F(NameKeysTest, NonHanCharactersPassThrough) {
  EXPECT_EQ(P("买买提·艾力"), "maimaitiaili");
  EXPECT_EQ(P("查干·巴特尔"), "chaganbateer");  // not a surname: no zha
  EXPECT_EQ(P("王A"), "wangA");
  EXPECT_EQ(P("john"), "JOHN");
  EXPECT_EQ(P("王〇"), "wangling");
}

TEST_F(NameKeysTest, SurnameLength) {
  EXPECT_EQ(SurnameLength(""), 0u);
  EXPECT_EQ(SurnameLength("王"), 1u);
  EXPECT_EQ(SurnameLength("王伟"), 1u);
  for (const char* name :
       {"欧阳修", "司马光", "上官婉儿", "诸葛亮", "尉迟恭", "万俟卨", "皇甫嵩", "令狐冲", "长孙无忌",
        "慕容复", "南宫适", "东方朔", "夏侯惇", "公孙胜", "宇文泰", "端木赐", "司徒雷登", "独孤求败"}) {
    EXPECT_EQ(SurnameLength(name), 2u) << name;
  }
  EXPECT_EQ(SurnameLength("万明"), 1u);
}

TEST_F(NameKeysTest, SameSound) {
  EXPECT_TRUE(SameSound("伟", "玮"));
  EXPECT_TRUE(SameSound("伟", "卫"));  // same syllable, other tone
  EXPECT_FALSE(SameSound("伟", "王"));
  EXPECT_FALSE(SameSound("吕", "卢"));
  EXPECT_TRUE(SameSound("单", "善"));  // a polyphone reads shan too
  EXPECT_TRUE(SameSound("单", "丹"));
  EXPECT_TRUE(SameSound("长", "常"));  // zhang by default, chang too
  EXPECT_TRUE(SameSound("王", "王"));
  EXPECT_TRUE(SameSound("玮", "伟"));  // symmetric
  EXPECT_FALSE(SameSound("王", "A"));
}

TEST_F(NameKeysTest, SimilarShape) {
  EXPECT_TRUE(SimilarShape("末", "未"));
  EXPECT_TRUE(SimilarShape("未", "末"));
  EXPECT_TRUE(SimilarShape("己", "纪"));
  EXPECT_TRUE(SimilarShape("龙", "庞"));
  EXPECT_FALSE(SimilarShape("王", "李"));
  EXPECT_FALSE(SimilarShape("末", "龙"));
}

TEST_F(NameKeysTest, FoldVariants) {
  EXPECT_EQ(F("峯"), "峰");
  EXPECT_EQ(F("堃"), "坤");
  EXPECT_EQ(F("喆"), "哲");
  EXPECT_EQ(F("邨"), "村");
  EXPECT_EQ(F("綫"), "线");
  EXPECT_EQ(F("羣"), "群");
  EXPECT_EQ(F("裏"), "里");
  EXPECT_EQ(F("王喆"), "王哲");
  EXPECT_EQ(F("张堃峯"), "张坤峰");
  for (const char* same :
       {"王", "伟", "张", "李", "明", "华", "淼", "沈", "彬", "斌", "于", "他", "她", "甯"}) {
    EXPECT_EQ(F(same), same);
  }
  EXPECT_EQ(F("ABC·王"), "ABC·王");
}

TEST_F(NameKeysTest, FoldVariantsIsIdempotent) {
  for (char32_t c = 0x3400; c < 0x32000; ++c) {
    if (c == 0xA000) c = 0xF900;
    if (c == 0xFB00) c = 0x20000;
    const std::string once = F(ToUtf8(std::u32string(1, c)));
    ASSERT_EQ(F(once), once) << std::hex << static_cast<uint32_t>(c);
  }
}

TEST_F(NameKeysTest, EveryCharacterWithAUnihanReadingHasOne) {
  // ICU reads the URO block except 86 characters that have no Unihan
  // kMandarin either (鿐 and the other recent additions; 兙 and the other
  // two-syllable unit characters).
  int missing = 0;
  for (char32_t c = 0x4E00; c <= 0x9FFF; ++c) {
    const std::string p = P(ToUtf8(std::u32string(1, c)));
    if (p.empty() || static_cast<unsigned char>(p[0]) >= 0x80) ++missing;
  }
  EXPECT_LE(missing, 86);
  // Planes 2-3 from Unihan kMandarin: 通用规范汉字表 name characters.
  EXPECT_EQ(P("王𬘓"), "wangxun");     // U+2C613, Ext E
  EXPECT_EQ(P("王𠳐"), "wangbang");       // U+20CD0, Ext B
  EXPECT_EQ(P("𠮷"), "𠮷");               // U+20BB7 has no Mandarin reading: kept as is
  EXPECT_EQ(P("\xEF\xA4\x80"), P("豈"));  // U+F900 compatibility ideograph reads as U+8C48
}

TEST_F(NameKeysTest, Utf8Helpers) {
  EXPECT_EQ(ToU32("王a"), std::u32string(U"王a"));
  EXPECT_EQ(ToUtf8(U"王a𠮷"), "王a𠮷");
  EXPECT_EQ(ToU32("\xFF"), std::u32string(1, 0xFFFD));
  EXPECT_EQ(ToU32("a\xE7\x8E"), (std::u32string{U'a', 0xFFFD}));               // truncated
  EXPECT_EQ(ToU32("\xED\xA0\x80"), (std::u32string{0xFFFD, 0xFFFD, 0xFFFD}));  // surrogate
  EXPECT_EQ(ToUtf8(std::u32string(1, 0xD800)), "\xEF\xBF\xBD");
  EXPECT_EQ(ToUtf8(std::u32string(1, 0x110000)), "\xEF\xBF\xBD");
  EXPECT_EQ(P("王\xFF"), "wang\xEF\xBF\xBD");
}

TEST_F(NameKeysTest, ConcurrentQueries) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < 2000; ++i) {
        failures[t] += P("单雄信") != "shanxiongxin";
        failures[t] += F("张堃") != "张坤";
        failures[t] += !keys_->SameSound(U'伟', U'玮');
        failures[t] += !keys_->SimilarShape(U'末', U'未');
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST_F(NameKeysTest, PinyinThroughput) {
  const std::vector<std::string> names = {"王伟",   "李娜",     "张敏",   "刘洋",   "陈静", "杨勇",
                                          "单雄信", "欧阳娜娜", "赵丽颖", "黄晓明", "吕布", "诸葛亮",
                                          "周杰伦", "吴京",     "徐峥",   "孙俪"};
  size_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  constexpr int kRounds = 20000;
  for (int r = 0; r < kRounds; ++r) {
    for (const std::string& n : names) bytes += P(n).size();
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double per_second = kRounds * names.size() / s;
  RecordProperty("pinyin_names_per_second", std::to_string(per_second));
  std::printf("NameKeys: Create %.3f s, Pinyin %.2f M names/s\n", create_seconds_, per_second / 1e6);
  EXPECT_GT(bytes, 0u);
}

}  // namespace
}  // namespace rollmatch
