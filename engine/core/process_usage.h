#pragma once
// What this process has used so far: CPU time and memory, for the manifest's
// per-stage figures and the resolver's sub-stage timings.

#include <cstdint>

namespace rollmatch {

// Peak resident set size of this process so far, in bytes.
uint64_t PeakRssBytes();
// Resident set size of this process now, in bytes (0 where unknown).
uint64_t CurrentRssBytes();
// Bytes allocated with malloc and not yet freed (glibc's mallinfo2; 0 elsewhere).
uint64_t HeapInUseBytes();
// User + system CPU time of this process so far, in seconds.
double CpuSeconds();

}  // namespace rollmatch
