#pragma once
// Early write-back of output files. A run syncs its whole output folder to
// disk before its commit point (engine/pipeline/run_commit.h); at ten million
// persons that is 2 GB, which the kernel otherwise starts writing only then.
// Asking for the write-back as each piece of a file is written lets the disk
// work while the CPU builds the next files, so the final sync finds little
// left to do. Advice only: errors are ignored here and reported by the sync.

#include <cstdint>
#include <string>

namespace rollmatch {

// Starts (does not wait for) the write-out of bytes [offset, offset + length)
// of the open file `fd`; length 0 means to the end of the file.
void StartWriteback(int fd, uint64_t offset, uint64_t length);

// Starts the write-out of the whole file at `path` (a file written by a
// library that keeps its descriptor to itself).
void StartWritebackOf(const std::string& path);

}  // namespace rollmatch
