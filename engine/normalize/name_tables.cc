#include "engine/normalize/name_tables.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "engine/normalize/embedded_text.h"

namespace rollmatch::internal {
namespace {

// OpenCC's TSCharacters.txt (data/opencc/), as a string literal.
constexpr char kTsCharacters[] =
#include "ts_characters.inc"
    ;

// The characters of the 通用规范汉字表 (data/unihan-name-keys/standard_chars.txt):
// standard simplified characters, never changed. Some are also the traditional
// form of another character (乾 → 干, 於 → 于, 著 → 着, 徵 → 征), and ICU or
// OpenCC would fold them; in a name they are written as meant (乾隆, the
// surname 於).
constexpr char kStandardChars[] =
#include "standard_chars.inc"
    ;

// Separator between the characters of one batched Hant-Hans call. It is
// never part of a batched string: control characters are removed before.
constexpr char16_t kBatchSeparator = u'\n';
constexpr int kBatchSize = 4096;

// Removed from names: Unicode White_Space (incl. U+3000, U+00A0), default
// ignorable code points (U+200B..U+200F, U+2060, U+FEFF, U+00AD, variation
// selectors, bidi controls) and control characters.
bool IsRemoved(UChar32 c) {
  return u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
         u_charType(c) == U_CONTROL_CHAR;
}

// Middle-dot variants typed between the parts of minority and foreign names
// (阿卜杜拉·艾买提). Checked after NFKC, so U+FF0E, U+FE52, U+2024 (→ '.'),
// U+FF65 (→ U+30FB) and U+0387 (→ U+00B7) are covered through their NFKC forms.
bool IsDot(UChar32 c) {
  switch (c) {
    case 0x002E:  // . full stop
    case 0x00B7:  // · middle dot
    case 0x0387:  // · Greek ano teleia
    case 0x1427:  // ᐧ Canadian syllabics final middle dot
    case 0x16EB:  // ᛫ runic single punctuation
    case 0x2022:  // • bullet
    case 0x2024:  // ․ one dot leader
    case 0x2027:  // ‧ hyphenation point
    case 0x2219:  // ∙ bullet operator
    case 0x22C5:  // ⋅ dot operator
    case 0x2981:  // ⦁ Z notation spot
    case 0x2E31:  // ⸱ word separator middle dot
    case 0x2E33:  // ⸳ raised dot
    case 0x3002:  // 。 ideographic full stop (typed for the dot on Chinese keyboards)
    case 0x30FB:  // ・ katakana middle dot
    case 0xA78F:  // ꞏ Latin letter sinological dot
    case 0xFE52:  // ﹒ small full stop
    case 0xFF0E:  // ． full-width full stop
    case 0xFF61:  // ｡ half-width ideographic full stop
    case 0xFF65:  // ･ half-width katakana middle dot
      return true;
    default:
      return false;
  }
}

bool IsLatin(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_LATIN && U_SUCCESS(status);
}

std::u32string ToU32(const icu::UnicodeString& s) {
  std::u32string out;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// traditional → simplified from OpenCC, one code point each, only where the
// first (default) value differs from the key.
std::unordered_map<char32_t, char32_t> ParseTsCharacters() {
  std::unordered_map<char32_t, char32_t> map;
  ForEachLine(std::string_view(kTsCharacters, sizeof(kTsCharacters) - 1), [&](std::string_view line) {
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return;
    std::string_view first = line.substr(tab + 1);
    first = first.substr(0, first.find(' '));
    const std::u32string key = ToU32(icu::UnicodeString::fromUTF8(icu::StringPiece(line.data(), tab)));
    const std::u32string value = ToU32(
        icu::UnicodeString::fromUTF8(icu::StringPiece(first.data(), static_cast<int32_t>(first.size()))));
    if (key.size() == 1 && value.size() == 1 && key != value) map.emplace(key[0], value[0]);
  });
  return map;
}

// The code points of kStandardChars.
std::unordered_set<char32_t> ParseStandardChars() {
  std::unordered_set<char32_t> set;
  ForEachLine(std::string_view(kStandardChars, sizeof(kStandardChars) - 1), [&](std::string_view line) {
    for (char32_t c : ToU32(icu::UnicodeString::fromUTF8(
             icu::StringPiece(line.data(), static_cast<int32_t>(line.size())))))
      if (c > 0x7F) set.insert(c);
  });
  return set;
}

// Runs Hant-Hans over many strings at once: joined by kBatchSeparator, one
// call, split back. Falls back to one call per string if the separator count
// does not come back unchanged.
void TransliterateBatch(const icu::Transliterator& hant_hans, std::vector<std::u32string*>& items) {
  icu::UnicodeString joined;
  for (const std::u32string* s : items) {
    for (char32_t c : *s) joined.append(static_cast<UChar32>(c));
    joined.append(kBatchSeparator);
  }
  hant_hans.transliterate(joined);
  std::vector<std::u32string> parts;
  parts.reserve(items.size());
  int32_t start = 0;
  for (int32_t i = 0; i < joined.length(); ++i) {
    if (joined.charAt(i) == kBatchSeparator) {
      parts.push_back(ToU32(joined.tempSubStringBetween(start, i)));
      start = i + 1;
    }
  }
  if (parts.size() == items.size() && start == joined.length()) {
    for (size_t i = 0; i < items.size(); ++i) *items[i] = std::move(parts[i]);
    return;
  }
  for (std::u32string* s : items) {
    icu::UnicodeString one;
    for (char32_t c : *s) one.append(static_cast<UChar32>(c));
    hant_hans.transliterate(one);
    *s = ToU32(one);
  }
}

std::u32string_view Lookup(const std::vector<std::u32string>& mapped, char32_t c, char32_t* scratch) {
  if (c < NameTable::kEnd) return mapped[c];
  if (c >= 0xE0000 && c <= 0xE0FFF) return {};
  *scratch = c;
  return std::u32string_view(scratch, 1);
}

// Makes the mapping idempotent: mapping a result again changes nothing.
// Cycles of single characters (ICU maps 苎 → 苧 and 苧 → 苎) map to their
// smallest member; chains (A → B, B → C) are followed to the end.
void Close(std::vector<std::u32string>& mapped) {
  const char32_t n = NameTable::kEnd;
  std::vector<uint8_t> state(n, 0);  // 0 unvisited, 1 on the current path, 2 done
  std::vector<char32_t> path;
  for (char32_t start = 0; start < n; ++start) {
    path.clear();
    char32_t c = start;
    bool cycle = false;
    while (true) {
      if (state[c] != 0) {
        cycle = state[c] == 1;  // back on the current path
        break;
      }
      state[c] = 1;
      path.push_back(c);
      const std::u32string& m = mapped[c];
      if (m.size() != 1 || m[0] >= n || m[0] == c) break;
      c = m[0];
    }
    if (cycle) {
      // Every member maps to exactly one code point below n.
      std::vector<char32_t> members;
      char32_t x = c;
      do {
        members.push_back(x);
        x = mapped[x][0];
      } while (x != c);
      const char32_t rep = *std::min_element(members.begin(), members.end());
      for (char32_t m : members) mapped[m] = std::u32string(1, rep);
    }
    for (char32_t p : path) state[p] = 2;
  }
  for (int round = 0; round < 8; ++round) {
    bool changed = false;
    std::u32string next;
    for (char32_t c = 0; c < n; ++c) {
      next.clear();
      char32_t scratch;
      for (char32_t x : mapped[c]) next.append(Lookup(mapped, x, &scratch));
      if (next != mapped[c]) {
        mapped[c] = next;
        changed = true;
      }
    }
    if (!changed) break;
  }
}

}  // namespace

Status BuildNameTable(NameTable* table) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return Status::Internal(std::string("ICU NFKC normalizer: ") + u_errorName(status));
  std::unique_ptr<icu::Transliterator> hant_hans(
      icu::Transliterator::createInstance("Hant-Hans", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || hant_hans == nullptr) {
    return Status::Internal(std::string("ICU transliterator Hant-Hans: ") + u_errorName(status));
  }
  icu::UnicodeSet hant_source;
  hant_hans->getSourceSet(hant_source);  // the characters Hant-Hans may change
  const std::unordered_map<char32_t, char32_t> opencc = ParseTsCharacters();
  const std::unordered_set<char32_t> standard = ParseStandardChars();

  const char32_t n = NameTable::kEnd;
  std::vector<std::u32string> mapped(n);
  std::vector<uint8_t> changed_by_icu(n, 0);
  std::vector<std::u32string*> batch;
  std::vector<char32_t> batch_cps;
  std::vector<std::u32string> before;
  auto flush = [&]() {
    before.clear();
    for (std::u32string* s : batch) before.push_back(*s);
    TransliterateBatch(*hant_hans, batch);
    for (size_t i = 0; i < batch.size(); ++i) changed_by_icu[batch_cps[i]] = *batch[i] != before[i];
    batch.clear();
    batch_cps.clear();
  };
  for (char32_t c = 0; c < n; ++c) {
    const int8_t type = u_charType(c);
    if (type == U_SURROGATE) {
      mapped[c].assign(1, 0xFFFD);  // never decoded from valid UTF-8
      continue;
    }
    if (IsRemoved(c)) continue;
    if (type == U_UNASSIGNED || type == U_PRIVATE_USE_CHAR || nfkc->isInert(c)) {
      mapped[c] = std::u32string(1, c);
    } else {
      icu::UnicodeString s = nfkc->normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
      if (U_FAILURE(status)) return Status::Internal(std::string("ICU NFKC: ") + u_errorName(status));
      mapped[c] = ToU32(s);
    }
    bool for_icu = false;
    for (char32_t x : mapped[c]) for_icu |= !IsRemoved(x) && hant_source.contains(x) && !standard.count(x);
    if (for_icu) {
      batch.push_back(&mapped[c]);
      batch_cps.push_back(c);
      if (batch.size() == kBatchSize) flush();
    }
  }
  flush();

  for (char32_t c = 0; c < n; ++c) {
    std::u32string& m = mapped[c];
    std::u32string out;
    for (char32_t x : m) {
      if (!changed_by_icu[c] && !standard.count(x)) {
        auto it = opencc.find(x);
        if (it != opencc.end()) x = it->second;
      }
      if (IsRemoved(x)) continue;
      if (IsDot(x)) {
        x = 0x00B7;
      } else if (IsLatin(x)) {
        x = static_cast<char32_t>(u_toupper(x));
      }
      out.push_back(x);
    }
    m = std::move(out);
  }
  Close(mapped);

  table->entries.assign(n, 0);
  table->arena.clear();
  std::string utf8;
  for (char32_t c = 0; c < n; ++c) {
    const std::u32string& m = mapped[c];
    if (m.empty()) continue;
    utf8.clear();
    for (char32_t x : m) AppendUtf8(x, &utf8);
    if (m.size() == 1) {
      uint32_t e = 0;
      for (size_t i = 0; i < utf8.size(); ++i) {
        e |= static_cast<uint32_t>(static_cast<uint8_t>(utf8[i])) << (8 * i);
      }
      table->entries[c] = e;
    } else {
      if (utf8.size() > 255 || table->arena.size() >= (1u << 24)) {
        return Status::Internal("name table: replacement too long");
      }
      table->entries[c] = (static_cast<uint32_t>(table->arena.size()) << 8) | NameTable::kArenaTag;
      table->arena.push_back(static_cast<char>(utf8.size()));
      table->arena += utf8;
    }
  }
  return Status::Ok();
}

}  // namespace rollmatch::internal
