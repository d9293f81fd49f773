#include "ingest/file_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/core/hash.h"

namespace rollmatch {
namespace {

std::string ErrnoText(int err) { return std::strerror(err); }

// Closes a file descriptor on scope exit.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

Status ReadAll(const std::string& name, int fd, uint64_t expected_size, std::string* out) {
  out->clear();
  out->resize(expected_size);
  size_t got = 0;
  for (;;) {
    char probe[4096];
    // Read into *out while it has room; then probe for bytes beyond the size fstat() gave
    // (the file may have grown) without allocating more.
    const bool room = got < out->size();
    const ssize_t n =
        room ? ::read(fd, out->data() + got, out->size() - got) : ::read(fd, probe, sizeof probe);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(name + ": read failed: " + ErrnoText(errno));
    }
    if (n == 0) break;
    if (!room) out->append(probe, static_cast<size_t>(n));
    got += static_cast<size_t>(n);
  }
  out->resize(got);
  return Status::Ok();
}

}  // namespace

Status GunzipInto(const std::string& name, const std::string& compressed, std::string* out) {
  out->clear();
  if (compressed.empty()) return Status::IoError(name + ": truncated gzip data (empty file)");
  // ISIZE (last 4 bytes) is the size of the last member mod 2^32: a good first guess,
  // capped so that a corrupt trailer cannot ask for a huge buffer.
  size_t guess = compressed.size() * 4;
  if (compressed.size() >= 18) {
    const auto* t = reinterpret_cast<const unsigned char*>(compressed.data() + compressed.size() - 4);
    const size_t isize = t[0] | (t[1] << 8) | (t[2] << 16) | (static_cast<size_t>(t[3]) << 24);
    guess = std::max(guess, std::min(isize + 1, compressed.size() * 64));
  }
  out->resize(std::max<size_t>(guess, 64 * 1024));

  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return Status::Internal(name + ": cannot start zlib");
  size_t in_pos = 0;
  size_t out_pos = 0;
  bool member_done = false;
  Status status;
  for (;;) {
    if (out_pos == out->size()) out->resize(out->size() * 2);
    // zlib counts in uInt: feed at most 1 GiB per call.
    const size_t in_chunk = std::min<size_t>(compressed.size() - in_pos, 1u << 30);
    const size_t out_chunk = std::min<size_t>(out->size() - out_pos, 1u << 30);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data() + in_pos));
    zs.avail_in = static_cast<uInt>(in_chunk);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + out_pos);
    zs.avail_out = static_cast<uInt>(out_chunk);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    in_pos += in_chunk - zs.avail_in;
    out_pos += out_chunk - zs.avail_out;
    if (rc == Z_STREAM_END) {
      member_done = true;
      // Another member may follow (concatenated gzip); zero padding after the last is ignored.
      const bool only_zeros = std::all_of(compressed.begin() + static_cast<ptrdiff_t>(in_pos),
                                          compressed.end(), [](char c) { return c == 0; });
      if (only_zeros) break;
      inflateReset(&zs);
      member_done = false;
      continue;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR) {
      if (zs.avail_out == 0) continue;  // more room needed: grown at the top of the loop
      if (in_pos >= compressed.size()) {
        status = Status::IoError(name + ": truncated gzip data (unexpected end of file)");
        break;
      }
      continue;
    }
    if (rc == Z_MEM_ERROR) {
      status = Status::IoError(name + ": out of memory while decompressing gzip data");
    } else {
      status =
          Status::IoError(name + ": corrupt gzip data: " + (zs.msg != nullptr ? zs.msg : "inflate failed"));
    }
    break;
  }
  inflateEnd(&zs);
  if (!status.ok()) {
    out->clear();
    return status;
  }
  if (!member_done) return Status::IoError(name + ": truncated gzip data (unexpected end of file)");
  out->resize(out_pos);
  return Status::Ok();
}

Result<FileContent> LoadFile(const std::string& name, const std::string& path, bool gzip) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return Status::NotFound(name + ": no such file");
    return Status::IoError(name + ": cannot open: " + ErrnoText(err));
  }
  if (!S_ISREG(st.st_mode)) return Status::IoError(name + ": not a regular file");

  // O_NONBLOCK: should the path be swapped for a FIFO after stat(), open() must not block.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(name + ": no such file");
    return Status::IoError(name + ": cannot open: " + ErrnoText(err));
  }
  FdCloser closer(fd);
  if (::fstat(fd, &st) != 0) return Status::IoError(name + ": cannot stat: " + ErrnoText(errno));
  if (!S_ISREG(st.st_mode)) return Status::IoError(name + ": not a regular file");

  FileContent content;
  std::string disk;
  RM_RETURN_IF_ERROR(ReadAll(name, fd, static_cast<uint64_t>(st.st_size), gzip ? &disk : &content.bytes));
  const std::string& on_disk = gzip ? disk : content.bytes;
  content.size_on_disk = on_disk.size();
  content.content_hash = Hash64(on_disk);
  if (gzip) RM_RETURN_IF_ERROR(GunzipInto(name, disk, &content.bytes));
  return content;
}

}  // namespace rollmatch
