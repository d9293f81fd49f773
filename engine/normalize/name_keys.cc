#include "engine/normalize/name_keys.h"

#include <algorithm>

#include "engine/normalize/name_keys_tables.h"

namespace rollmatch {

struct NameKeys::Tables {
  internal::NameKeyTables t;
};

namespace {

using internal::AppendUtf8;
using internal::DecodeUtf8;
using internal::NameKeyTables;

constexpr char32_t kDot = 0x00B7;  // "·" between the parts of minority and foreign names

// The code points of a name, on the stack for names of up to 32 of them.
class CodePoints {
 public:
  explicit CodePoints(std::string_view utf8) {
    const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
    for (size_t i = 0; i < utf8.size();) {
      const char32_t c = DecodeUtf8(s, utf8.size(), &i);
      if (size_ < kLocal) {
        local_[size_] = c;
      } else {
        if (heap_.empty()) heap_.assign(local_, local_ + kLocal);
        heap_.push_back(c);
      }
      ++size_;
    }
  }
  size_t size() const { return size_; }
  char32_t operator[](size_t i) const { return size_ <= kLocal ? local_[i] : heap_[i]; }
  std::u32string_view view() const {
    return size_ <= kLocal ? std::u32string_view(local_, size_) : std::u32string_view(heap_);
  }

 private:
  static constexpr size_t kLocal = 32;
  char32_t local_[kLocal];
  std::u32string heap_;
  size_t size_ = 0;
};

inline uint16_t DefaultReading(const NameKeyTables& t, char32_t c) {
  if (c < NameKeyTables::kFirst || c >= NameKeyTables::kEnd) return NameKeyTables::kNoReading;
  return t.default_reading[c - NameKeyTables::kFirst];
}

// The common readings of c: a range of all_readings, or just the default.
struct Readings {
  const std::pair<char32_t, uint16_t>* begin;
  const std::pair<char32_t, uint16_t>* end;
  uint16_t only;
};

Readings ReadingsOf(const NameKeyTables& t, char32_t c) {
  const auto range = std::equal_range(t.all_readings.data(), t.all_readings.data() + t.all_readings.size(),
                                      std::pair<char32_t, uint16_t>(c, 0),
                                      [](const auto& a, const auto& b) { return a.first < b.first; });
  return {range.first, range.second, DefaultReading(t, c)};
}

bool Contains(const Readings& r, uint16_t id) {
  if (r.begin == r.end) return r.only == id;
  for (auto* p = r.begin; p != r.end; ++p) {
    if (p->second == id) return true;
  }
  return false;
}

}  // namespace

NameKeys::NameKeys() : tables_(std::make_unique<Tables>()) {}
NameKeys::~NameKeys() = default;

Result<std::unique_ptr<NameKeys>> NameKeys::Create() {
  std::unique_ptr<NameKeys> keys(new NameKeys());
  RM_RETURN_IF_ERROR(internal::BuildNameKeyTables(&keys->tables_->t));
  return keys;
}

std::string NameKeys::Pinyin(std::string_view name) const {
  const NameKeyTables& t = tables_->t;
  const CodePoints cps(name);
  const size_t n = cps.size();
  std::string out;
  out.reserve(name.size() * 2);
  auto append_reading = [&](uint16_t id) { out += t.readings[id]; };

  // The surname reading applies to Han names only: in a name with dots
  // (查干·巴特尔) the first character is not a surname.
  size_t i = 0;
  const std::u32string_view view = cps.view();
  if (n > 0 && view.find(kDot) == std::u32string_view::npos) {
    if (n >= 2) {
      auto it = t.compound_surname.find(NameKeyTables::PairKey(cps[0], cps[1]));
      if (it != t.compound_surname.end()) {
        append_reading(it->second.first);
        append_reading(it->second.second);
        i = 2;
      }
    }
    if (i == 0) {
      auto it = t.surname.find(cps[0]);
      if (it != t.surname.end()) {
        append_reading(it->second);
        i = 1;
      }
    }
  }
  for (; i < n; ++i) {
    const char32_t c = cps[i];
    if (c == kDot || c == U'.') continue;
    const uint16_t id = DefaultReading(t, c);
    if (id != NameKeyTables::kNoReading) {
      append_reading(id);
    } else if (c >= U'a' && c <= U'z') {
      out.push_back(static_cast<char>(c - U'a' + 'A'));
    } else {
      AppendUtf8(c, &out);
    }
  }
  return out;
}

std::string NameKeys::FoldVariants(std::string_view name) const {
  const auto& variants = tables_->t.variants;
  std::string out;
  out.reserve(name.size());
  const auto* s = reinterpret_cast<const unsigned char*>(name.data());
  for (size_t i = 0; i < name.size();) {
    char32_t c = DecodeUtf8(s, name.size(), &i);
    if (c >= NameKeyTables::kFirst) {
      auto it = std::lower_bound(variants.begin(), variants.end(), std::pair<char32_t, char32_t>(c, 0));
      if (it != variants.end() && it->first == c) c = it->second;
    }
    AppendUtf8(c, &out);
  }
  return out;
}

bool NameKeys::SameSound(char32_t a, char32_t b) const {
  if (a == b) return true;
  const NameKeyTables& t = tables_->t;
  const Readings ra = ReadingsOf(t, a);
  const Readings rb = ReadingsOf(t, b);
  if (ra.begin == ra.end) {
    if (ra.only != NameKeyTables::kNoReading && Contains(rb, ra.only)) return true;
  } else {
    for (auto* p = ra.begin; p != ra.end; ++p) {
      if (Contains(rb, p->second)) return true;
    }
  }
  return std::binary_search(t.same_sound_pairs.begin(), t.same_sound_pairs.end(),
                            NameKeyTables::PairKey(std::min(a, b), std::max(a, b)));
}

bool NameKeys::SimilarShape(char32_t a, char32_t b) const {
  if (a == b) return true;
  const auto& groups = tables_->t.shape_groups;
  auto by_char = [](const std::pair<char32_t, uint32_t>& x, const std::pair<char32_t, uint32_t>& y) {
    return x.first < y.first;
  };
  const auto ga =
      std::equal_range(groups.begin(), groups.end(), std::pair<char32_t, uint32_t>(a, 0), by_char);
  if (ga.first == ga.second) return false;
  const auto gb =
      std::equal_range(groups.begin(), groups.end(), std::pair<char32_t, uint32_t>(b, 0), by_char);
  for (auto x = ga.first; x != ga.second; ++x) {
    for (auto y = gb.first; y != gb.second; ++y) {
      if (x->second == y->second) return true;
    }
  }
  return false;
}

size_t NameKeys::SurnameLength(std::u32string_view name) const {
  if (name.empty()) return 0;
  if (name.size() >= 2 && tables_->t.compound_surname.count(NameKeyTables::PairKey(name[0], name[1])) != 0) {
    return 2;
  }
  return 1;
}

std::u32string ToU32(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  for (size_t i = 0; i < utf8.size();) out.push_back(DecodeUtf8(s, utf8.size(), &i));
  return out;
}

std::string ToUtf8(std::u32string_view u32) {
  std::string out;
  out.reserve(u32.size() * 3);
  for (char32_t c : u32) AppendUtf8(c, &out);
  return out;
}

}  // namespace rollmatch
