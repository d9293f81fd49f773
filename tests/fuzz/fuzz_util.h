#pragma once
// Shared by the fuzz targets: a scratch folder for the files a target hands
// to the real readers, a check that aborts (so that libFuzzer, and the
// replay runner, report the input), and the invariants every ReadFeed result
// must hold whatever the bytes.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/feed.h"
#include "engine/core/status.h"
#include "ingest/feed_reader.h"
#include "ingest/feed_table.h"
#include "ingest/reject.h"

// Aborts with the failed condition: a fuzz finding.
#define RM_FUZZ_CHECK(cond)                                                                 \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      std::fprintf(stderr, "%s:%d: RM_FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)

namespace rollmatch::fuzz {

// A private folder (in /dev/shm when it exists) removed at exit. Files are
// rewritten in place for every input.
class ScratchDir {
 public:
  // The process-wide scratch folder.
  static ScratchDir& Get();

  const std::string& path() const { return path_; }
  // Writes `bytes` to `name` in the folder; returns its full path.
  std::string Write(const std::string& name, std::string_view bytes);

 private:
  ScratchDir();
  std::string path_;
};

// Reads `bytes` as the one file `name` (suffix picks the format) of `feed`
// through ReadFeed, and checks the invariants of the result: per file,
// rows read = used + rejected; the table holds exactly the rows used, as
// valid UTF-8 without NUL bytes, with non-blank required fields and keys
// unique after trimming; one Reject per rejected row, with valid UTF-8 raw
// text of at most kMaxRejectRawBytes and a line inside the file; an error
// names the file and leaves no rejects behind.
void ReadAndCheck(Feed feed, const std::string& name, std::string_view bytes, const std::string& encoding);

// True when `text` is valid UTF-8 (no NUL check).
bool IsUtf8(std::string_view text);

}  // namespace rollmatch::fuzz
