#pragma once
// Internal to engine/normalize: the tables behind NameKeys, and the code that
// builds them (ICU "Han-Latin" for the default readings, plus the compiled-in
// data of data/surname-readings, data/unihan-name-keys and data/chars).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/core/status.h"

namespace rollmatch::internal {

struct NameKeyTables {
  // Code points with a reading slot: U+3000..U+3134F (〇, CJK Ext A, URO,
  // compatibility ideographs, Ext B..H).
  static constexpr char32_t kFirst = 0x3000;
  static constexpr char32_t kEnd = 0x31350;
  // Reading id 0: no reading.
  static constexpr uint16_t kNoReading = 0;

  // Toneless readings ("wang", "lv", rarely several syllables such as
  // "qianwa"), indexed by reading id; readings[0] is "".
  std::vector<std::string> readings;
  // The default reading of code point c at default_reading[c - kFirst]:
  // ICU Han-Latin below U+20000, Unihan kMandarin above.
  std::vector<uint16_t> default_reading;
  // Every common reading of the characters that have more than their default
  // (polyphones, surname readings), sorted by code point; the default is
  // included.
  std::vector<std::pair<char32_t, uint16_t>> all_readings;

  // Surname readings: one reading id per character of the surname.
  std::unordered_map<char32_t, uint16_t> surname;
  std::unordered_map<uint64_t, std::pair<uint16_t, uint16_t>> compound_surname;  // key: c1 << 32 | c2

  // Pairs (smaller << 32 | larger) listed as the same syllable in
  // same_pinyin.txt, sorted.
  std::vector<uint64_t> same_sound_pairs;
  // (character, group) for the similar-shape groups of same_stroke.txt, sorted.
  std::vector<std::pair<char32_t, uint32_t>> shape_groups;
  // (variant, representative), sorted by variant.
  std::vector<std::pair<char32_t, char32_t>> variants;

  static uint64_t PairKey(char32_t a, char32_t b) { return static_cast<uint64_t>(a) << 32 | b; }
};

// Builds all tables. Fails when ICU lacks the Han-Latin transliterator or the
// NFD normalizer, or when a compiled-in table is malformed.
Status BuildNameKeyTables(NameKeyTables* tables);

// Decodes one code point from s[*i..n), advancing *i; ill-formed sequences
// give U+FFFD (maximal subparts, Unicode §3.9).
char32_t DecodeUtf8(const unsigned char* s, size_t n, size_t* i);
// Appends c as UTF-8; surrogates and values above U+10FFFF become U+FFFD.
void AppendUtf8(char32_t c, std::string* out);

}  // namespace rollmatch::internal
