#pragma once
// The exclusive lock of a nightly run: flock(2) on a lock file beside the
// state database (<state>.lock), held from the start of a run until its end
// (or the process's death: the kernel drops it, so a killed run never
// leaves a stale lock). A second run on the same state database fails at
// once instead of waiting. The file holds the holder's pid, for the message.

#include <string>

#include "engine/core/status.h"

namespace rollmatch {

class RunLock {
 public:
  // Takes the lock of the state database at `state_path` without waiting.
  // Fails with a message naming the lock file and the holder's pid when
  // another process holds it.
  static Result<RunLock> Acquire(const std::string& state_path);
  // The lock file of a state database.
  static std::string PathFor(const std::string& state_path) { return state_path + ".lock"; }

  RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace rollmatch
