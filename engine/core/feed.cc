#include "engine/core/feed.h"

namespace rollmatch {

std::string_view FeedName(Feed feed) {
  switch (feed) {
    case Feed::kHukou: return "hukou";
    case Feed::kMigrant: return "migrant";
    case Feed::kSocial: return "social";
    case Feed::kRoll: return "roll";
    case Feed::kRights: return "rights";
    case Feed::kDistricts: return "districts";
  }
  return "?";
}

std::optional<Feed> FeedFromName(std::string_view name) {
  for (Feed f : kAllFeeds) {
    if (FeedName(f) == name) return f;
  }
  return std::nullopt;
}

}  // namespace rollmatch
