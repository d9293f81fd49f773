#pragma once
// Loads one feed file into memory: the bytes on disk (for the content hash)
// and, for .gz files, the decompressed bytes.

#include <cstdint>
#include <string>

#include "engine/core/status.h"

namespace rollmatch {

struct FileContent {
  std::string bytes;          // the file's content (decompressed when gzip)
  uint64_t size_on_disk = 0;  // bytes on disk
  uint64_t content_hash = 0;  // XXH3-64 of the bytes on disk
};

// Reads `path` whole. `name` is used in messages. With `gzip`, the content is
// gzip-decompressed (several concatenated members are allowed).
// Errors: NotFound "NAME: no such file"; IoError "NAME: not a regular file"
// (a directory, FIFO, device: checked before opening so a FIFO never blocks),
// read errors, truncated or corrupt gzip data.
Result<FileContent> LoadFile(const std::string& name, const std::string& path, bool gzip);

// Decompresses gzip data (one or more members). `name` is used in messages.
// Errors: IoError for truncated or corrupt data.
Status GunzipInto(const std::string& name, const std::string& compressed, std::string* out);

}  // namespace rollmatch
