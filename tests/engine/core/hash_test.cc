#include "engine/core/hash.h"

#include <gtest/gtest.h>

#include <string>

namespace rollmatch {
namespace {

TEST(Hash, StableAndSeeded) {
  EXPECT_EQ(Hash64("320481198005121014"), Hash64(std::string("320481198005121014")));
  EXPECT_NE(Hash64("320481198005121014"), Hash64("320481198005121030"));
  EXPECT_NE(Hash64("abc", 1), Hash64("abc", 2));
  EXPECT_EQ(HashHex(0x5c1f0a9e2b7d4c13ULL), "5c1f0a9e2b7d4c13");
}

TEST(Hash, StreamingEqualsOneShot) {
  std::string text = "record_id,name\nH001,张伟\n";
  StreamingHash h;
  h.Update(text.data(), 5);
  h.Update(text.data() + 5, text.size() - 5);
  EXPECT_EQ(h.Digest(), Hash64(text));
}

}  // namespace
}  // namespace rollmatch
