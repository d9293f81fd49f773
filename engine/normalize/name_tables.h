#pragma once
// Internal to engine/normalize: the per-code-point tables behind
// NameNormalizer, and the ICU code that builds them.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace rollmatch::internal {

// What each code point below kEnd becomes in a normalized name. One uint32_t
// per code point:
//   0                      removed (whitespace, zero-width, controls)
//   low byte != 0xFF       the UTF-8 bytes of one code point, little-endian
//                          (byte 0 is the lead byte; the length follows from it)
//   low byte == 0xFF       several code points: entry >> 8 is an offset into
//                          `arena`, which holds a length byte and the UTF-8 bytes
// A middle dot is the inline entry kDotEntry. Code points at or above kEnd
// are kept unchanged, except U+E0000..U+E0FFF (tags, variation selectors
// supplement), which are removed.
struct NameTable {
  static constexpr uint32_t kEnd = 0x40000;  // planes 0-3: BMP, SMP, CJK Ext B-F, Ext G-H
  static constexpr uint32_t kArenaTag = 0xFF;
  static constexpr uint32_t kDotEntry = 0xB7C2;  // "·" U+00B7 as little-endian UTF-8

  std::vector<uint32_t> entries;  // kEnd entries
  std::string arena;
};

// Builds the table: NFKC, then ICU "Hant-Hans" (with OpenCC's TSCharacters
// for characters ICU leaves unchanged), then whitespace removal, dot
// unification and Latin upper-casing, closed so that normalizing twice
// changes nothing. Fails when ICU lacks the normalizer or the transliterator.
Status BuildNameTable(NameTable* table);

}  // namespace rollmatch::internal
