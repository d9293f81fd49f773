#include "engine/normalize/name_keys_tables.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string_view>

#include "engine/normalize/embedded_text.h"

namespace rollmatch::internal {
namespace {

// The compiled-in data (see engine/normalize/CMakeLists.txt).
constexpr char kSurnamePinyin[] =
#include "surname_pinyin.inc"
    ;
constexpr char kSurnameOverrides[] =
#include "surname_overrides.inc"
    ;
constexpr char kNameReadings[] =
#include "name_readings.inc"
    ;
constexpr char kNameVariants[] =
#include "name_variants.inc"
    ;
constexpr char kSamePinyin[] =
#include "same_pinyin.inc"
    ;
constexpr char kSameStroke[] =
#include "same_stroke.inc"
    ;

template <size_t N>
constexpr std::string_view Text(const char (&literal)[N]) {
  return std::string_view(literal, N - 1);
}

// The code points below U+20000 read by ICU at Create(). Planes 2-3 take
// Han-Latin about 30 µs per code point (2 s for Ext B..H), so their readings
// come from Unihan kMandarin in name_readings.tsv instead.
constexpr std::pair<char32_t, char32_t> kIcuRanges[] = {
    {0x3007, 0x3007},  // 〇
    {0x3400, 0x4DBF},  // CJK Extension A
    {0x4E00, 0x9FFF},  // CJK Unified Ideographs
    {0xF900, 0xFAFF},  // CJK Compatibility Ideographs
};

// Separates the characters of one batched Han-Latin call; Han-Latin leaves it
// alone and never reads across it.
constexpr char16_t kBatchSeparator = u'\n';
constexpr size_t kBatchSize = 4096;

std::vector<std::string_view> Split(std::string_view line, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t at = line.find(sep);
    parts.push_back(line.substr(0, at));
    if (at == std::string_view::npos) break;
    line.remove_prefix(at + 1);
  }
  return parts;
}

std::u32string Decode(std::string_view utf8) {
  std::u32string out;
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  for (size_t i = 0; i < utf8.size();) out.push_back(DecodeUtf8(s, utf8.size(), &i));
  return out;
}

// Turns pinyin with tone marks (as NFD) into the toneless form: ü → v,
// combining marks and spaces dropped, ASCII lower case. "" when anything else
// remains (Han-Latin leaves characters it cannot read unchanged).
std::string TonelessFromNfd(const icu::UnicodeString& nfd) {
  std::string out;
  for (int32_t i = 0; i < nfd.length(); ++i) {
    const char16_t c = nfd.charAt(i);
    if (c >= 0x0300 && c <= 0x036F) {
      if (c == 0x0308 && !out.empty() && out.back() == 'u') out.back() = 'v';
      continue;
    }
    if (c == u' ' || c == u'\'') continue;
    if (c >= u'A' && c <= u'Z') {
      out.push_back(static_cast<char>(c - u'A' + 'a'));
    } else if (c >= u'a' && c <= u'z') {
      out.push_back(static_cast<char>(c));
    } else {
      return "";
    }
  }
  return out;
}

class Builder {
 public:
  Builder(NameKeyTables* t, const icu::Normalizer2* nfd) : t_(t), nfd_(nfd) {
    t_->readings.assign(1, "");
    t_->default_reading.assign(NameKeyTables::kEnd - NameKeyTables::kFirst, NameKeyTables::kNoReading);
  }

  uint16_t Intern(const std::string& reading) {
    if (reading.empty()) return NameKeyTables::kNoReading;
    auto [it, inserted] = ids_.emplace(reading, static_cast<uint16_t>(t_->readings.size()));
    if (inserted) t_->readings.push_back(reading);
    return it->second;
  }

  // Toneless reading of pinyin written with tone marks ("lǘ", "shàn").
  Result<uint16_t> InternMarked(std::string_view marked) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString nfd = nfd_->normalize(
        icu::UnicodeString::fromUTF8(icu::StringPiece(marked.data(), static_cast<int32_t>(marked.size()))),
        status);
    if (U_FAILURE(status)) return Status::Internal(std::string("ICU NFD: ") + u_errorName(status));
    const std::string toneless = TonelessFromNfd(nfd);
    if (toneless.empty()) return Status::Corrupt("name keys: not a pinyin syllable: " + std::string(marked));
    return Intern(toneless);
  }

  uint16_t& Default(char32_t c) { return t_->default_reading[c - NameKeyTables::kFirst]; }
  static bool HasSlot(char32_t c) { return c >= NameKeyTables::kFirst && c < NameKeyTables::kEnd; }

  // Adds a common reading of c (the default comes first when the list is
  // flattened).
  void AddReading(char32_t c, uint16_t id) {
    std::vector<uint16_t>& list = extra_[c];
    if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(id);
  }

