#include "engine/core/writeback.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Write-back is advice: the file's bytes are unchanged, a piece of a file
// still being written can be started, and bad descriptors or paths are
// ignored (the run's sync reports real failures).
TEST(StartWriteback, PiecesAndWholeFilesKeepTheirBytesAndBadInputIsIgnored) {
  const fs::path dir = fs::temp_directory_path() / ("rollmatch-writeback-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "flags.jsonl";
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "{\"flag_id\":\"" + std::to_string(i) + "\",\"name\":\"张伟\"}\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  const size_t half = text.size() / 2;
  ASSERT_EQ(::write(fd, text.data(), half), static_cast<ssize_t>(half));
  StartWriteback(fd, 0, half);
  ASSERT_EQ(::write(fd, text.data() + half, text.size() - half), static_cast<ssize_t>(text.size() - half));
  StartWriteback(fd, half, 0);
  ASSERT_EQ(::close(fd), 0);
  StartWritebackOf(path.string());
  EXPECT_EQ(ReadAll(path), text);

  StartWriteback(-1, 0, 0);
  StartWritebackOf((dir / "missing.xlsx").string());
  EXPECT_FALSE(fs::exists(dir / "missing.xlsx"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rollmatch
