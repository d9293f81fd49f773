#include "engine/core/region.h"

namespace rollmatch {

bool IsRegionCode(std::string_view code) {
  const size_t n = code.size();
  if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view CountyOf(std::string_view code) { return code.size() >= 6 ? code.substr(0, 6) : std::string_view(); }
std::string_view TownshipOf(std::string_view code) { return code.size() >= 9 ? code.substr(0, 9) : std::string_view(); }

}  // namespace rollmatch
