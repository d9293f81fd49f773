// Fuzz target: gzip feed files. The bytes are a .csv.gz (roll) and a
// .jsonl.gz (social) feed file read through ReadFeed (truncated, corrupt and
// concatenated members must give a clean error or rows, never a crash or a
// runaway allocation), with the invariants of fuzz_util.h. Corpus:
// corpus/gzip/ (gzip files, whole and cut).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  rollmatch::fuzz::ReadAndCheck(rollmatch::Feed::kRoll, "feed.csv.gz", bytes, "");
  rollmatch::fuzz::ReadAndCheck(rollmatch::Feed::kSocial, "feed.jsonl.gz", bytes, "");
  return 0;
}
