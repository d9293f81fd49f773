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

// Checks that `path` is a regular file and opens it for reading.
Result<int> OpenRegularFile(const std::string& name, const std::string& path, struct stat* st) {
  if (::stat(path.c_str(), st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return Status::NotFound(name + ": no such file");
    return Status::IoError(name + ": cannot open: " + ErrnoText(err));
  }
  if (!S_ISREG(st->st_mode)) return Status::IoError(name + ": not a regular file");

  // O_NONBLOCK: should the path be swapped for a FIFO after stat(), open() must not block.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(name + ": no such file");
    return Status::IoError(name + ": cannot open: " + ErrnoText(err));
  }
  if (::fstat(fd, st) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::IoError(name + ": cannot stat: " + ErrnoText(err));
  }
  if (!S_ISREG(st->st_mode)) {
    ::close(fd);
    return Status::IoError(name + ": not a regular file");
  }
  return fd;
}

// The most FilePieces reads (or decompresses) at once.
constexpr size_t kReadBytes = size_t{1} << 20;

}  // namespace

// What FilePieces keeps to decompress gzip data as it goes.
struct FilePieces::Inflater {
  static constexpr size_t kDiskChunk = size_t{1} << 20;
  z_stream zs;
  bool started = false;
  std::string in;     // compressed bytes read from the disk
  size_t in_pos = 0;  // the first not yet given to zlib
  bool disk_eof = false;
  bool member_done = false;  // the last member ended: only zero bytes may follow
  // The last inflate() filled its room: it may hold output (or an error)
  // still to come from input it has already taken.
  bool out_full = false;
  uint64_t zeros = 0;        // zero bytes seen since

  Inflater() { std::memset(&zs, 0, sizeof zs); }
  ~Inflater() {
    if (started) inflateEnd(&zs);
  }
};

FilePieces::FilePieces(std::string name, int fd, bool gzip, uint64_t size)
    : name_(std::move(name)), fd_(fd), gzip_(gzip), size_at_open_(size) {
  if (gzip_) inflater_ = std::make_unique<Inflater>();
}

FilePieces::~FilePieces() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<FilePieces>> FilePieces::Open(const std::string& name, const std::string& path, bool gzip) {
  struct stat st;
  RM_ASSIGN_OR_RETURN(const int fd, OpenRegularFile(name, path, &st));
  std::unique_ptr<FilePieces> pieces(new FilePieces(name, fd, gzip, static_cast<uint64_t>(st.st_size)));
  if (gzip && inflateInit2(&pieces->inflater_->zs, 16 + MAX_WBITS) != Z_OK) {
    return Status::Internal(name + ": cannot start zlib");
  }
  if (gzip) pieces->inflater_->started = true;
  return pieces;
}

Result<size_t> FilePieces::ReadDisk(char* out, size_t bytes) {
  for (;;) {
    const ssize_t n = ::read(fd_, out, bytes);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(name_ + ": read failed: " + ErrnoText(errno));
    }
    hash_.Update(out, static_cast<size_t>(n));
    disk_bytes_ += static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
}

Status FilePieces::ReadMore(size_t bytes) {
  if (eof_) return Status::Ok();
  bytes = std::min(bytes, kReadBytes);  // the buffer grows only with what comes
  // Room is made (and zeroed) for no more than the file can still give: the
  // rest of it as it was at open (a plain file) or a generous multiple of
  // that (gzip); a file that grew is read on in further calls. A small file
  // then costs no megabyte of zeroing per read.
  const uint64_t left = size_at_open_ > disk_bytes_ ? size_at_open_ - disk_bytes_ : 0;
  const uint64_t expected = gzip_ ? std::max<uint64_t>(left * 16, uint64_t{1} << 16) : left + 1;
  bytes = static_cast<size_t>(std::min<uint64_t>(bytes, std::max<uint64_t>(expected, 4096)));
  if (gzip_) return Inflate(bytes);
  const size_t start = pending_.size();
  pending_.resize(start + bytes);
  Result<size_t> n = ReadDisk(pending_.data() + start, bytes);
  if (!n.ok()) return n.status();
  pending_.resize(start + *n);
  if (*n == 0) eof_ = true;
  return Status::Ok();
}

