#pragma once
// Reads the files of one feed (CSV or JSON Lines, optionally .gz, UTF-8 or
// GB18030) into a FeedTable. Unreadable rows become Rejects; an unreadable
// file, a missing file or a header without a required column is a Status.

#include <string>
#include <vector>

#include "engine/core/feed.h"
#include "engine/core/status.h"
#include "ingest/feed_table.h"
#include "ingest/reject.h"

namespace rollmatch {

struct FeedFile {
  std::string name;      // as written in the configuration (used in messages and rejects)
  std::string path;      // resolved path to open
  std::string encoding;  // "" or "UTF-8" (default), "GB18030" or "GBK" (both decoded as GB18030)
};

// Reads every file of `feed` in order. Format is chosen by suffix: .csv,
// .jsonl (each optionally followed by .gz). Rejected rows are appended to
// *rejects (row reasons: broken JSON, not an object, a field named twice in
// one object, wrong column count, unbalanced quote (only its line), invalid
// bytes, NUL byte, a byte-order mark after the start, required field empty,
// a value longer than kMaxValueBytes, repeated record_id, ...).
// A repeated row key (record_id, district_code) across the feed's files is
// rejected at its second occurrence.
// Edge cases (details in csv_reader.h, jsonl_reader.h): a 0-byte or
// header-only file has no rows; blank lines are not rows; keys are compared
// after trimming ASCII spaces but stored as typed; a UTF-8 or GB18030 BOM
// at the start is removed. On error, *rejects is left as it was.
// Errors: NotFound (no such file), IoError (unreadable, a directory, truncated gzip),
// InvalidArgument (unknown suffix, header lacks a required column, duplicated
// header column, unknown encoding) — each message names the file (and line).
// Files are read piece by piece (`piece_bytes` at a time, 0 = 4 MiB; a
// test knob): what ingest holds of a file besides its rows is one piece (a
// CSV file), or about two pieces per thread (a JSON Lines file, whose
// pieces are parsed by several threads at once; rows, rejects and line
// numbers are the same as read one piece after the other).
Result<FeedTable> ReadFeed(Feed feed, const std::vector<FeedFile>& files, std::vector<Reject>* rejects,
                           size_t piece_bytes = 0);

}  // namespace rollmatch