  Status ReadWithIcu() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> han_latin(
        icu::Transliterator::createInstance("Han-Latin", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || han_latin == nullptr) {
      return Status::Internal(std::string("ICU transliterator Han-Latin: ") + u_errorName(status));
    }
    std::vector<char32_t> batch;
    for (auto [lo, hi] : kIcuRanges) {
      for (char32_t c = lo; c <= hi; ++c) {
        if (!u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_IDEOGRAPHIC)) continue;  // unassigned
        batch.push_back(c);
        if (batch.size() == kBatchSize) RM_RETURN_IF_ERROR(ReadBatch(*han_latin, &batch));
      }
    }
    return ReadBatch(*han_latin, &batch);
  }

  // One Han-Latin call for the whole batch, split back at the separators;
  // one call per character if the separators do not come back one for one.
  Status ReadBatch(const icu::Transliterator& han_latin, std::vector<char32_t>* batch) {
    if (batch->empty()) return Status::Ok();
    icu::UnicodeString joined;
    for (char32_t c : *batch) {
      joined.append(static_cast<UChar32>(c));
      joined.append(kBatchSeparator);
    }
    han_latin.transliterate(joined);
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString nfd = nfd_->normalize(joined, status);
    if (U_FAILURE(status)) return Status::Internal(std::string("ICU NFD: ") + u_errorName(status));
    std::vector<std::string> parts;
    parts.reserve(batch->size());
    int32_t start = 0;
    for (int32_t i = 0; i < nfd.length(); ++i) {
      if (nfd.charAt(i) != kBatchSeparator) continue;
      parts.push_back(TonelessFromNfd(nfd.tempSubStringBetween(start, i)));
      start = i + 1;
    }
    if (parts.size() != batch->size() || start != nfd.length()) {
      parts.clear();
      for (char32_t c : *batch) {
        icu::UnicodeString one(static_cast<UChar32>(c));
        han_latin.transliterate(one);
        const icu::UnicodeString one_nfd = nfd_->normalize(one, status);
        if (U_FAILURE(status)) return Status::Internal(std::string("ICU NFD: ") + u_errorName(status));
        parts.push_back(TonelessFromNfd(one_nfd));
      }
    }
    for (size_t i = 0; i < batch->size(); ++i) Default((*batch)[i]) = Intern(parts[i]);
    batch->clear();
    return Status::Ok();
  }

  // name_readings.tsv: the common readings of standard characters, and the
  // default reading of planes 2-3.
  Status ReadUnihanReadings() {
    Status error = Status::Ok();
    ForEachLine(Text(kNameReadings), [&](std::string_view line) {
      const std::vector<std::string_view> fields = Split(line, '\t');
      const std::u32string c = Decode(fields[0]);
      if (fields.size() != 2 || c.size() != 1 || !HasSlot(c[0])) {
        error = Status::Corrupt("name_readings.tsv: bad line: " + std::string(line));
        return;
      }
      for (std::string_view r : Split(fields[1], ' ')) {
        const uint16_t id = Intern(std::string(r));
        if (id == NameKeyTables::kNoReading) continue;
        if (Default(c[0]) == NameKeyTables::kNoReading) Default(c[0]) = id;
        AddReading(c[0], id);
      }
    });
    return error;
  }

  Status ReadSurnames(std::string_view text, const char* file) {
    Status error = Status::Ok();
    ForEachLine(text, [&](std::string_view line) {
      if (!error.ok()) return;
      const std::vector<std::string_view> fields = Split(line, '\t');
      if (fields.size() == 2 && fields[0] == "surname") return;  // header
      const std::u32string surname = Decode(fields[0]);
      const std::vector<std::string_view> syllables =
          fields.size() == 2 ? Split(fields[1], ' ') : std::vector<std::string_view>{};
      if (surname.empty() || surname.size() > 2 || syllables.size() != surname.size()) {
        error = Status::Corrupt(std::string(file) + ": bad line: " + std::string(line));
        return;
      }
      uint16_t ids[2] = {NameKeyTables::kNoReading, NameKeyTables::kNoReading};
      for (size_t i = 0; i < surname.size(); ++i) {
        Result<uint16_t> id = InternMarked(syllables[i]);
        if (!id.ok()) {
          error = id.status();
          return;
        }
        ids[i] = *id;
        if (HasSlot(surname[i])) AddReading(surname[i], ids[i]);
      }
      if (surname.size() == 1) {
        t_->surname[surname[0]] = ids[0];
      } else {
        t_->compound_surname[NameKeyTables::PairKey(surname[0], surname[1])] = {ids[0], ids[1]};
      }
    });
    return error;
  }

  // Compatibility ideographs ICU reads as their unified character (not as
  // pinyin) take that character's reading.
  void ReadCompatibilityIdeographs() {
    for (auto [lo, hi] : {std::pair<char32_t, char32_t>{0xF900, 0xFAFF}, {0x2F800, 0x2FA1F}}) {
      for (char32_t c = lo; c <= hi; ++c) {
        if (Default(c) != NameKeyTables::kNoReading) continue;
        icu::UnicodeString decomposition;
        if (!nfd_->getDecomposition(static_cast<UChar32>(c), decomposition)) continue;
        if (decomposition.countChar32() != 1) continue;
        const char32_t target = static_cast<char32_t>(decomposition.char32At(0));
        if (HasSlot(target)) Default(c) = Default(target);
      }
    }
  }

  // Flattens the reading lists: default first, kept only for characters with
  // more than one reading.
  void FlattenReadings() {
    std::map<char32_t, std::vector<uint16_t>> sorted(extra_.begin(), extra_.end());
    for (auto& [c, list] : sorted) {
      const uint16_t def = Default(c);
      if (def != NameKeyTables::kNoReading && std::find(list.begin(), list.end(), def) == list.end()) {
        list.insert(list.begin(), def);
      }
      if (list.size() < 2) continue;
      for (uint16_t id : list) t_->all_readings.emplace_back(c, id);
    }
  }

 private:
  NameKeyTables* t_;
  const icu::Normalizer2* nfd_;
  std::unordered_map<std::string, uint16_t> ids_;
  std::unordered_map<char32_t, std::vector<uint16_t>> extra_;
};

