#pragma once
// Turns a chunk's records into feed text, adding the cosmetic noise of the
// chosen level (full-width and spaced IDs, 15-digit IDs, traditional names,
// dot variants, date and gender spellings, ...) and the deliberately broken
// rows. Cosmetic noise never changes what a perfect normalizer reads.

#include <string>
#include <utility>
#include <vector>

#include "bench/generator/world.h"

namespace rollmatch::gen {

struct RenderedChunk {
  // Feed text in file order, UTF-8 (migrant is converted to GB18030 later).
  std::string text[kNumFeeds];
  uint64_t rows[kNumFeeds] = {};
  // migrant.csv rows with invalid GB18030 bytes: (byte offset in text[kMigrant]
  // where the row goes, the row's raw bytes including its newline).
  std::vector<std::pair<size_t, std::string>> raw_migrant_rows;
  std::string records_csv;  // truth/records.csv lines
  Counters counts{};
};

// The CSV header line (with newline) of a CSV feed; "" for JSON Lines feeds.
std::string FeedHeader(Feed f);

// REQUIRES: AssignIds and ResolveIdPlans have run on the chunk. Sets
// chunk.broken[i].local_line (1-based line within the chunk's rows).
void RenderChunk(const World& world, Chunk& chunk, RenderedChunk& out);

// Converts UTF-8 text to GB18030 (ICU); throws on failure.
std::string ToGb18030(const std::string& utf8);

}  // namespace rollmatch::gen
