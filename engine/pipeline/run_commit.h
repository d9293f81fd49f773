#pragma once
// Putting a run's outputs in place and recording it in the state database
// as one step (issue 6), and repairing a run that was killed half-way.
//
// The order. A run holds the run lock (engine/state/run_lock.h) from its
// start. It writes every output into OUT.staging-<pid> beside OUT and
// fsyncs it. Then, in one SQLite transaction, it records the run, its flag
// history and the swap still to do (table pending_swap: run id, staging
// folder, OUT); that COMMIT is the commit point. Then it exchanges the
// staging folder and OUT (renameat2 RENAME_EXCHANGE; a plain rename the
// first night), fsyncs the parent folder, removes the old outputs (now at
// the staging path) and clears the pending swap.
//
// Killed before the commit: OUT and the state are the previous night's, and
// the next run removes the leftover staging folder. Killed after the
// commit: the state has the run and its pending swap while OUT may still
// hold the previous outputs; the next run, before anything else, finishes
// the swap (roll forward: OUT is swapped with the staged folder unless
// OUT's manifest already names the recorded run), removes the old folder
// and clears the marker. So OUT never shows a run the state does not have,
// and no run's outputs are ever half-written.

#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/state/state_db.h"

namespace rollmatch {

// An empty folder OUT.staging-<pid> beside `out_dir` (its parent created
// when missing), removed again on destruction unless Keep() was called.
class StagingFolder {
 public:
  static Result<StagingFolder> Create(const std::string& out_dir);
  StagingFolder(StagingFolder&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  StagingFolder& operator=(StagingFolder&&) = delete;
  StagingFolder(const StagingFolder&) = delete;
  StagingFolder& operator=(const StagingFolder&) = delete;
  ~StagingFolder();

  const std::string& path() const { return path_; }
  // The folder is no longer this object's to remove (swapped in, or pending).
  void Keep() { path_.clear(); }

 private:
  explicit StagingFolder(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// fsync(2) of every file and folder under `dir`, and `dir` itself.
Status SyncTree(const std::string& dir);
// fsync(2) of the folder holding `path`.
Status SyncParent(const std::string& path);

// Puts `staging` in place of `target`: an atomic exchange when the target
// exists (the old folder ends up at `staging`), else a rename.
Status SwapIn(const std::string& staging, const std::string& target, bool* exchanged);

// The run_id of DIR/manifest.json, "" when there is none.
std::string ManifestRunId(const std::string& dir);

// Finishes the swaps of recorded runs that were killed after their commit
// (see above), then removes every leftover OUT.staging-* beside `out_dir`.
// REQUIRES: the run lock is held. Warnings say what was repaired.
Status RepairInterruptedRuns(StateDb& state, const std::string& out_dir, std::vector<std::string>* warnings);

}  // namespace rollmatch
