// Fuzz target: citizen ID normalization (and the masking of IDs in reports,
// and the date parser the ID's birth date shares). Invariants: a valid ID is
// 18 characters with a right check character and normalizes to itself; a
// well-formed one has 17 digits first; masking keeps the length and leaves
// no run of 15 digits; a parsed date prints and parses back to itself.
// Corpus: corpus/citizen_id/ (one ID or date as typed per file).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/date.h"
#include "engine/normalize/citizen_id.h"
#include "engine/report/writers.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t LongestDigitRun(std::string_view s) {
  size_t best = 0, run = 0;
  for (char c : s) {
    run = IsDigit(c) ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

size_t Utf8Chars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollmatch;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  const CitizenId id = NormalizeCitizenId(raw);
  switch (id.status) {
    case IdStatus::kEmpty:
      RM_FUZZ_CHECK(id.text().empty());
      break;
    case IdStatus::kValid:
    case IdStatus::kValidFrom15:
      RM_FUZZ_CHECK(id.text().size() == 18 && HasValidCheckCharacter(id.text()));
      break;
    case IdStatus::kBadCheck:
      RM_FUZZ_CHECK(id.text().size() == 18 && !HasValidCheckCharacter(id.text()));
      break;
    case IdStatus::kMalformed:
      RM_FUZZ_CHECK(!id.text().empty());
      break;
  }
  if (id.well_formed()) {
    for (int i = 0; i < 17; ++i) RM_FUZZ_CHECK(IsDigit(id.text()[i]));
    RM_FUZZ_CHECK(id.EncodedRegion().size() == 6);
    const Date birth = id.EncodedBirthDate();
    if (birth.known()) RM_FUZZ_CHECK(Date::Parse(birth.ToString()) == birth);
    (void)id.EncodedGender();
    // Normalizing a normalized ID changes nothing.
    const CitizenId again = NormalizeCitizenId(id.text());
    RM_FUZZ_CHECK(again.text() == id.text());
    RM_FUZZ_CHECK(again.status == (id.status == IdStatus::kValidFrom15 ? IdStatus::kValid : id.status));
  } else {
    RM_FUZZ_CHECK(id.EncodedRegion().empty() && !id.EncodedBirthDate().known());
  }

  // Masking for --redact.
  const std::string masked = MaskIdNumber(raw);
  if (fuzz::IsUtf8(raw)) RM_FUZZ_CHECK(Utf8Chars(masked) == Utf8Chars(raw));
  if (id.well_formed()) {
    const std::string m = MaskIdNumber(id.text());
    RM_FUZZ_CHECK(m.size() == 18 && m.compare(0, 6, id.text(), 0, 6) == 0 &&
                  m.compare(14, 4, id.text(), 14, 4) == 0);
    RM_FUZZ_CHECK(m.substr(6, 8) == "********");
  }
  const std::string in_text = MaskIdNumbersInText(raw);
  RM_FUZZ_CHECK(LongestDigitRun(in_text) < 15);

  // Dates and months as typed.
  bool ok = false;
  const Date d = Date::Parse(raw, &ok);
  if (d.known()) {
    RM_FUZZ_CHECK(ok);
    RM_FUZZ_CHECK(Date::IsValidYmd(d.year(), d.month(), d.day()));
    RM_FUZZ_CHECK(Date::Parse(d.ToString()) == d);
  }
  const Date m = Date::ParseMonth(raw, &ok);
  if (m.known()) RM_FUZZ_CHECK(ok && m.day() == 1);
  return 0;
}
