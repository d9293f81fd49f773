#pragma once
// Citizen ID numbers (公民身份号码, GB 11643-1999): 6-digit issuing region,
// 8-digit birth date, 3-digit sequence (odd = male), ISO 7064 MOD 11-2 check
// character. Legacy 15-digit numbers (YYMMDD, century 19) convert to 18.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/core/date.h"
#include "engine/normalize/codes.h"

namespace rollmatch {

enum class IdStatus : uint8_t {
  kEmpty,        // nothing typed
  kValid,        // 18 characters, check character right
  kValidFrom15,  // a 15-digit number, converted to a valid 18-character one
  kBadCheck,     // 18 characters of the right shape, wrong check character
  kMalformed,    // anything else (wrong length, letters, ...)
};

// A normalized ID number, 20 bytes: the text is kept inline (18 characters
// and fewer); only a malformed ID longer than that has its text on the heap.
class CitizenId {
 public:
  CitizenId() = default;
  // `text` as normalized (see text()), with its status.
  CitizenId(std::string_view text, IdStatus status);
  CitizenId(const CitizenId& other);
  CitizenId& operator=(const CitizenId& other);
  CitizenId(CitizenId&& other) noexcept;
  CitizenId& operator=(CitizenId&& other) noexcept;
  ~CitizenId();

  // Normalized text: trimmed, NFKC (full-width → ASCII), spaces removed,
  // x → X, 15 → 18 digits. For kMalformed it is the cleaned text as typed.
  // Valid while this CitizenId lives and is not assigned to.
  std::string_view text() const {
    if (size_ != kOnHeap) return std::string_view(inline_, size_);
    HeapText h;
    std::memcpy(&h, inline_, sizeof h);
    return std::string_view(h.data, h.size);
  }

  IdStatus status = IdStatus::kEmpty;

  bool valid() const { return status == IdStatus::kValid || status == IdStatus::kValidFrom15; }
  // 18 characters of the right shape (valid or bad check character).
  bool well_formed() const { return valid() || status == IdStatus::kBadCheck; }
  // The birth date the number encodes (unknown when not well formed or the
  // date is impossible), and the gender from the sequence's last digit.
  Date EncodedBirthDate() const;
  Gender EncodedGender() const;
  // First 6 characters (issuing region), "" when not well formed.
  std::string_view EncodedRegion() const;

 private:
  static constexpr size_t kInlineSize = 18;
  static constexpr uint8_t kOnHeap = 0xFF;  // size_ when the text is on the heap
  struct HeapText {
    char* data;
    uint32_t size;
  };
  static_assert(sizeof(HeapText) <= kInlineSize);

  void Assign(std::string_view text);
  void Release();

  // The text (size_ <= 18), or a HeapText (size_ == kOnHeap).
  char inline_[kInlineSize] = {};
  uint8_t size_ = 0;
};

CitizenId NormalizeCitizenId(std::string_view raw);

// REQUIRES: first17 is 17 ASCII digits. Returns '0'..'9' or 'X'.
char ComputeCheckCharacter(std::string_view first17);
// REQUIRES: id is 18 characters after NormalizeCitizenId().
bool HasValidCheckCharacter(std::string_view id);

}  // namespace rollmatch
