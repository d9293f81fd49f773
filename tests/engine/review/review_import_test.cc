#include "engine/review/review_import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/report/writers.h"
#include "engine/review/returned_file.h"
#include "engine/state/state_db.h"

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

class ReviewImportTest : public ::testing::Test {
 protected:
  ReviewImportTest() {
    std::string tmpl = (fs::temp_directory_path() / "rm_review_import_XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    known_["00000000000000a1"] = {"WRONG_DECEASED", {"320481101"}, "320481198005121014", "张伟"};
    known_["00000000000000a2"] = {"WRONG_DETAILS", {"320481101"}, "32048119700101102X", "李娜"};
    known_["00000000000000a3"] = {"DUPLICATE", {"320481101", "320481104"}, "320481199001011234", "王芳"};
    known_["00000000000000b1"] = {"MISSING_ELIGIBLE", {"320481102"}, "320481200601010021", "赵六"};
  }
  ~ReviewImportTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A township CSV: {flag_id, ID number, decision, note} per row.
  std::string Csv(const std::string& name, const std::vector<std::vector<std::string>>& rows,
                  bool bom = true) {
    std::string text = bom ? "\xEF\xBB\xBF" : "";
    const auto& columns = TownshipCsvColumns();
    for (size_t i = 0; i < columns.size(); ++i) text += (i ? "," : "") + std::string(columns[i]);
    text += "\r\n";
    for (const auto& r : rows) {
      std::vector<std::string> cells(columns.size());
      cells[0] = "错登";
      cells[6] = "\t" + r[1];
      cells[16] = r[0];
      cells[17] = r[2];
      cells[18] = r[3];
      for (size_t i = 0; i < cells.size(); ++i) text += (i ? "," : "") + cells[i];
      text += "\r\n";
    }
    return Write(name, text);
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  Result<ImportPlan> Plan(const std::vector<std::string>& files) {
    return PlanReviewImport(files, known_, "2026-11-29T10:00:00+0800");
  }

  fs::path dir_;
  KnownFlags known_;
};

TEST(ParseDecisionWord, AcceptedWords) {
  EXPECT_EQ(ParseDecisionWord("确认"), "confirmed");
  EXPECT_EQ(ParseDecisionWord(" 已确认 "), "confirmed");
  EXPECT_EQ(ParseDecisionWord("Confirmed"), "confirmed");
  EXPECT_EQ(ParseDecisionWord("\xE3\x80\x80驳回"), "dismissed");  // full-width space
  EXPECT_EQ(ParseDecisionWord("已驳回"), "dismissed");
  EXPECT_EQ(ParseDecisionWord("DISMISSED"), "dismissed");
  EXPECT_EQ(ParseDecisionWord(""), "");
  EXPECT_EQ(ParseDecisionWord("  "), "");
  EXPECT_EQ(ParseDecisionWord("同意"), std::nullopt);
  EXPECT_EQ(ParseDecisionWord("确认删除"), std::nullopt);
}

TEST(TownshipFromPath, NameThenFolder) {
  EXPECT_EQ(TownshipFromPath("/x/320481101_flags.xlsx"), "320481101");
  EXPECT_EQ(TownshipFromPath("/out/townships/320481102/flags.xlsx"), "320481102");
  EXPECT_EQ(TownshipFromPath("/320481102/320481101.csv"), "320481101");
  EXPECT_EQ(TownshipFromPath("/tmp/flags (1).xlsx"), "");
  EXPECT_EQ(TownshipFromPath("/tmp/3204811010.csv"), "") << "ten digits are no township code";
}

TEST_F(ReviewImportTest, GoodCsvGivesDecisions) {
  const std::string f =
      Csv("320481101/flags.csv", {{"00000000000000a1", "320481198005121014", "确认", "已死亡"},
                                  {"00000000000000a2", "32048119700101102x", "驳回", ""},
                                  {"00000000000000a3", "320481199001011234", "", ""}});
  auto plan = Plan({f});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->decisions.size(), 2u);
  EXPECT_EQ(plan->rows, 3u);
  EXPECT_EQ(plan->rows_without_decision, 1u);
  EXPECT_EQ(plan->decisions[0].flag_id, "00000000000000a1");
  EXPECT_EQ(plan->decisions[0].decision, "confirmed");
  EXPECT_EQ(plan->decisions[0].note, "已死亡");
  EXPECT_EQ(plan->decisions[0].township, "320481101");
  EXPECT_EQ(plan->decisions[0].source_file, fs::absolute(f).lexically_normal().string());
  EXPECT_EQ(plan->decisions[0].decided_at, "2026-11-29T10:00:00+0800");
  EXPECT_EQ(plan->decisions[1].decision, "dismissed");
}

TEST_F(ReviewImportTest, IdNumbersInNotesAreMasked) {
  const std::string f =
      Csv("320481101.csv", {{"00000000000000a1", "320481198005121014", "确认", "应为320481198005121015"}});
  auto plan = Plan({f});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->decisions.size(), 1u);
  EXPECT_EQ(plan->decisions[0].note, "应为320481********1015");
}

