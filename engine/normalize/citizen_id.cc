#include "engine/normalize/citizen_id.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "engine/core/check.h"

namespace rollmatch {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[] = "10X98765432";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Characters dropped anywhere in an ID: ASCII whitespace and hyphens.
bool IsAsciiSeparator(char c) {
  return c == ' ' || c == '-' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// The same after NFKC, for the non-ASCII path: every Unicode space, zero-width
// characters and the BOM, and the dash family (‐ ‑ ‒ – — ― − ﹣ －, the last two
// already '-' after NFKC).
bool IsSeparator(UChar32 c) {
  if (c < 0x80) return IsAsciiSeparator(static_cast<char>(c));
  if (u_isUWhiteSpace(c)) return true;
  switch (c) {
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:  // zero width, BOM
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFE58:
    case 0xFE63:
    case 0xFF0D:
      return true;
    default:
      return false;
  }
}

// Slow path for text with non-ASCII bytes (full-width digits, U+3000, ...):
// NFKC through ICU, then the ASCII clean-up. Invalid UTF-8 becomes U+FFFD
// (and so a malformed ID); if ICU fails, the text is cleaned without NFKC.
void CleanNonAscii(std::string_view raw, std::string* out) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
  icu::UnicodeString normalized;
  if (U_SUCCESS(status)) normalized = nfkc->normalize(text, status);
  if (U_FAILURE(status)) normalized = text;  // keep the text; it will not parse as an ID
  icu::UnicodeString kept;
  for (int32_t i = 0; i < normalized.length();) {
    UChar32 c = normalized.char32At(i);
    i += U16_LENGTH(c);
    if (IsSeparator(c)) continue;
    if (c == 'x' || c == 0x00D7) c = 'X';  // '×' typed for the check character X
    kept.append(c);
  }
  kept.toUTF8String(*out);
}

// Classifies cleaned text (no separators, x already upper-cased).
CitizenId Classify(std::string_view text) {
  if (text.empty()) return CitizenId();  // kEmpty
  if (text.size() == 18 && AllDigits(text.substr(0, 17)) && (IsDigit(text[17]) || text[17] == 'X')) {
    return CitizenId(text, ComputeCheckCharacter(text.substr(0, 17)) == text[17] ? IdStatus::kValid
                                                                                  : IdStatus::kBadCheck);
  }
  if (text.size() == 15 && AllDigits(text)) {
    char id18[18];
    std::memcpy(id18, text.data(), 6);
    id18[6] = '1';
    id18[7] = '9';
    std::memcpy(id18 + 8, text.data() + 6, 9);
    id18[17] = ComputeCheckCharacter(std::string_view(id18, 17));
    return CitizenId(std::string_view(id18, 18), IdStatus::kValidFrom15);
  }
  return CitizenId(text, IdStatus::kMalformed);
}

}  // namespace

char ComputeCheckCharacter(std::string_view first17) {
  RM_DCHECK(first17.size() >= 17 && AllDigits(first17.substr(0, 17))) << first17;
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[sum % 11];
}

bool HasValidCheckCharacter(std::string_view id) {
  return id.size() == 18 && AllDigits(id.substr(0, 17)) && ComputeCheckCharacter(id.substr(0, 17)) == id[17];
}

CitizenId NormalizeCitizenId(std::string_view raw) {
  bool ascii = true;
  for (char c : raw) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii) {
    std::string text;
    CleanNonAscii(raw, &text);
    return Classify(text);
  }
  // Fast path, no ICU: NFKC leaves ASCII as it is. The cleaned text goes to
  // a buffer on the stack unless it is longer than any ID.
  char buf[32];
  size_t n = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (IsAsciiSeparator(c)) continue;
    if (n == sizeof buf) {
      std::string text(buf, n);
      for (; i < raw.size(); ++i) {
        if (!IsAsciiSeparator(raw[i])) text.push_back(raw[i] == 'x' ? 'X' : raw[i]);
      }
      return Classify(text);
    }
    buf[n++] = c == 'x' ? 'X' : c;
  }
  return Classify(std::string_view(buf, n));
}

CitizenId::CitizenId(std::string_view text, IdStatus status) : status(status) { Assign(text); }

CitizenId::CitizenId(const CitizenId& other) : status(other.status) { Assign(other.text()); }

CitizenId& CitizenId::operator=(const CitizenId& other) {
  if (this != &other) {
    // `other` may not alias: its text lives in its own storage.
    CitizenId copy(other);
    *this = std::move(copy);
  }
  return *this;
}

CitizenId::CitizenId(CitizenId&& other) noexcept : status(other.status), size_(other.size_) {
  std::memcpy(inline_, other.inline_, sizeof inline_);
  other.size_ = 0;  // the heap text, if any, now belongs here
  other.status = IdStatus::kEmpty;
}

CitizenId& CitizenId::operator=(CitizenId&& other) noexcept {
  if (this != &other) {
    Release();
    status = other.status;
    size_ = other.size_;
    std::memcpy(inline_, other.inline_, sizeof inline_);
    other.size_ = 0;
    other.status = IdStatus::kEmpty;
  }
  return *this;
}

CitizenId::~CitizenId() { Release(); }

void CitizenId::Assign(std::string_view text) {
  if (text.size() <= kInlineSize) {
    if (!text.empty()) std::memcpy(inline_, text.data(), text.size());
    size_ = static_cast<uint8_t>(text.size());
    return;
  }
  RM_DCHECK(text.size() <= UINT32_MAX) << "ID text of " << text.size() << " bytes";
  HeapText h{new char[text.size()], static_cast<uint32_t>(text.size())};
  std::memcpy(h.data, text.data(), text.size());
  std::memcpy(inline_, &h, sizeof h);
  size_ = kOnHeap;
}

void CitizenId::Release() {
  if (size_ != kOnHeap) return;
  HeapText h;
  std::memcpy(&h, inline_, sizeof h);
  delete[] h.data;
  size_ = 0;
}

Date CitizenId::EncodedBirthDate() const {
  if (!well_formed()) return Date();
  const std::string_view text = this->text();
  const int y = (text[6] - '0') * 1000 + (text[7] - '0') * 100 + (text[8] - '0') * 10 + (text[9] - '0');
  const int m = (text[10] - '0') * 10 + (text[11] - '0');
  const int d = (text[12] - '0') * 10 + (text[13] - '0');
  if (!Date::IsValidYmd(y, m, d)) return Date();
  return Date::FromYmd(y, m, d);
}

Gender CitizenId::EncodedGender() const {
  if (!well_formed()) return Gender::kUnknown;
  return (inline_[16] - '0') % 2 == 1 ? Gender::kMale : Gender::kFemale;
}

std::string_view CitizenId::EncodedRegion() const {
  if (!well_formed()) return std::string_view();
  return text().substr(0, 6);
}

}  // namespace rollmatch
