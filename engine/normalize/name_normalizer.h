#pragma once
// Chinese names to one comparable form: NFKC (full-width → half-width), all
// whitespace removed (incl. U+3000 and zero-width characters), traditional →
// simplified (ICU "Hant-Hans"; OpenCC's TSCharacters for the characters ICU
// leaves unchanged), every middle-dot variant (· • ・ ‧ ． . ･ ∙ ⋅
// and the like) unified to U+00B7 "·", Latin letters upper-cased.
//
// ICU's transliterators are slow and serialised; the normalizer uses them
// once, at Create(), to build per-code-point tables, and Normalize() is a
// table look-up. Thread safety: Normalize() may be called from many threads.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace rollmatch {

class NameNormalizer {
 public:
  // Builds the tables (tens of milliseconds); fails only when ICU lacks a
  // transliterator or a converter.
  static Result<std::unique_ptr<NameNormalizer>> Create();
  ~NameNormalizer();

  // The normalized name; "" for empty/blank input. Invalid UTF-8 sequences
  // are replaced by U+FFFD.
  std::string Normalize(std::string_view raw) const;
  // Splits a former-names field on ; ； , ， 、 and normalizes each part,
  // dropping empty ones.
  std::vector<std::string> NormalizeList(std::string_view raw) const;
  // The same name without its dot separators (for minority names).
  static std::string WithoutDots(std::string_view normalized);

 private:
  NameNormalizer();
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

}  // namespace rollmatch
