#pragma once
// One feed file's text as the CSV and JSON Lines readers see it, and the
// per-row checks of its bytes (NUL, invalid UTF-8, invalid GB18030).
//
// ReadFeed first checks (UTF-8) or decodes (GB18030) the whole file at once.
// When that succeeds, rows need no further checks. Otherwise the readers
// split the raw bytes into rows (safe for GB18030: its trail bytes are never
// a comma, quote, CR or LF) and check or decode each row alone, so that a bad
// byte rejects only its row.

#include <string>
#include <string_view>

#include "ingest/text_decoder.h"

namespace rollmatch {

enum class RowCheck {
  kNone,     // `text` is valid UTF-8 without NUL bytes
  kUtf8,     // each row must be checked: NUL bytes, invalid UTF-8
  kGb18030,  // each row must be checked for NUL bytes and decoded from GB18030
};

struct FileText {
  std::string_view name;  // as given in the configuration, for messages
  std::string_view text;  // the rows (byte-order mark removed)
  RowCheck check = RowCheck::kNone;
  Gb18030Decoder* decoder = nullptr;   // REQUIRES: set when check == kGb18030
  bool gb18030_with_utf8_bom = false;  // declared GB18030 but starts with a UTF-8 BOM (for hints)
  // A byte-order mark may follow the start (two exported files joined?): each
  // data row's text is checked for U+FEFF, and one holding it is a reject.
  bool inner_bom = false;
};

// The reject reason for a data row whose UTF-8 text holds U+FEFF when
// file.inner_bom is set, else null.
const char* InnerBom(const FileText& file, std::string_view row_text);

// Checks one row's raw bytes (a slice of file.text) and gives its UTF-8
// text in *text (`raw` itself, or the decoded row in *scratch). Returns null,
// or the reject reason: "NUL byte", "invalid UTF-8", "invalid GB18030 bytes".
const char* DecodeRow(const FileText& file, std::string_view raw, std::string* scratch,
                      std::string_view* text);

// The raw bytes of a row as text for a Reject (decoded from GB18030 where
// possible, invalid bytes escaped later by the FeedBuilder).
std::string DisplayRow(const FileText& file, std::string_view raw);

}  // namespace rollmatch
