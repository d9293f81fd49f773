#include "engine/province/fingerprints.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

TEST(Fingerprints, HmacSha256OfTheIdInBase32) {
  // RFC 4231 test case 2: HMAC-SHA-256("Jefe", "what do ya want for nothing?") =
  // 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843, here in base32.
  EXPECT_EQ(IdFingerprint("Jefe", "what do ya want for nothing?"),
            "lpomcrv7mb2u42qeeqtarflvy5naapyituttta455rmlszhmhbbq");
  const std::string a = IdFingerprint("province-secret-0123456789", "32048119900101123X");
  EXPECT_EQ(a.size(), 52u);
  EXPECT_NE(a, IdFingerprint("another-secret-0123456789", "32048119900101123X"));
  EXPECT_FALSE(std::regex_search(a, std::regex("[0-9]{15}")));
  EXPECT_EQ(KeyId("province-secret-0123456789").size(), 13u);
}

class CrosscheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rollmatch-fp-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string File(const std::string& name, const std::vector<Fingerprint>& rows) {
    const std::string path = (dir_ / name).string();
    EXPECT_TRUE(WriteFingerprints(path, rows).ok());
    return path;
  }
  Fingerprint Row(const std::string& secret, const std::string& id, const std::string& township,
                  const std::string& record) {
    return {IdFingerprint(secret, id), KeyId(secret), township.substr(0, 6), township, record};
  }
  fs::path dir_;
  const std::string secret_ = "province-secret-0123456789";
};

TEST_F(CrosscheckTest, FindsPersonsRegisteredInTwoCountiesOnly) {
  const std::string a =
      File("a.csv", {Row(secret_, "32048119900101123X", "320481101", "R1"),
                     Row(secret_, "320481199001011254", "320481102", "R2"),
                     Row(secret_, "320481199001011254", "320481103", "R3")});  // in-county twice
  const std::string b = File("b.csv", {Row(secret_, "32048119900101123X", "320413001", "B7"),
                                       Row(secret_, "320413198001011234", "320413001", "B8")});
  auto result = Crosscheck({a, b});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->persons, 1u);
  ASSERT_EQ(result->by_county.at("320481").size(), 1u);
  EXPECT_EQ(result->by_county.at("320481")[0].record_id, "R1");
  EXPECT_EQ(result->by_county.at("320481")[0].other_counties, std::vector<std::string>{"320413"});
  EXPECT_EQ(result->by_county.at("320413")[0].record_id, "B7");
  EXPECT_EQ(result->by_county.at("320481")[0].case_id, result->by_county.at("320413")[0].case_id);
}

TEST_F(CrosscheckTest, AnotherSecretAndAnOverlapAreRefused) {
  const std::string a = File("a.csv", {Row(secret_, "32048119900101123X", "320481101", "R1")});
  const std::string b =
      File("b.csv", {Row("county-own-secret-0123456", "32048119900101123X", "320413001", "B7")});
  auto mixed = Crosscheck({a, b});
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("made with another secret"), std::string::npos);
  auto twice = Crosscheck({a, a});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("overlapping"), std::string::npos);
}

TEST_F(CrosscheckTest, AFileThatIsNotOursIsRefusedWithItsLine) {
  const std::string path = (dir_ / "bad.csv").string();
  std::ofstream(path)
      << "fingerprint,key_id,county,township,record_id\n32048119900101123X,x,320481,320481101,R1\n";
  auto result = Crosscheck({path});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("bad.csv:2"), std::string::npos);
}

TEST(SecretFile, ShortSecretIsRefused) {
  const fs::path p = fs::temp_directory_path() / ("rollmatch-secret-" + std::to_string(::getpid()));
  std::ofstream(p) << "short\n";
  auto s = ReadSecretFile(p.string());
  EXPECT_FALSE(s.ok());
  std::ofstream(p) << "a-long-enough-secret-0123\n";
  s = ReadSecretFile(p.string());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "a-long-enough-secret-0123");
  fs::remove(p);
}

}  // namespace
}  // namespace rollmatch
