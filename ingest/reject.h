#pragma once
// A row that could not be read: it goes to OUT/rejects.jsonl and the run
// goes on (spec/feeds.md "Bad input").

#include <cstdint>
#include <string>

#include "engine/core/feed.h"

namespace rollmatch {

struct Reject {
  Feed feed;
  std::string file;    // the file name as given in the configuration
  uint64_t line = 0;   // 1-based physical line where the row starts
  std::string reason;  // short English reason, e.g. "broken JSON: missing closing brace"
  std::string raw;     // the row's bytes as valid UTF-8 (invalid bytes shown as \xNN), at most 4 KiB
};

}  // namespace rollmatch
