#pragma once
// xxHash (XXH3) wrappers: blocking keys, flag fingerprints, file content hashes.

#include <cstdint>
#include <string>
#include <string_view>

namespace rollmatch {

uint64_t Hash64(std::string_view bytes, uint64_t seed = 0);
// 16 lowercase hex digits.
std::string HashHex(uint64_t h);

// Streaming XXH3-64 over a file's bytes (for the manifest).
class StreamingHash {
 public:
  StreamingHash();
  ~StreamingHash();
  StreamingHash(const StreamingHash&) = delete;
  StreamingHash& operator=(const StreamingHash&) = delete;
  void Update(const void* data, size_t size);
  uint64_t Digest() const;

 private:
  void* state_;
};

}  // namespace rollmatch
