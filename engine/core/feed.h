#pragma once
// The six input feeds of the contract (spec/feeds.md).

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rollmatch {

enum class Feed : uint8_t { kHukou = 0, kMigrant, kSocial, kRoll, kRights, kDistricts };

inline constexpr int kNumFeeds = 6;
// Feeds whose rows describe a person (all but districts).
inline constexpr int kNumPersonFeeds = 5;
inline constexpr std::array<Feed, kNumFeeds> kAllFeeds = {Feed::kHukou, Feed::kMigrant, Feed::kSocial,
                                                          Feed::kRoll,  Feed::kRights,  Feed::kDistricts};

// "hukou", "migrant", "social", "roll", "rights", "districts".
std::string_view FeedName(Feed feed);
std::optional<Feed> FeedFromName(std::string_view name);
inline int FeedIndex(Feed feed) { return static_cast<int>(feed); }

// A reference to one input row: the feed and the row's index in that feed's
// table (0-based, in file order across the feed's files).
struct RecordRef {
  Feed feed = Feed::kHukou;
  uint32_t row = 0;
  friend bool operator==(RecordRef a, RecordRef b) { return a.feed == b.feed && a.row == b.row; }
};

}  // namespace rollmatch
