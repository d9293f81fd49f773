#pragma once
// Builds small Datasets for resolution tests from rows written as in the
// feeds (field order of ingest/feed_schema.h), through the real
// normalization (BuildDataset).

#include <gtest/gtest.h>

#include <array>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "engine/normalize/dataset.h"
#include "engine/normalize/name_keys.h"
#include "engine/normalize/name_normalizer.h"
#include "ingest/feed_schema.h"

namespace rollmatch::testing {

// Valid 18-character ID from the first 17 digits.
inline std::string Id(const std::string& first17) {
  static const int kW[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kW[i];
  return first17 + "10X98765432"[sum % 11];
}
// The same ID with its check character wrong.
inline std::string BadCheck(const std::string& first17) {
  std::string id = Id(first17);
  id[17] = id[17] == '0' ? '1' : '0';
  return id;
}

class DatasetBuilder {
 public:
  // Values in the feed's field order; missing trailing fields are empty.
  DatasetBuilder& Add(Feed feed, std::initializer_list<std::string> values) {
    rows_[FeedIndex(feed)].push_back(std::vector<std::string>(values));
    return *this;
  }
  DatasetBuilder& Hukou(std::initializer_list<std::string> v) { return Add(Feed::kHukou, v); }
  DatasetBuilder& Migrant(std::initializer_list<std::string> v) { return Add(Feed::kMigrant, v); }
  DatasetBuilder& Social(std::initializer_list<std::string> v) { return Add(Feed::kSocial, v); }
  DatasetBuilder& Roll(std::initializer_list<std::string> v) { return Add(Feed::kRoll, v); }

  Dataset Build() {
    static std::unique_ptr<NameNormalizer> names = std::move(NameNormalizer::Create()).value();
    std::array<FeedTable, kNumFeeds> tables = {FeedTable(Feed::kHukou),  FeedTable(Feed::kMigrant),
                                               FeedTable(Feed::kSocial), FeedTable(Feed::kRoll),
                                               FeedTable(Feed::kRights), FeedTable(Feed::kDistricts)};
    std::array<bool, kNumFeeds> present{};
    for (int f = 0; f < kNumFeeds; ++f) {
      present[f] = true;
      FileStats fs;
      fs.name = std::string(FeedName(static_cast<Feed>(f))) + ".csv";
      tables[f].mutable_files().push_back(fs);
      const size_t n = FieldsOf(static_cast<Feed>(f)).size();
      uint64_t line = 2;
      for (auto& row : rows_[f]) {
        row.resize(n);
        std::vector<std::string_view> views(row.begin(), row.end());
        tables[f].AddRow(views, SourcePos{0, line++});
        tables[f].mutable_files()[0].rows_read++;
        tables[f].mutable_files()[0].rows_used++;
      }
    }
    std::vector<Reject> rejects;
    auto ds = BuildDataset(std::move(tables), present, *names, &rejects);
    EXPECT_TRUE(ds.ok()) << ds.status().ToString();
    EXPECT_TRUE(rejects.empty());
    return std::move(ds).value();
  }

 private:
  std::array<std::vector<std::vector<std::string>>, kNumFeeds> rows_;
};

inline const NameKeys& Keys() {
  static std::unique_ptr<NameKeys> keys = std::move(NameKeys::Create()).value();
  return *keys;
}

}  // namespace rollmatch::testing
