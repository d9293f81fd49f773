#pragma once
// Reads the members of a ZIP archive (the container of an XLSX file) into
// memory, through minizip. Each member is checked against its CRC-32 and
// limited in size, so a damaged or hostile file gives an error, not a
// crash or an exhausted memory.
//
// Thread safety: one ZipReader per thread.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace rollmatch {

class ZipReader {
 public:
  // Largest member Read() inflates by default (an XLSX sheet of a township
  // is a few MB).
  static constexpr size_t kMaxMemberBytes = size_t{256} << 20;

  // Corrupt when `path` is not a ZIP archive (say, a CSV file renamed .xlsx);
  // NotFound when it does not exist.
  static Result<std::unique_ptr<ZipReader>> Open(const std::string& path);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  // The member names, in archive order.
  const std::vector<std::string>& names() const { return names_; }
  bool Has(std::string_view name) const;
  // The whole member. NotFound when absent; Corrupt when it cannot be
  // inflated, fails its CRC check or is larger than `max_bytes`.
  Result<std::string> Read(std::string_view name, size_t max_bytes = kMaxMemberBytes);

 private:
  ZipReader(void* zip, std::string path) : zip_(zip), path_(std::move(path)) {}
  void* zip_;  // unzFile
  std::string path_;
  std::vector<std::string> names_;
};

}  // namespace rollmatch
