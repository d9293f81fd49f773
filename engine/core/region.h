#pragma once
// Statistical division codes (统计用区划代码): 12 digits = province 2 +
// city 2 + county 2 + township 3 + village 3. Feeds may give a 6- or 9-digit
// prefix when the finer level is unknown.

#include <string>
#include <string_view>

namespace rollmatch {

// True for 2, 4, 6, 9 or 12 ASCII digits.
bool IsRegionCode(std::string_view code);
// The first 6 / 9 digits, or "" when the code is shorter.
std::string_view CountyOf(std::string_view code);
std::string_view TownshipOf(std::string_view code);
// True when `code` lies inside `prefix` (a scope or a coarser region).
inline bool RegionWithin(std::string_view code, std::string_view prefix) {
  return !prefix.empty() && code.size() >= prefix.size() && code.substr(0, prefix.size()) == prefix;
}

}  // namespace rollmatch
