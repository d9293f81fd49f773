#pragma once
// Short texts (names, region and district codes, household ids) stored back
// to back in an append-only arena, and the 8-byte handles the normalized
// records keep instead of a std::string (32 bytes, plus a heap block past 15
// bytes).

#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rollmatch {

// A text in a TextArena: a pointer to its length-prefixed bytes. Reads as a
// std::string_view; compares, concatenates and prints like one. Valid as
// long as the arena that made it (an arena never moves its texts). The
// default Text is empty and needs no arena.
class Text {
 public:
  Text() = default;

  std::string_view view() const {
    if (p_ == nullptr) return std::string_view();
    const auto n = static_cast<uint8_t>(p_[0]);
    if (n != kLongSize) return std::string_view(p_ + 1, n);
    uint32_t size;
    std::memcpy(&size, p_ + 1, sizeof size);
    return std::string_view(p_ + 1 + sizeof size, size);
  }
  operator std::string_view() const { return view(); }  // NOLINT: reads as a string_view
  const char* data() const { return view().data(); }
  size_t size() const { return view().size(); }
  bool empty() const { return size() == 0; }
  std::string str() const { return std::string(view()); }
  std::string_view substr(size_t pos, size_t n = std::string_view::npos) const {
    return view().substr(pos, n);
  }

  friend bool operator==(Text a, Text b) { return a.view() == b.view(); }
  friend bool operator==(Text a, std::string_view b) { return a.view() == b; }
  friend auto operator<=>(Text a, Text b) { return a.view() <=> b.view(); }
  friend auto operator<=>(Text a, std::string_view b) { return a.view() <=> b; }
  friend std::string operator+(std::string a, Text b) { return a.append(b.view()); }
  friend std::string operator+(Text a, std::string_view b) {
    std::string s(a.view());
    return s.append(b);
  }
  friend std::ostream& operator<<(std::ostream& os, Text t);

 private:
  friend class TextArena;
  friend class TextList;
  static constexpr uint8_t kLongSize = 0xFF;  // first byte of a text of 255 bytes or more
  explicit Text(const char* p) : p_(p) {}
  // Bytes a text of `size` bytes takes in an arena.
  static size_t EncodedSize(size_t size) { return size + (size < kLongSize ? 1 : 1 + sizeof(uint32_t)); }
  // Writes the length prefix and the bytes to `out` (EncodedSize(s.size()) bytes).
  static void Encode(std::string_view s, char* out);
  // Writes the length prefix of a text of `size` bytes; returns its length.
  static size_t PutPrefix(size_t size, char* out);

  const char* p_ = nullptr;  // null: empty
};

// A list of texts (a person's former names) in a TextArena, 8 bytes. Iterates
// as Texts; size() and operator[] walk the list (lists are short).
class TextList {
 public:
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Text;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Text;

    Iterator() = default;
    Text operator*() const { return Text(p_); }
    Iterator& operator++() {
      p_ += Text::EncodedSize(Text(p_).size());
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(Iterator a, Iterator b) { return a.p_ == b.p_; }

   private:
    friend class TextList;
    explicit Iterator(const char* p) : p_(p) {}
    const char* p_ = nullptr;
  };

  TextList() = default;
  Iterator begin() const { return Iterator(packed_.empty() ? nullptr : packed_.data()); }
  Iterator end() const { return Iterator(packed_.empty() ? nullptr : packed_.data() + packed_.size()); }
  bool empty() const { return packed_.empty(); }
  size_t size() const;
  // REQUIRES: i < size().
  Text operator[](size_t i) const;

 private:
  friend class TextArena;
  explicit TextList(Text packed) : packed_(packed) {}
  Text packed_;  // the items' encodings back to back
};

// Owns texts. Add() copies a text in and returns its handle; texts are never
// moved or freed before the arena. Not thread safe: give each thread its own
// arena and Absorb() them into one at the end.
class TextArena {
 public:
  TextArena() = default;
  TextArena(TextArena&&) noexcept = default;
  TextArena& operator=(TextArena&&) noexcept = default;
  TextArena(const TextArena&) = delete;
  TextArena& operator=(const TextArena&) = delete;

  // The empty text gives Text() and takes no room.
  Text Add(std::string_view s);
  // An empty list gives TextList() and takes no room.
  template <typename Container>
  TextList AddList(const Container& items) {
    size_t bytes = 0;
    for (const auto& item : items) bytes += Text::EncodedSize(std::string_view(item).size());
    if (bytes == 0) return TextList();
    char* out = Allocate(Text::EncodedSize(bytes));
    char* items_out = out + Text::PutPrefix(bytes, out);
    for (const auto& item : items) {
      const std::string_view s(item);
      Text::Encode(s, items_out);
      items_out += Text::EncodedSize(s.size());
    }
    return TextList(Text(out));
  }

  // Takes over `other`'s texts (their handles stay valid, now owned here).
  void Absorb(TextArena&& other);

  // Bytes of texts stored, and bytes allocated for them.
  size_t bytes_used() const { return used_; }
  size_t bytes_allocated() const { return allocated_; }

 private:
  static constexpr size_t kBlockSize = size_t{1} << 20;
  char* Allocate(size_t n);

  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;  // free room in the last block
  char* end_ = nullptr;
  size_t used_ = 0;
  size_t allocated_ = 0;
};

}  // namespace rollmatch
