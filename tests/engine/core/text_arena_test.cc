#include "engine/core/text_arena.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace rollmatch {
namespace {

TEST(Text, DefaultIsEmptyWithoutArena) {
  const Text t;
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.view(), "");
  EXPECT_EQ(t, "");
  EXPECT_EQ(sizeof(Text), sizeof(void*));
}

TEST(TextArena, AddKeepsTheBytes) {
  TextArena arena;
  const Text a = arena.Add("320481101203");
  const Text b = arena.Add("王伟");
  EXPECT_EQ(a, "320481101203");
  EXPECT_EQ(b.view(), "王伟");
  EXPECT_EQ(b.size(), 6u);
  EXPECT_TRUE(arena.Add("").empty());
  EXPECT_EQ(arena.bytes_used(), 13u + 7u);  // one length byte each
}

TEST(TextArena, LongTextsUseAFourByteLength) {
  TextArena arena;
  const std::string s254(254, 'a'), s255(255, 'b'), s70k(70000, 'c');
  const Text a = arena.Add(s254), b = arena.Add(s255), c = arena.Add(s70k);
  EXPECT_EQ(a.view(), s254);
  EXPECT_EQ(b.view(), s255);
  EXPECT_EQ(c.view(), s70k);
  EXPECT_EQ(arena.bytes_used(), 255u + 260u + 70005u);
}

TEST(TextArena, TextsStayWhereTheyAreWhenTheArenaGrowsAndMoves) {
  TextArena arena;
  std::vector<Text> texts;
  std::vector<std::string> expected;
  for (int i = 0; i < 200000; ++i) {  // several 1 MiB blocks
    expected.push_back("text-" + std::to_string(i));
    texts.push_back(arena.Add(expected.back()));
  }
  TextArena moved = std::move(arena);
  TextArena absorber;
  const Text own = absorber.Add("own");
  absorber.Absorb(std::move(moved));
  const Text after = absorber.Add("after");
  for (size_t i = 0; i < texts.size(); ++i) ASSERT_EQ(texts[i], expected[i]) << i;
  EXPECT_EQ(own, "own");
  EXPECT_EQ(after, "after");
  EXPECT_EQ(moved.bytes_used(), 0u);
  EXPECT_GE(absorber.bytes_allocated(), absorber.bytes_used());
}

TEST(Text, ComparesConcatenatesAndPrintsLikeAString) {
  TextArena arena;
  const Text a = arena.Add("3204"), b = arena.Add("3204"), c = arena.Add("3205");
  EXPECT_TRUE(a == b);
  EXPECT_TRUE(a != c);
  EXPECT_TRUE(a < c);
  EXPECT_TRUE(a == std::string("3204"));
  EXPECT_TRUE(std::string_view("3204") == a);
  EXPECT_EQ("户籍（" + a + "）", "户籍（3204）");
  EXPECT_EQ(a + "01", "320401");
  EXPECT_EQ(a.substr(0, 2), "32");
  std::string s;
  s += a;
  s = c;
  EXPECT_EQ(s, "3205");
  std::ostringstream os;
  os << a;
  EXPECT_EQ(os.str(), "3204");
}

TEST(TextList, HoldsAListOfTexts) {
  TextArena arena;
  EXPECT_TRUE(arena.AddList(std::vector<std::string>{}).empty());
  const std::string long_name(300, 'x');
  const TextList list = arena.AddList(std::vector<std::string>{"王小明", "", long_name, "李"});
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0], "王小明");
  EXPECT_EQ(list[1], "");
  EXPECT_EQ(list[2], long_name);
  EXPECT_EQ(list[3], "李");
  std::vector<std::string> got;
  for (std::string_view s : list) got.emplace_back(s);
  EXPECT_EQ(got, (std::vector<std::string>{"王小明", "", long_name, "李"}));
  EXPECT_NE(std::find(list.begin(), list.end(), std::string_view("李")), list.end());
  EXPECT_EQ(std::find(list.begin(), list.end(), std::string_view("张")), list.end());
  const TextList empty;
  EXPECT_EQ(empty.begin(), empty.end());
  EXPECT_EQ(empty.size(), 0u);
}

}  // namespace
}  // namespace rollmatch
