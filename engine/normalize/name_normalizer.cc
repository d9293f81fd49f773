#include "engine/normalize/name_normalizer.h"

#include <algorithm>
#include <cstring>

#include "engine/normalize/name_tables.h"

namespace rollmatch {

struct NameNormalizer::Tables {
  internal::NameTable table;
};

namespace {

using internal::NameTable;

constexpr char32_t kReplacement = 0xFFFD;
constexpr std::string_view kDot = "\xC2\xB7";  // U+00B7

// Decodes one code point from s[*i..n), advancing *i. An ill-formed sequence
// gives U+FFFD and advances over its maximal well-formed prefix (at least one
// byte), as the Unicode standard recommends (§3.9, "U+FFFD substitution of
// maximal subparts").
inline char32_t DecodeUtf8(const unsigned char* s, size_t n, size_t* i) {
  const unsigned char b0 = s[*i];
  if (b0 < 0x80) {
    *i += 1;
    return b0;
  }
  size_t len;
  char32_t c;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    c = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    c = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // no overlongs
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    c = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // no overlongs
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    *i += 1;
    return kReplacement;
  }
  size_t j = *i + 1;
  for (size_t k = 1; k < len; ++k, ++j) {
    if (j >= n) {
      *i = j;
      return kReplacement;
    }
    const unsigned char b = s[j];
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) {
      *i = j;
      return kReplacement;
    }
    c = (c << 6) | (b & 0x3F);
  }
  *i = j;
  return c;
}

inline size_t Utf8Length(uint32_t entry) {
  const uint32_t lead = entry & 0xFF;
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// Collapses runs of U+00B7 to one and strips them at both ends, in place;
// returns the new length.
size_t FixDots(char* s, size_t n) {
  size_t w = 0;
  bool pending = false;
  for (size_t r = 0; r < n;) {
    if (r + 1 < n && s[r] == kDot[0] && s[r + 1] == kDot[1]) {
      pending = w > 0;
      r += 2;
      continue;
    }
    if (pending) {
      s[w++] = kDot[0];
      s[w++] = kDot[1];
      pending = false;
    }
    s[w++] = s[r++];
  }
  return w;
}

// The output of one Normalize(): a stack buffer, moved to the heap only for
// long names.
class OutBuffer {
 public:
  char* data() { return p_; }
  // Makes room for `need` bytes; the first `used` bytes are kept.
  void Reserve(size_t used, size_t need) {
    if (need <= cap_) return;
    const size_t cap = std::max(need, 2 * cap_);
    if (p_ == local_) {
      heap_.resize(cap);
      std::memcpy(heap_.data(), local_, used);
    } else {
      heap_.resize(cap);
    }
    p_ = heap_.data();
    cap_ = cap;
  }
  std::string Take(size_t len) {
    if (p_ == local_) return std::string(local_, len);
    heap_.resize(len);
    return std::move(heap_);
  }

 private:
  char local_[128];
  std::string heap_;
  char* p_ = local_;
  size_t cap_ = sizeof(local_);
};

}  // namespace

NameNormalizer::NameNormalizer() : tables_(std::make_unique<Tables>()) {}
NameNormalizer::~NameNormalizer() = default;

Result<std::unique_ptr<NameNormalizer>> NameNormalizer::Create() {
  std::unique_ptr<NameNormalizer> normalizer(new NameNormalizer());
  RM_RETURN_IF_ERROR(internal::BuildNameTable(&normalizer->tables_->table));
  return normalizer;
}

std::string NameNormalizer::Normalize(std::string_view raw) const {
  const NameTable& t = tables_->table;
  const unsigned char* s = reinterpret_cast<const unsigned char*>(raw.data());
  const size_t n = raw.size();
  const uint32_t* entries = t.entries.data();
  OutBuffer out;
  size_t w = 0;
  bool dots = false;
  for (size_t i = 0; i < n;) {
    const char32_t c = DecodeUtf8(s, n, &i);
    uint32_t e;
    if (c < NameTable::kEnd) {
      e = entries[c];
    } else if (c >= 0xE0000 && c <= 0xE0FFF) {
      continue;  // tags, variation selectors supplement
    } else {
      // Kept as is: 4 bytes of UTF-8, well formed (the decoder checked).
      e = static_cast<uint32_t>(0xF0 | (c >> 18)) | static_cast<uint32_t>(0x80 | ((c >> 12) & 0x3F)) << 8 |
          static_cast<uint32_t>(0x80 | ((c >> 6) & 0x3F)) << 16 |
          static_cast<uint32_t>(0x80 | (c & 0x3F)) << 24;
    }
    if (e == 0) continue;
    if ((e & 0xFF) != NameTable::kArenaTag) {
      // Store all 4 packed bytes (little-endian), advance by the UTF-8 length.
      out.Reserve(w, w + 4);
      const unsigned char bytes[4] = {static_cast<unsigned char>(e), static_cast<unsigned char>(e >> 8),
                                      static_cast<unsigned char>(e >> 16),
                                      static_cast<unsigned char>(e >> 24)};
      std::memcpy(out.data() + w, bytes, 4);
      w += Utf8Length(e);
      dots |= e == NameTable::kDotEntry;
      continue;
    }
    const char* rep = t.arena.data() + (e >> 8);
    const size_t len = static_cast<unsigned char>(rep[0]);
    out.Reserve(w, w + len);
    std::memcpy(out.data() + w, rep + 1, len);
    w += len;
    dots = true;  // an expansion may hold a dot; FixDots is cheap
  }
  if (dots) w = FixDots(out.data(), w);
  return out.Take(w);
}
std::vector<std::string> NameNormalizer::NormalizeList(std::string_view raw) const {
  // ; , and their full-width (；，), small (﹔﹐) and ideographic (、﹑､) forms.
  static constexpr std::string_view kSeparators[] = {";",
                                                     ",",
                                                     "\xEF\xBC\x9B",
                                                     "\xEF\xBC\x8C",
                                                     "\xE3\x80\x81",
                                                     "\xEF\xB9\x94",
                                                     "\xEF\xB9\x90",
                                                     "\xEF\xB9\x91",
                                                     "\xEF\xBD\xA4"};
  std::vector<std::string> names;
  size_t start = 0;
  for (size_t i = 0; i <= raw.size();) {
    size_t sep_len = 0;
    if (i == raw.size()) {
      sep_len = 1;
    } else {
      for (std::string_view sep : kSeparators) {
        if (raw.substr(i, sep.size()) == sep) {
          sep_len = sep.size();
          break;
        }
      }
    }
    if (sep_len == 0) {
      ++i;
      continue;
    }
    std::string name = Normalize(raw.substr(start, i - start));
    if (!name.empty()) names.push_back(std::move(name));
    i += sep_len;
    start = i;
  }
  return names;
}

std::string NameNormalizer::WithoutDots(std::string_view normalized) {
  std::string out;
  out.reserve(normalized.size());
  for (size_t i = 0; i < normalized.size();) {
    if (normalized.substr(i, 2) == kDot) {
      i += 2;
    } else {
      out.push_back(normalized[i++]);
    }
  }
  return out;
}

}  // namespace rollmatch