TEST_F(ReviewImportTest, MaskedIdsOfARedactedRunAreAccepted) {
  const std::string f = Csv("320481101.csv", {{"00000000000000a1", "320481********1014", "确认", ""}}, false);
  auto plan = Plan({f});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->decisions.size(), 1u);
}

TEST_F(ReviewImportTest, Gb18030CsvIsRead) {
  // Excel and WPS on Chinese Windows save "CSV" in GBK: 标识,身份证号,处理意见 / ...,确认.
  const std::string gbk =
      "\xB1\xEA\xCA\xB6,\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5,\xB4\xA6\xC0\xED\xD2\xE2\xBC\xFB\r\n"
      "00000000000000a1,320481198005121014,\xC8\xB7\xC8\xCF\r\n";
  auto plan = Plan({Write("320481101_gbk.csv", gbk)});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->decisions.size(), 1u);
  EXPECT_EQ(plan->decisions[0].decision, "confirmed");
}

TEST_F(ReviewImportTest, UnknownFlagIdWithADecisionIsRefused) {
  const std::string f = Csv("320481101.csv", {{"00000000000000ff", "320481198005121014", "确认", ""}});
  auto plan = Plan({f});
  ASSERT_FALSE(plan.ok());
  const std::string& m = plan.status().message();
  EXPECT_NE(m.find("nothing stored"), std::string::npos);
  EXPECT_NE(m.find("320481101.csv, line 2"), std::string::npos) << m;
  EXPECT_NE(m.find("00000000000000ff"), std::string::npos) << m;
}

TEST_F(ReviewImportTest, UnknownFlagIdWithoutDecisionIsAWarning) {
  const std::string f = Csv("320481101.csv", {{"00000000000000ff", "320481198005121014", "", ""},
                                              {"00000000000000a1", "320481198005121014", "确认", ""}});
  auto plan = Plan({f});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->decisions.size(), 1u);
  ASSERT_EQ(plan->warnings.size(), 1u);
}

TEST_F(ReviewImportTest, UnknownDecisionWordNamesRowAndColumn) {
  const std::string f = Csv("320481101.csv", {{"00000000000000a1", "320481198005121014", "同意", ""}});
  auto plan = Plan({f});
  ASSERT_FALSE(plan.ok());
  const std::string& m = plan.status().message();
  EXPECT_NE(m.find("line 2, column 18 (处理意见（确认/驳回）)"), std::string::npos) << m;
  EXPECT_NE(m.find("\"同意\""), std::string::npos) << m;
}

TEST_F(ReviewImportTest, ChangedIdColumnIsRefused) {
  const std::string f = Csv("320481101.csv", {{"00000000000000a1", "3.20481E+17", "确认", ""}});
  auto plan = Plan({f});
  ASSERT_FALSE(plan.ok());
  const std::string& m = plan.status().message();
  EXPECT_NE(m.find("line 2, column 7 (身份证号)"), std::string::npos) << m;
  EXPECT_NE(m.find("3.20481E+17"), std::string::npos) << m;
  EXPECT_EQ(m.find("320481198005121014"), std::string::npos) << "the expected ID is shown masked: " << m;
}

TEST_F(ReviewImportTest, AnotherTownshipsFileIsRefused) {
  // Named after 320481102, holding rows of 320481101.
  const std::string f = Csv("320481102/flags.csv", {{"00000000000000a1", "320481198005121014", "确认", ""}});
  auto plan = Plan({f});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("belongs to township 320481101, not to 320481102"),
            std::string::npos)
      << plan.status().message();
}

