// Fuzz target: a CSV feed file (UTF-8) through ReadFeed, read as each of the
// six feeds, with the invariants of fuzz_util.h. Corpus: corpus/csv_reader/
// (plain CSV files).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (rollmatch::Feed feed : rollmatch::kAllFeeds) {
    rollmatch::fuzz::ReadAndCheck(feed, "feed.csv", bytes, "");
  }
  return 0;
}
