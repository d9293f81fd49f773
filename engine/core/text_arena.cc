#include "engine/core/text_arena.h"

#include <ostream>

#include "engine/core/check.h"

namespace rollmatch {

std::ostream& operator<<(std::ostream& os, Text t) { return os << t.view(); }

void Text::Encode(std::string_view s, char* out) {
  out += PutPrefix(s.size(), out);
  if (!s.empty()) std::memcpy(out, s.data(), s.size());
}

size_t TextList::size() const {
  size_t n = 0;
  for (auto it = begin(); it != end(); ++it) ++n;
  return n;
}

Text TextList::operator[](size_t i) const {
  auto it = begin();
  for (; i > 0; --i) ++it;
  RM_DCHECK(it != end()) << "TextList index out of range";
  return *it;
}

size_t Text::PutPrefix(size_t size, char* out) {
  if (size < kLongSize) {
    out[0] = static_cast<char>(size);
    return 1;
  }
  RM_DCHECK(size <= UINT32_MAX) << "text of " << size << " bytes";
  const auto n = static_cast<uint32_t>(size);
  out[0] = static_cast<char>(kLongSize);
  std::memcpy(out + 1, &n, sizeof n);
  return 1 + sizeof n;
}

Text TextArena::Add(std::string_view s) {
  if (s.empty()) return Text();
  char* out = Allocate(Text::EncodedSize(s.size()));
  Text::Encode(s, out);
  return Text(out);
}

char* TextArena::Allocate(size_t n) {
  used_ += n;
  if (static_cast<size_t>(end_ - next_) >= n) {
    char* p = next_;
    next_ += n;
    return p;
  }
  if (n > kBlockSize / 4) {
    // A large text gets a block of its own; the current block stays open.
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(n));
    allocated_ += n;
    return blocks_.back().get();
  }
  blocks_.push_back(std::make_unique_for_overwrite<char[]>(kBlockSize));
  allocated_ += kBlockSize;
  next_ = blocks_.back().get() + n;
  end_ = blocks_.back().get() + kBlockSize;
  return blocks_.back().get();
}

void TextArena::Absorb(TextArena&& other) {
  if (&other == this) return;
  // Blocks are only owned here: their order does not matter, and this
  // arena's free room (next_, end_) stays where it is.
  for (auto& b : other.blocks_) blocks_.push_back(std::move(b));
  used_ += other.used_;
  allocated_ += other.allocated_;
  other.blocks_.clear();
  other.next_ = other.end_ = nullptr;
  other.used_ = other.allocated_ = 0;
}

}  // namespace rollmatch
