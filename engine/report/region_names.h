#pragma once
// Names of statistical divisions (统计用区划代码, NBS 2023, from
// data/admin-divisions, compiled in): every county and township of the
// country, and the villages (村/社区) of province 32 only. For report
// headings; the engine never needs a name to decide anything.
//
// Thread safety: Get() builds the table once; lookups are read-only.

#include <string>
#include <string_view>
#include <unordered_map>

namespace rollmatch {

class RegionNames {
 public:
  // The compiled-in table (built on first use).
  static const RegionNames& Get();

  // The name of a 6-digit county, 9-digit township or 12-digit village
  // code, or "" when the table does not know it.
  std::string_view Name(std::string_view code) const;

  // "埭头镇（320481101）", or just the code when the name is unknown.
  std::string Label(std::string_view code) const;

 private:
  RegionNames();
  void AddCsv(std::string_view csv);
  std::unordered_map<std::string, std::string> names_;
};

}  // namespace rollmatch