Status FilePieces::Inflate(size_t bytes) {
  Inflater& z = *inflater_;
  const size_t start = pending_.size();
  size_t out_pos = start;
  pending_.resize(start + bytes);
  Status status;
  while (out_pos < pending_.size()) {
    if (z.in_pos == z.in.size() && !z.disk_eof) {
      z.in.resize(Inflater::kDiskChunk);
      Result<size_t> n = ReadDisk(z.in.data(), z.in.size());
      if (!n.ok()) {
        status = n.status();
        break;
      }
      z.in.resize(*n);
      z.in_pos = 0;
      if (*n == 0) z.disk_eof = true;
    }
    if (z.member_done) {
      // Another member may follow (concatenated gzip); zero padding after the last is ignored.
      while (z.in_pos < z.in.size() && z.in[z.in_pos] == 0) {
        ++z.in_pos;
        ++z.zeros;
      }
      if (z.in_pos == z.in.size()) {
        if (z.disk_eof) {
          eof_ = true;
          break;
        }
        continue;
      }
      // More data: the next member starts right after the last one (zeros
      // included, which zlib then refuses, as when reading the file whole).
      inflateReset(&z.zs);
      z.member_done = false;
      if (z.zeros > 0) {
        static const char kZeros[16] = {};
        const auto n = static_cast<uInt>(std::min<uint64_t>(z.zeros, sizeof kZeros));
        z.zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(kZeros));
        z.zs.avail_in = n;
        z.zs.next_out = reinterpret_cast<Bytef*>(pending_.data() + out_pos);
        z.zs.avail_out = static_cast<uInt>(std::min<size_t>(pending_.size() - out_pos, 1u << 30));
        const int rc = inflate(&z.zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
          status = Status::IoError(name_ + ": corrupt gzip data: " +
                                   (z.zs.msg != nullptr ? z.zs.msg : "inflate failed"));
          break;
        }
        z.zeros = 0;
      }
    }
    if (z.in_pos == z.in.size() && z.disk_eof && !z.out_full) {
      status = disk_bytes_ == 0 ? Status::IoError(name_ + ": truncated gzip data (empty file)")
                                : Status::IoError(name_ + ": truncated gzip data (unexpected end of file)");
      break;
    }
    // zlib counts in uInt: at most 1 GiB per call.
    const size_t in_chunk = std::min<size_t>(z.in.size() - z.in_pos, 1u << 30);
    const size_t out_chunk = std::min<size_t>(pending_.size() - out_pos, 1u << 30);
    z.zs.next_in = reinterpret_cast<Bytef*>(z.in.data() + z.in_pos);
    z.zs.avail_in = static_cast<uInt>(in_chunk);
    z.zs.next_out = reinterpret_cast<Bytef*>(pending_.data() + out_pos);
    z.zs.avail_out = static_cast<uInt>(out_chunk);
    const int rc = inflate(&z.zs, Z_NO_FLUSH);
    z.in_pos += in_chunk - z.zs.avail_in;
    out_pos += out_chunk - z.zs.avail_out;
    z.out_full = z.zs.avail_out == 0;
    if (rc == Z_STREAM_END) {
      z.out_full = false;
      z.member_done = true;
      z.zeros = 0;
      continue;
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) continue;  // more room or more input: both come at the top
    if (rc == Z_MEM_ERROR) {
      status = Status::IoError(name_ + ": out of memory while decompressing gzip data");
    } else {
      status = Status::IoError(name_ + ": corrupt gzip data: " + (z.zs.msg != nullptr ? z.zs.msg : "inflate failed"));
    }
    break;
  }
  pending_.resize(out_pos);
  return status;
}

Result<bool> FilePieces::Append(size_t bytes, std::string* out) {
  while (!eof_ && pending_.size() < bytes) RM_RETURN_IF_ERROR(ReadMore(bytes - pending_.size()));
  size_t cut = pending_.size();
  if (!eof_) {
    // End the piece after its last line feed; a line longer than the piece
    // makes it grow (doubling, so that a long line is read in linear time).
    for (;;) {
      const size_t lf = pending_.rfind('\n');
      if (lf != std::string::npos) {
        cut = lf + 1;
        break;
      }
      RM_RETURN_IF_ERROR(ReadMore(std::max<size_t>(pending_.size(), 1 << 16)));
      if (eof_) {
        cut = pending_.size();
        break;
      }
    }
  }
  if (cut == 0) return false;
  out->append(pending_, 0, cut);
  pending_.erase(0, cut);
  return true;
}

}  // namespace rollmatch
