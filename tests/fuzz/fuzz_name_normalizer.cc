// Fuzz target: Chinese name normalization and the name keys of resolution.
// Invariants: every output is valid UTF-8; normalizing a normalized name
// changes nothing (two spellings that normalize alike must stay alike); a
// list splits into non-empty normalized names; pinyin and variant folding
// of any normalized name do not crash. Corpus: corpus/name_normalizer/
// (one name or former-names field as typed per file).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/normalize/name_keys.h"
#include "engine/normalize/name_normalizer.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

struct Tables {
  std::unique_ptr<rollmatch::NameNormalizer> normalizer;
  std::unique_ptr<rollmatch::NameKeys> keys;
};

const Tables& Get() {
  static const Tables* tables = [] {
    auto* t = new Tables();  // kept until exit
    auto n = rollmatch::NameNormalizer::Create();
    RM_FUZZ_CHECK(n.ok());
    t->normalizer = std::move(n).value();
    auto k = rollmatch::NameKeys::Create();
    RM_FUZZ_CHECK(k.ok());
    t->keys = std::move(k).value();
    return t;
  }();
  return *tables;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollmatch;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const Tables& t = Get();

  const std::string name = t.normalizer->Normalize(raw);
  RM_FUZZ_CHECK(fuzz::IsUtf8(name));
  RM_FUZZ_CHECK(t.normalizer->Normalize(name) == name);
  const std::string plain = NameNormalizer::WithoutDots(name);
  RM_FUZZ_CHECK(fuzz::IsUtf8(plain));

  for (const std::string& part : t.normalizer->NormalizeList(raw)) {
    RM_FUZZ_CHECK(!part.empty() && fuzz::IsUtf8(part));
  }

  RM_FUZZ_CHECK(fuzz::IsUtf8(t.keys->Pinyin(name)));
  RM_FUZZ_CHECK(fuzz::IsUtf8(t.keys->FoldVariants(name)));
  const std::u32string u32 = ToU32(name);
  RM_FUZZ_CHECK(ToUtf8(u32) == name);
  RM_FUZZ_CHECK(t.keys->SurnameLength(u32) <= u32.size());
  if (u32.size() >= 2) {
    (void)t.keys->SameSound(u32[0], u32[1]);
    (void)t.keys->SimilarShape(u32[0], u32[1]);
  }
  return 0;
}
