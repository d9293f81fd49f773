#include "engine/pipeline/run_commit.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace rollmatch {
namespace fs = std::filesystem;

namespace {

Status SyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(path + ": cannot open to sync: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Status::IoError(path + ": cannot sync to disk: " + std::strerror(err));
  return Status::Ok();
}

std::string StagingPrefix(const std::string& out_dir) {
  return fs::path(out_dir).filename().string() + ".staging-";
}

}  // namespace

Result<StagingFolder> StagingFolder::Create(const std::string& out_dir) {
  std::error_code ec;
  const fs::path out = fs::absolute(fs::path(out_dir), ec);
  const fs::path parent = out.parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec)
      return Status::IoError(parent.string() + ": cannot create the folder of the outputs: " + ec.message());
  }
  const std::string staging = out_dir + ".staging-" + std::to_string(::getpid());
  fs::remove_all(staging, ec);
  if (::mkdir(staging.c_str(), 0700) != 0) {
    return Status::IoError(staging + ": cannot create the new output folder: " + std::strerror(errno));
  }
  return StagingFolder(staging);
}

StagingFolder::~StagingFolder() {
  if (path_.empty()) return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

Status SyncTree(const std::string& dir) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const bool is_dir = it->is_directory(ec);
    if (!is_dir && !it->is_regular_file(ec)) continue;
    RM_RETURN_IF_ERROR(SyncPath(it->path().string(), is_dir));
  }
  if (ec) return Status::IoError(dir + ": cannot list the new outputs: " + ec.message());
  return SyncPath(dir, true);
}

Status SyncParent(const std::string& path) {
  std::error_code ec;
  fs::path parent = fs::absolute(fs::path(path), ec).parent_path();
  if (parent.empty()) parent = ".";
  return SyncPath(parent.string(), true);
}

Status SwapIn(const std::string& staging, const std::string& target, bool* exchanged) {
  std::error_code ec;
  *exchanged = false;
  if (fs::exists(fs::symlink_status(target, ec))) {
    if (renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0)
      return Status::IoError(target + ": cannot swap in the new output folder: " + std::strerror(errno));
    *exchanged = true;
    return Status::Ok();
  }
  if (std::rename(staging.c_str(), target.c_str()) != 0)
    return Status::IoError(target + ": cannot move the new output folder in place: " + std::strerror(errno));
  return Status::Ok();
}

std::string ManifestRunId(const std::string& dir) {
  std::ifstream in(dir + "/manifest.json", std::ios::binary);
  if (!in) return "";
  char buf[4096];
  in.read(buf, sizeof buf);
  const std::string head(buf, static_cast<size_t>(in.gcount()));
  const std::string key = "\"run_id\":\"";
  const size_t at = head.find(key);
  if (at == std::string::npos) return "";
  const size_t end = head.find('"', at + key.size());
  if (end == std::string::npos) return "";
  return head.substr(at + key.size(), end - at - key.size());
}

Status RepairInterruptedRuns(StateDb& state, const std::string& out_dir, std::vector<std::string>* warnings) {
  RM_ASSIGN_OR_RETURN(std::vector<PendingSwap> pending, state.PendingSwaps());
  std::error_code ec;
  for (const PendingSwap& p : pending) {
    if (ManifestRunId(p.out_dir) == p.run_id) {
      // Swapped in before the process died; the old folder may remain.
      fs::remove_all(p.staging, ec);
    } else if (ManifestRunId(p.staging) == p.run_id) {
      bool exchanged = false;
      RM_RETURN_IF_ERROR(SwapIn(p.staging, p.out_dir, &exchanged));
      RM_RETURN_IF_ERROR(SyncParent(p.out_dir));
      if (exchanged) fs::remove_all(p.staging, ec);
      warnings->push_back("run " + p.run_id +
                          " was recorded but stopped before its outputs were put in place; " +
                          "they are now in " + p.out_dir);
    } else {
      warnings->push_back("run " + p.run_id + " was recorded but its new outputs are gone; " + p.out_dir +
                          " holds run " + ManifestRunId(p.out_dir));
    }
    RM_RETURN_IF_ERROR(state.ClearPendingSwap(p.run_id));
  }
  // Folders of runs killed before their commit.
  const fs::path out = fs::absolute(fs::path(out_dir), ec);
  const fs::path parent = out.parent_path();
  const std::string prefix = StagingPrefix(out.string());
  for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::error_code rm;
    fs::remove_all(it->path(), rm);
  }
  return Status::Ok();
}

}  // namespace rollmatch