TEST_F(ReviewImportTest, WithoutACodeTheRowsMustShareATownship) {
  const std::string mixed = Csv("returned.csv", {{"00000000000000a1", "320481198005121014", "确认", ""},
                                                 {"00000000000000b1", "320481200601010021", "确认", ""}});
  auto plan = Plan({mixed});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("different townships"), std::string::npos);
  // A duplicate seen by two townships fits either.
  const std::string one = Csv("returned2.csv", {{"00000000000000a3", "320481199001011234", "确认", ""},
                                                {"00000000000000a1", "320481198005121014", "确认", ""}});
  auto ok = Plan({one});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->decisions[0].township, "320481101");
}

TEST_F(ReviewImportTest, ContradictingDecisionsAreRefused) {
  const std::string a = Csv("320481101.csv", {{"00000000000000a3", "320481199001011234", "确认", ""}});
  const std::string b = Csv("320481104.csv", {{"00000000000000a3", "320481199001011234", "驳回", ""}});
  auto plan = Plan({a, b});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("00000000000000a3 is 驳回 here but 确认 in"), std::string::npos)
      << plan.status().message();
  // The same decision twice is one decision.
  const std::string c = Csv("320481104b.csv", {{"00000000000000a3", "320481199001011234", "确认", "x"}});
  auto same = Plan({a, c});
  ASSERT_TRUE(same.ok()) << same.status().message();
  ASSERT_EQ(same->decisions.size(), 1u);
  EXPECT_EQ(same->decisions[0].note, "x");
}

TEST_F(ReviewImportTest, EveryProblemOfEveryFileIsListed) {
  const std::string a = Csv("320481101.csv", {{"00000000000000a1", "320481198005121014", "同意", ""},
                                              {"00000000000000a2", "1", "确认", ""}});
  const std::string b = Write("broken.xlsx", "not a zip");
  auto plan = Plan({a, b, (dir_ / "missing.csv").string()});
  ASSERT_FALSE(plan.ok());
  const std::string& m = plan.status().message();
  EXPECT_NE(m.find("4 problems"), std::string::npos) << m;
  EXPECT_NE(m.find("broken.xlsx"), std::string::npos);
  EXPECT_NE(m.find("missing.csv"), std::string::npos);
}

TEST_F(ReviewImportTest, HeaderWithoutDecisionColumnIsRefused) {
  const std::string f = Write("320481101.csv", "标识,身份证号\r\n00000000000000a1,320481198005121014\r\n");
  auto plan = Plan({f});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("处理意见"), std::string::npos);
}

TEST_F(ReviewImportTest, StoredAllOrNothingAndTheLatestWins) {
  const std::string db = (dir_ / "state" / "rollmatch.db").string();
  auto state = StateDb::Open(db);
  ASSERT_TRUE(state.ok()) << state.status().message();
  std::vector<ReviewDecision> first = {{"00000000000000a1", "confirmed", "n1", "320481101", "/f.csv", "t1"},
                                       {"00000000000000a2", "dismissed", "", "320481101", "/f.csv", "t1"}};
  ASSERT_TRUE((*state)->StoreDecisions(first).ok());
  // A bad decision word (the CHECK constraint) stores nothing of the batch.
  std::vector<ReviewDecision> bad = {{"00000000000000a1", "dismissed", "n2", "320481101", "/g.csv", "t2"},
                                     {"00000000000000a3", "maybe", "", "320481101", "/g.csv", "t2"}};
  EXPECT_FALSE((*state)->StoreDecisions(bad).ok());
  auto history = (*state)->DecisionHistory();
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 2u);
  std::vector<ReviewDecision> later = {{"00000000000000a1", "dismissed", "n3", "320481101", "/h.csv", "t3"}};
  ASSERT_TRUE((*state)->StoreDecisions(later).ok());
  auto latest = (*state)->LoadDecisions();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->at("00000000000000a1").decision, "dismissed");
  EXPECT_EQ(latest->at("00000000000000a1").note, "n3");
  EXPECT_EQ(latest->at("00000000000000a1").source_file, "/h.csv");
  history = (*state)->DecisionHistory();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].note, "n1");
}

}  // namespace
}  // namespace rollmatch
