#pragma once
// Reads one feed file piece by piece: its content (decompressed for .gz
// files), and the size and content hash of the bytes on disk.

#include <cstdint>
#include <memory>
#include <string>

#include "engine/core/hash.h"
#include "engine/core/status.h"

namespace rollmatch {

// Reads one file piece by piece (gzip-decompressed for .gz, several
// concatenated members allowed, zero padding after the last ignored), so that
// a reader holds one piece of a file at a time, not all of it. Every piece
// but the last ends just after a line feed.
class FilePieces {
 public:
  // `name` is used in messages. Checked before opening, so that a FIFO never
  // blocks: NotFound "NAME: no such file"; IoError "NAME: not a regular
  // file" (a directory, FIFO, device), "NAME: cannot open: ...".
  static Result<std::unique_ptr<FilePieces>> Open(const std::string& name, const std::string& path,
                                                  bool gzip);
  ~FilePieces();
  FilePieces(const FilePieces&) = delete;
  FilePieces& operator=(const FilePieces&) = delete;

  // Appends the next piece to *out: at least `bytes` bytes (more when the
  // line there goes on), or up to the end of the file. False at the end
  // (nothing appended). Errors (IoError): read errors, truncated or corrupt
  // gzip data.
  Result<bool> Append(size_t bytes, std::string* out);
  // True when every byte has been given out.
  bool at_end() const { return eof_ && pending_.empty(); }

  // Bytes read from the disk so far, and the XXH3-64 of them: the file's
  // size on disk and content hash once at_end().
  uint64_t disk_bytes() const { return disk_bytes_; }
  uint64_t content_hash() const { return hash_.Digest(); }
  // The file's size when it was opened.
  uint64_t size_at_open() const { return size_at_open_; }

 private:
  FilePieces(std::string name, int fd, bool gzip, uint64_t size);
  // Adds up to about `bytes` more bytes of content to pending_; sets eof_ at the end.
  Status ReadMore(size_t bytes);
  // Reads up to `bytes` bytes from the disk into `out` (hashed); 0 at the end.
  Result<size_t> ReadDisk(char* out, size_t bytes);
  Status Inflate(size_t bytes);

  std::string name_;
  int fd_;
  bool gzip_;
  uint64_t size_at_open_;
  uint64_t disk_bytes_ = 0;
  StreamingHash hash_;
  std::string pending_;  // content read but not yet given out
  bool eof_ = false;     // no more content after pending_
  // gzip state
  struct Inflater;
  std::unique_ptr<Inflater> inflater_;
};

}  // namespace rollmatch
