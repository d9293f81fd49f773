#pragma once
// What person resolution needs to compare Chinese names beyond equality:
// toneless pinyin (surname-aware), variant-character folding (异体字),
// same-sound and similar-shape character sets (同音字, 形近字), and the
// surname length (compound surnames 欧阳, 尉迟, 万俟 ...).
//
// Tables are built once at Create() (ICU Han-Latin for readings, plus small
// tables kept in the repository and compiled in); every query is a look-up.
// Thread safety: all const methods may be called from many threads.
// Input names are already normalized by NameNormalizer.
// Data: data/surname-readings (surname readings), data/unihan-name-keys
// (Unihan readings and variants, see its derive.py), data/chars
// (same_pinyin.txt, same_stroke.txt).

#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace rollmatch {

class NameKeys {
 public:
  // Builds the tables: about 0.4-0.6 s, nearly all of it ICU Han-Latin over
  // the 28,000 CJK code points below U+20000 (planes 2-3 read Unihan
  // kMandarin). Fails only when ICU lacks the transliterator.
  static Result<std::unique_ptr<NameKeys>> Create();
  ~NameKeys();

  // Toneless pinyin, syllables joined by nothing, ü written as v
  // (吕 "lv" ≠ 卢 "lu"); the surname read with its surname reading
  // (单 shan, 曾 zeng, 解 xie, 朴 piao, 覃 qin, 缪 miao, 区 ou, 仇 qiu ...).
  // Non-Han characters pass through upper-cased; dots are dropped. A Han
  // character without a Mandarin reading passes through unchanged. In a name
  // with dots (查干·巴特尔) the first character is not read as a surname.
  // Example: 王伟 → "wangwei", 王玮 → "wangwei", 单雄信 → "shanxiongxin",
  // 王单 → "wangdan", 尉迟恭 → "yuchigong".
  std::string Pinyin(std::string_view name) const;

  // The name with every variant character (峯→峰, 堃→坤, 喆→哲 ...) replaced
  // by its representative; other characters unchanged.
  std::string FoldVariants(std::string_view name) const;

  // True when the two characters (code points) read the same, ignoring
  // tone, in any of their common readings (ICU's, Unihan's common readings,
  // the surname reading) or are listed as the same syllable in
  // same_pinyin.txt. True when a == b.
  bool SameSound(char32_t a, char32_t b) const;
  // True when the two characters are listed as similar in shape (形近字,
  // same_stroke.txt groups). True when a == b.
  bool SimilarShape(char32_t a, char32_t b) const;

  // Number of characters (code points) of the surname: 2 for a known
  // compound surname at the start of the name, else 1 (0 for "").
  size_t SurnameLength(std::u32string_view name) const;

 private:
  NameKeys();
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

// UTF-8 ⇄ UTF-32 helpers for names (invalid bytes become U+FFFD).
std::u32string ToU32(std::string_view utf8);
std::string ToUtf8(std::u32string_view u32);

}  // namespace rollmatch