Status ReadSamePinyin(NameKeyTables* t) {
  Status error = Status::Ok();
  ForEachLine(Text(kSamePinyin), [&](std::string_view line) {
    const std::vector<std::string_view> fields = Split(line, '\t');
    const std::u32string c = Decode(fields[0]);
    if (c.size() != 1) {
      error = Status::Corrupt("same_pinyin.txt: bad line: " + std::string(line));
      return;
    }
    for (size_t f = 1; f < fields.size(); ++f) {
      for (char32_t x : Decode(fields[f])) {
        if (x == c[0] || x == U' ') continue;
        t->same_sound_pairs.push_back(NameKeyTables::PairKey(std::min(x, c[0]), std::max(x, c[0])));
      }
    }
  });
  std::sort(t->same_sound_pairs.begin(), t->same_sound_pairs.end());
  t->same_sound_pairs.erase(std::unique(t->same_sound_pairs.begin(), t->same_sound_pairs.end()),
                            t->same_sound_pairs.end());
  return error;
}

void ReadSameStroke(NameKeyTables* t) {
  uint32_t group = 0;
  ForEachLine(Text(kSameStroke), [&](std::string_view line) {
    for (std::string_view field : Split(line, '\t')) {
      const std::u32string c = Decode(field);
      if (c.size() == 1) t->shape_groups.emplace_back(c[0], group);
    }
    ++group;
  });
  std::sort(t->shape_groups.begin(), t->shape_groups.end());
  t->shape_groups.erase(std::unique(t->shape_groups.begin(), t->shape_groups.end()), t->shape_groups.end());
}

Status ReadVariants(NameKeyTables* t) {
  Status error = Status::Ok();
  ForEachLine(Text(kNameVariants), [&](std::string_view line) {
    const std::vector<std::string_view> fields = Split(line, '\t');
    const std::u32string variant = fields.size() == 2 ? Decode(fields[0]) : std::u32string();
    const std::u32string rep = fields.size() == 2 ? Decode(fields[1]) : std::u32string();
    if (variant.size() != 1 || rep.size() != 1 || variant == rep) {
      error = Status::Corrupt("name_variants.tsv: bad line: " + std::string(line));
      return;
    }
    t->variants.emplace_back(variant[0], rep[0]);
  });
  RM_RETURN_IF_ERROR(error);
  std::sort(t->variants.begin(), t->variants.end());
  for (size_t i = 0; i < t->variants.size(); ++i) {
    const char32_t rep = t->variants[i].second;
    const bool rep_is_variant =
        std::binary_search(t->variants.begin(), t->variants.end(), std::pair<char32_t, char32_t>(rep, 0),
                           [](const auto& a, const auto& b) { return a.first < b.first; });
    if ((i > 0 && t->variants[i - 1].first == t->variants[i].first) || rep_is_variant) {
      return Status::Corrupt("name_variants.tsv: folding must be a function and idempotent");
    }
  }
  return Status::Ok();
}

}  // namespace

char32_t DecodeUtf8(const unsigned char* s, size_t n, size_t* i) {
  constexpr char32_t kReplacement = 0xFFFD;
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

void AppendUtf8(char32_t c, std::string* out) {
  if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) c = 0xFFFD;
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

Status BuildNameKeyTables(NameKeyTables* tables) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return Status::Internal(std::string("ICU NFD normalizer: ") + u_errorName(status));
  Builder builder(tables, nfd);
  RM_RETURN_IF_ERROR(builder.ReadWithIcu());
  RM_RETURN_IF_ERROR(builder.ReadUnihanReadings());
  RM_RETURN_IF_ERROR(builder.ReadSurnames(Text(kSurnamePinyin), "surname_pinyin.tsv"));
  RM_RETURN_IF_ERROR(builder.ReadSurnames(Text(kSurnameOverrides), "surname_overrides.tsv"));
  builder.ReadCompatibilityIdeographs();
  builder.FlattenReadings();
  if (tables->readings.size() > 0xFFFF) return Status::Internal("name keys: too many distinct readings");
  RM_RETURN_IF_ERROR(ReadSamePinyin(tables));
  ReadSameStroke(tables);
  return ReadVariants(tables);
}

}  // namespace rollmatch::internal
