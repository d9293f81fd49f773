#include "engine/state/run_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

TEST(RunLock, SecondHolderIsRefusedAtOnceAndTheLockIsFreedWithItsHolder) {
  const fs::path dir = fs::temp_directory_path() / ("rollmatch-lock-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string state = (dir / "state" / "rollmatch.db").string();
  {
    auto first = RunLock::Acquire(state);
    ASSERT_TRUE(first.ok()) << first.status().message();
    // flock is per open file: another process is refused (a child, as a second run would be).
    const pid_t child = ::fork();
    if (child == 0) {
      auto second = RunLock::Acquire(state);
      const bool refused =
          !second.ok() &&
          second.status().message().find("held by pid " + std::to_string(::getppid())) != std::string::npos;
      ::_exit(refused ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the second holder was not refused";
  }
  auto again = RunLock::Acquire(state);
  EXPECT_TRUE(again.ok()) << again.status().message();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rollmatch
