#include "engine/review/zip_reader.h"

#include <unzip.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace rollmatch {

Result<std::unique_ptr<ZipReader>> ZipReader::Open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + ": no such file");
  if (!std::filesystem::is_regular_file(path, ec)) return Status::IoError(path + ": not a regular file");
  unzFile zf = unzOpen64(path.c_str());
  if (zf == nullptr) return Status::Corrupt(path + ": not an XLSX file (cannot read it as a ZIP archive)");
  std::unique_ptr<ZipReader> zip(new ZipReader(zf, path));
  int rc = unzGoToFirstFile(zf);
  while (rc == UNZ_OK) {
    unz_file_info64 info;
    char name[1024];
    if (unzGetCurrentFileInfo64(zf, &info, name, sizeof(name), nullptr, 0, nullptr, 0) != UNZ_OK) {
      return Status::Corrupt(path + ": damaged ZIP directory");
    }
    zip->names_.emplace_back(name);
    rc = unzGoToNextFile(zf);
  }
  if (rc != UNZ_END_OF_LIST_OF_FILE) return Status::Corrupt(path + ": damaged ZIP directory");
  return zip;
}

ZipReader::~ZipReader() { unzClose(static_cast<unzFile>(zip_)); }

bool ZipReader::Has(std::string_view name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

Result<std::string> ZipReader::Read(std::string_view name, size_t max_bytes) {
  unzFile zf = static_cast<unzFile>(zip_);
  const std::string member(name);
  if (!Has(name) || unzLocateFile(zf, member.c_str(), 1) != UNZ_OK) {
    return Status::NotFound(path_ + ": no " + member + " inside (not an XLSX workbook?)");
  }
  unz_file_info64 info;
  if (unzGetCurrentFileInfo64(zf, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
    return Status::Corrupt(path_ + ": damaged ZIP entry " + member);
  }
  if (info.uncompressed_size > max_bytes) {
    return Status::Corrupt(path_ + ": " + member + " is too large (" +
                           std::to_string(info.uncompressed_size) + " bytes)");
  }
  if (unzOpenCurrentFile(zf) != UNZ_OK) return Status::Corrupt(path_ + ": cannot open ZIP entry " + member);
  std::string out;
  out.reserve(static_cast<size_t>(info.uncompressed_size));
  char buf[1 << 16];
  int n;
  while ((n = unzReadCurrentFile(zf, buf, sizeof(buf))) > 0) {
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      unzCloseCurrentFile(zf);
      return Status::Corrupt(path_ + ": " + member + " is too large");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  const int close_rc = unzCloseCurrentFile(zf);  // UNZ_CRCERROR when the data does not match its CRC
  if (n < 0 || close_rc != UNZ_OK) return Status::Corrupt(path_ + ": damaged ZIP entry " + member);
  return out;
}

}  // namespace rollmatch
