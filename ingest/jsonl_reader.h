#pragma once
// JSON Lines feed files (simdjson On Demand), one JSON object per line.
//
// Line ends are LF, CRLF or a lone CR; blank lines are skipped and not
// counted. Each line must be one complete JSON object, fully validated
// (also the values of unknown keys, at most kMaxJsonDepth levels deep).
// Values of the feed's fields: a string gives its text, a number its
// decimal text exactly as written (320481198005121014 stays exact), null
// gives empty, true/false give "true"/"false"; an object or array is a
// reject. A field of the feed named twice in one object makes the line a
// reject (which value is meant cannot be known); unknown keys are ignored,
// repeated or not.

#include "engine/core/status.h"
#include "ingest/feed_builder.h"
#include "ingest/file_text.h"

namespace rollmatch {

inline constexpr int kMaxJsonDepth = 64;

// Reads the rows of one JSON Lines file into *out. Bad lines are rejects;
// the Status is not OK only when simdjson itself cannot run.
// A file may also come in parts that end at line ends: `first_line` is the
// line number where `file` starts, and *next_line (when not null) gets the
// number of the line after it.
Status ReadJsonl(const FileText& file, FeedBuilder* out, uint64_t first_line = 1,
                 uint64_t* next_line = nullptr);
// The same into a RowBatch, for a FeedBuilder to take later (so that the
// parts of a file can be read by several threads at once).
Status ReadJsonl(const FileText& file, RowBatch* out, uint64_t first_line = 1, uint64_t* next_line = nullptr);

}  // namespace rollmatch
