#include "engine/core/writeback.h"

#include <fcntl.h>
#include <unistd.h>

namespace rollmatch {

void StartWriteback(int fd, uint64_t offset, uint64_t length) {
  if (fd < 0) return;
  ::sync_file_range(fd, static_cast<off64_t>(offset), static_cast<off64_t>(length), SYNC_FILE_RANGE_WRITE);
}

void StartWritebackOf(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  StartWriteback(fd, 0, 0);
  ::close(fd);
}

}  // namespace rollmatch
