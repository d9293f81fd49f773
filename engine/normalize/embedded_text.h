#pragma once
// Internal to engine/normalize: reading the data files compiled in as string
// literals (data/opencc, data/unihan-name-keys, data/surname-readings,
// data/chars).

#include <string_view>

namespace rollmatch::internal {

// Calls f(line) for every non-empty line of `text` not starting with '#'
// (a trailing '\r' removed).
template <typename F>
void ForEachLine(std::string_view text, F f) {
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    f(line);
  }
}

}  // namespace rollmatch::internal
