// Fuzz target: the GB18030 decoding path. The bytes go through the decoder
// directly (strict decoding gives valid UTF-8 or fails; the display form is
// always valid UTF-8) and, as a feed file declared GB18030, through ReadFeed
// as CSV (migrant and roll feeds) and as JSON Lines (hukou), with the
// invariants of fuzz_util.h. Corpus: corpus/gb18030/ (GB18030 feed files).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/text_decoder.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollmatch;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  static Gb18030Decoder* decoder = [] {
    auto* d = new Gb18030Decoder();  // kept until exit
    RM_FUZZ_CHECK(d->Open().ok());
    return d;
  }();
  std::string out;
  if (decoder->Decode(bytes, &out)) RM_FUZZ_CHECK(IsValidUtf8(out));
  RM_FUZZ_CHECK(IsValidUtf8(decoder->DecodeForDisplay(bytes)));
  const std::string escaped = EscapeInvalidUtf8(bytes, 4096);
  RM_FUZZ_CHECK(escaped.size() <= 4096 && IsValidUtf8(escaped));
  if (IsValidUtf8(bytes) && bytes.size() <= 1024 &&
      bytes.find_first_of(std::string_view("\0\x7F", 2)) == std::string_view::npos) {
    bool visible = true;
    for (char c : bytes)
      visible &= static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r';
    if (visible) RM_FUZZ_CHECK(escaped == bytes);  // valid visible text is kept as it is
  }

  fuzz::ReadAndCheck(Feed::kMigrant, "feed.csv", bytes, "GB18030");
  fuzz::ReadAndCheck(Feed::kRoll, "feed.csv", bytes, "GBK");
  fuzz::ReadAndCheck(Feed::kHukou, "feed.jsonl", bytes, "GB18030");
  return 0;
}
