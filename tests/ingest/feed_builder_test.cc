#include "ingest/feed_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "ingest/feed_schema.h"

namespace rollmatch {
namespace {

// One rights row: record_id, id_number, name, kind, from_date, to_date.
std::vector<std::string_view> Row(std::string_view id, std::string_view name, std::string_view kind) {
  return {id, "", name, kind, "", ""};
}

FileStats File() {
  FileStats f;
  f.name = "rights.jsonl";
  return f;
}

std::string Describe(FeedTable table, const std::vector<Reject>& rejects) {
  std::string s;
  for (uint32_t r = 0; r < table.num_rows(); ++r) {
    s += "row " + std::string(table.key(r)) + " line " + std::to_string(table.pos(r).line) + " " +
         std::string(table.Get(r, rights_field::kName)) + "\n";
  }
  for (const FileStats& f : table.files()) {
    s += "file " + f.name + " read " + std::to_string(f.rows_read) + " used " + std::to_string(f.rows_used) +
         " rejected " + std::to_string(f.rows_rejected) + "\n";
  }
  for (const Reject& j : rejects) s += "reject " + std::to_string(j.line) + " " + j.reason + " [" + j.raw + "]\n";
  return s;
}

TEST(FeedBuilder, BatchesGiveWhatRowsOneByOneGive) {
  // Two pieces of one file: the second repeats a key of the first, has an
  // empty required field, and a reject whose raw text lies outside the
  // piece's text (decoded apart).
  const std::string piece1 = "R1 张三\nR2 李四\n";
  const std::string piece2 = "R1 王五\nR3  \nR4 赵六\n";
  const std::string elsewhere = "bad \xFF row";

  std::vector<Reject> direct_rejects;
  FeedBuilder direct(Feed::kRights, &direct_rejects);
  direct.BeginFile(File());
  direct.AddRow(Row("R1", "张三", "deprived"), 1, std::string_view(piece1).substr(0, 9));
  direct.AddRow(Row("R2", "李四", "deprived"), 2, std::string_view(piece1).substr(10, 9));
  direct.AddRow(Row("R1", "王五", "deprived"), 3, std::string_view(piece2).substr(0, 9));
  direct.AddRow(Row("R3", " ", "deprived"), 4, std::string_view(piece2).substr(10, 4));
  direct.RejectRow(5, "invalid UTF-8", elsewhere);
  direct.AddRow(Row("R4", "赵六", "deprived"), 6, std::string_view(piece2).substr(15, 9));

  std::vector<Reject> batch_rejects;
  FeedBuilder batched(Feed::kRights, &batch_rejects);
  batched.BeginFile(File());
  RowBatch batch(Feed::kRights);
  batch.Clear(piece1);
  batch.AddRow(Row("R1", "张三", "deprived"), 0, std::string_view(piece1).substr(0, 9));
  batch.AddRow(Row("R2", "李四", "deprived"), 1, std::string_view(piece1).substr(10, 9));
  batched.AddBatch(batch, 1);
  batch.Clear(piece2);  // used again
  batch.AddRow(Row("R1", "王五", "deprived"), 0, std::string_view(piece2).substr(0, 9));
  batch.AddRow(Row("R3", " ", "deprived"), 1, std::string_view(piece2).substr(10, 4));
  {
    const std::string temporary = elsewhere;  // gone before AddBatch: must be copied
    batch.RejectRow(2, "invalid UTF-8", temporary);
  }
  batch.AddRow(Row("R4", "赵六", "deprived"), 3, std::string_view(piece2).substr(15, 9));
  batched.AddBatch(batch, 3);

  const std::string expected = Describe(direct.Finish(), direct_rejects);
  EXPECT_EQ(Describe(batched.Finish(), batch_rejects), expected);
  EXPECT_NE(expected.find("reject 3 repeated record_id R1 (first at rights.jsonl:1)"), std::string::npos) << expected;
  EXPECT_NE(expected.find("reject 4 required field name is empty"), std::string::npos) << expected;
  EXPECT_NE(expected.find("reject 5 invalid UTF-8 [bad \\xFF row]"), std::string::npos) << expected;
}

}  // namespace
}  // namespace rollmatch
