#include "engine/report/html_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/normalize/name_normalizer.h"
#include "engine/report/region_names.h"

namespace rollmatch {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTownship = "320481101";
constexpr const char* kOther = "320481104";

size_t Count(std::string_view text, std::string_view needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string_view::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

// The element of a report carrying data-flag-id="<id>": a flag shown in full
// is a <tbody>, any other flag one <tr> (ending where the next row starts).
std::string FlagElement(const std::string& html, std::string_view id) {
  const size_t at = html.find("data-flag-id=\"" + std::string(id) + "\"");
  if (at == std::string::npos) return "";
  const size_t start = html.rfind('<', at);
  if (html.compare(start, 6, "<tbody") == 0) return html.substr(start, html.find("</tbody>", at) - start);
  const size_t end = std::min(html.find("<tr", at), html.find("</tbody>", at));
  return html.substr(start, end - start);
}

// The text of the <section id="..."> of a page, up to the next top-level section.
std::string Section(const std::string& html, std::string_view id) {
  const size_t start = html.find("<section id=\"" + std::string(id) + "\">");
  if (start == std::string::npos) return "";
  const size_t end = html.find("<section id=\"", start + 1);
  return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

void AddRow(std::array<FeedTable, kNumFeeds>& tables, Feed feed, std::vector<std::string_view> values) {
  FeedTable& t = tables[FeedIndex(feed)];
  values.resize(t.num_fields());
  t.AddRow(values, SourcePos{0, t.num_rows() + 2});
}

// Hukou H001 张伟 (row 0), H002 李娜 (1), H003 王芳 (2, township 102);
// roll R0001 张玮 (0, D01), R0002 张伟 (1, D07 of township 104), R0003 李娜 (2);
// rights Q1 (0); districts D01 (101), D07 (104).
Dataset MakeDataset() {
  std::array<FeedTable, kNumFeeds> t = {FeedTable(Feed::kHukou),  FeedTable(Feed::kMigrant),
                                        FeedTable(Feed::kSocial), FeedTable(Feed::kRoll),
                                        FeedTable(Feed::kRights), FeedTable(Feed::kDistricts)};
  AddRow(t, Feed::kHukou,
         {"H001", "320481198005121014", "张伟", "", "男", "1980-05-12", "汉", "HH1", "320481101001", "",
          "normal", ""});
  AddRow(t, Feed::kHukou,
         {"H002", "320481197001011025", "李娜", "", "女", "1970-01-01", "汉", "HH2", "320481101002", "",
          "normal", ""});
  AddRow(t, Feed::kHukou,
         {"H003", "320481200601010021", "王芳", "", "女", "2006-01-01", "汉", "HH3", "320481102003", "",
          "normal", ""});
  AddRow(t, Feed::kRoll,
         {"R0001", "320481198005121015", "张玮", "男", "1980-05-12", "D01", "320481101001", "hukou",
          "2021-03-01"});
  AddRow(t, Feed::kRoll,
         {"R0002", "320481198005121014", "张伟", "男", "1980-05-12", "D07", "320481104001", "residence",
          "2021-03-02"});
  AddRow(t, Feed::kRoll,
         {"R0003", "320481197001011025", "李娜", "女", "1970-01-01", "D01", "320481101002", "hukou",
          "2021-03-01"});
  AddRow(t, Feed::kRights, {"Q1", "320481197001011025", "李娜", "incapacitated", "2020-01-01", ""});
  AddRow(t, Feed::kDistricts, {"D01", "一选区", "320481101", "area", "320481101001;320481101002"});
  AddRow(t, Feed::kDistricts, {"D07", "七选区", "320481104", "area", "320481104001"});
  std::array<bool, kNumFeeds> present;
  present.fill(true);
  auto names = NameNormalizer::Create();
  EXPECT_TRUE(names.ok());
  std::vector<Reject> rejects;
  auto data = BuildDataset(std::move(t), present, **names, &rejects);
  EXPECT_TRUE(data.ok()) << data.status().message();
  EXPECT_TRUE(rejects.empty());
  return std::move(data).value();
}

RecordRef Ref(Feed feed, uint32_t row) { return RecordRef{feed, row}; }

RulesOutput MakeRules() {
  RulesOutput r;
  {
    Flag f;
    f.code = FlagCode::kWrongDetails;
    f.subject = Ref(Feed::kRoll, 0);
    f.records = {Ref(Feed::kRoll, 0), Ref(Feed::kHukou, 0)};
    f.township = kTownship;
    f.townships = {kTownship};
    f.village = "320481101001";
    f.district = "D01";
    f.summary = {"320481198005121014", "张伟", "1980-05-12", "男"};
    f.confidence = 0.95;
    f.evidence.links = {{Ref(Feed::kRoll, 0), {0.97, 12.5, Ref(Feed::kHukou, 0), "姓名同音，出生日期一致"}}};
    f.evidence.words =
        "身份证号：登记为“320481198005121015”，应为“320481198005121014”<script>alert(1)</script>";
    f.flag_id = "00000000000000d1";
    r.flags.push_back(f);
  }
  {
    Flag f;
    f.code = FlagCode::kDuplicate;
    f.subject = Ref(Feed::kRoll, 0);
    f.records = {Ref(Feed::kRoll, 0), Ref(Feed::kRoll, 1), Ref(Feed::kHukou, 0)};
    f.keep = Ref(Feed::kRoll, 0);
    f.township = kTownship;
    f.townships = {kTownship, kOther};
    f.village = "320481101001";
    f.district = "D01";
    f.summary = {"320481198005121014", "张伟", "1980-05-12", "男"};
    f.confidence = 0.99;
    f.evidence.words = "同一人登记2次";
    f.flag_id = "00000000000000d2";
    f.review = "confirmed";
    r.flags.push_back(f);
  }
  {
    Flag f;
    f.code = FlagCode::kWrongNoRights;
    f.subject = Ref(Feed::kRoll, 2);
    f.records = {Ref(Feed::kRoll, 2), Ref(Feed::kHukou, 1), Ref(Feed::kRights, 0)};
    f.township = kTownship;
    f.townships = {kTownship};
    f.village = "320481101002";
    f.district = "D01";
    f.summary = {"320481197001011025", "李娜", "1970-01-01", "女"};
    f.confidence = 0.85;
    f.evidence.kind = RightsKind::kIncapacitated;
    f.evidence.words = "选举日在选举权利限制期内：不能行使选举权利的精神病患者";
    f.flag_id = "00000000000000d3";
    r.flags.push_back(f);
  }
  {
    Flag f;
    f.code = FlagCode::kMissingEligible;
    f.subject = Ref(Feed::kHukou, 2);
    f.records = {Ref(Feed::kHukou, 2)};
    f.township = "320481102";
    f.townships = {"320481102"};
    f.village = "320481102003";
    f.summary = {"320481200601010021", "王芳", "2006-01-01", "女"};
    f.evidence.reason = "new_adult";
    f.evidence.words = "符合登记条件，未登记：新满十八周岁（三增）";
    f.flag_id = "00000000000000d5";
    f.review = "dismissed";
    r.flags.push_back(f);
  }
  RegionStats scope{"320481", "scope", 100, 90, 5, 2, 95, {}};
  RegionStats t101{kTownship, "township", 60, 57, 3, 1, 58, {}};
  RegionStats t102{"320481102", "township", 40, 33, 2, 1, 37, {}};
  t101.flags[static_cast<int>(FlagCode::kWrongDetails)] = 1;
  t101.flags[static_cast<int>(FlagCode::kDuplicate)] = 1;
  t101.flags[static_cast<int>(FlagCode::kWrongNoRights)] = 1;
  t102.flags[static_cast<int>(FlagCode::kMissingEligible)] = 1;
  for (int i = 0; i < kNumFlagCodes; ++i) scope.flags[i] = t101.flags[i] + t102.flags[i];
  r.stats = {scope, t101, t102, RegionStats{"320481101001", "village", 30, 29, 0, 0, 30, {}}};
  r.increase_new_adult = 1;
  return r;
}

ReportContext MakeContext() {
  ReportContext c;
  c.run_id = "2026-11-29T01:00:00-abcdef12";
  c.run_date = "2026-11-29";
  c.scope = "320481";
  c.election_day = "2026-12-15";
  c.estimates = {ErrorEstimate{kTownship, 200, 50, 1.5, 0.25}};
  c.decisions["00000000000000d2"] = {"confirmed", "已核实，删除R0002", "2026-11-28T10:00:00+0800",
                                     "/tmp/320481101/flags.xlsx"};
  c.decisions["00000000000000d5"] = {"dismissed", "已在外地登记", "2026-11-28T10:00:00+0800", "/tmp/a.csv"};
  return c;
}

class HtmlReportTest : public ::testing::Test {
 protected:
  std::string Report(const std::string& township, const ReportOptions& options = ReportOptions()) {
    const auto folders = FlagsByTownship(data_, rules_.flags);
    auto it = folders.find(township);
    EXPECT_NE(it, folders.end());
    return TownshipReportHtml(township, data_, rules_, it->second, context_, options);
  }
  Dataset data_ = MakeDataset();
  RulesOutput rules_ = MakeRules();
  ReportContext context_ = MakeContext();
};

TEST_F(HtmlReportTest, EveryFlagOfTheTownshipOnceAndNoOther) {
  const std::string html = Report(kTownship);
  EXPECT_EQ(Count(html, "data-flag-id=\"00000000000000d1\""), 1u);
  EXPECT_EQ(Count(html, "data-flag-id=\"00000000000000d2\""), 1u);
  EXPECT_EQ(Count(html, "data-flag-id=\"00000000000000d3\""), 1u);
  EXPECT_EQ(Count(html, "data-flag-id=\"00000000000000d5\""), 0u);
  EXPECT_EQ(Count(html, "data-flag-id="), 3u);
  // The cross-township duplicate is in the other township's report too.
  const std::string other = Report(kOther);
  EXPECT_EQ(Count(other, "data-flag-id="), 1u);
  EXPECT_EQ(Count(other, "data-flag-id=\"00000000000000d2\""), 1u);
}

TEST_F(HtmlReportTest, SummaryCountsComeFirstWithThreeIncreasesAndDecreases) {
  const std::string html = Report(kTownship);
  const size_t summary = html.find("<section id=\"summary\">");
  const size_t open = html.find("<section id=\"open\">");
  ASSERT_NE(summary, std::string::npos);
  ASSERT_NE(open, std::string::npos);
  EXPECT_LT(summary, open);
  const std::string s = Section(html, "summary");
  EXPECT_NE(s.find("data-code=\"WRONG_DETAILS\">1<"), std::string::npos);
  EXPECT_NE(s.find("data-code=\"DUPLICATE\">1<"), std::string::npos);
  EXPECT_NE(s.find("data-category=\"wrong\">2<"), std::string::npos);
  EXPECT_NE(s.find("三增"), std::string::npos);
  EXPECT_NE(s.find("三减"), std::string::npos);
  EXPECT_NE(s.find("95.00%"), std::string::npos) << "the township's registration rate 57/60";
  // The self-estimated error rates: 1.5 of 200 links.
  EXPECT_NE(s.find("0.75%"), std::string::npos);
}

TEST_F(HtmlReportTest, ConfirmedAndDismissedInTheirOwnSections) {
  const std::string html = Report(kTownship);
  EXPECT_EQ(Section(html, "open").find("00000000000000d2"), std::string::npos);
  const std::string confirmed = Section(html, "confirmed");
  EXPECT_NE(confirmed.find("data-flag-id=\"00000000000000d2\""), std::string::npos);
  EXPECT_NE(confirmed.find("已核实，删除R0002"), std::string::npos) << "the staff's note";
  EXPECT_NE(Section(html, "open").find("data-flag-id=\"00000000000000d1\""), std::string::npos);
  const std::string other = Report("320481102");
  EXPECT_NE(Section(other, "dismissed").find("data-flag-id=\"00000000000000d5\""), std::string::npos);
  EXPECT_EQ(Section(other, "open").find("data-flag-id="), std::string::npos);
}

TEST_F(HtmlReportTest, LowConfidenceIsMarkedVerify) {
  const std::string html = Report(kTownship);
  const std::string low = FlagElement(html, "00000000000000d3");
  const std::string high = FlagElement(html, "00000000000000d1");
  ASSERT_FALSE(low.empty());
  ASSERT_FALSE(high.empty());
  EXPECT_NE(low.find("请核实"), std::string::npos);
  EXPECT_EQ(high.find("请核实"), std::string::npos);
  EXPECT_EQ(low.rfind("<tbody class=\"full low\"", 0), 0u) << low.substr(0, 60);
}

TEST(ShownInFull, DuplicatesLowConfidenceAndTheReviewBand) {
  Flag f;
  f.code = FlagCode::kWrongDetails;
  f.confidence = 1.0;
  f.evidence.links = {{RecordRef{Feed::kRoll, 0}, {1.0, 30.0, RecordRef{Feed::kHukou, 0}, "身份证号一致"}}};
  EXPECT_FALSE(ShownInFull(f));
  Flag dup = f;
  dup.code = FlagCode::kDuplicate;
  EXPECT_TRUE(ShownInFull(dup));
  Flag low = f;
  low.confidence = 0.8;
  EXPECT_TRUE(ShownInFull(low));
  Flag linked_in_band = f;
  linked_in_band.evidence.links[0].why.confidence = 0.7;
  EXPECT_TRUE(ShownInFull(linked_in_band));
  // A close candidate left unlinked puts "not found" and "missing" in doubt,
  // not a finding about a matched record.
  Flag candidate_in_band = f;
  candidate_in_band.evidence.links[0].why.best_unlinked = 0.6;
  EXPECT_FALSE(ShownInFull(candidate_in_band));
  for (FlagCode code : {FlagCode::kWrongNotFound, FlagCode::kMissingEligible, FlagCode::kMissingMigrant}) {
    candidate_in_band.code = code;
    EXPECT_TRUE(ShownInFull(candidate_in_band)) << FlagCodeName(code);
    Flag candidate_below_band = candidate_in_band;
    candidate_below_band.evidence.links[0].why.best_unlinked = 0.3;
    EXPECT_FALSE(ShownInFull(candidate_below_band)) << FlagCodeName(code);
  }
}

TEST_F(HtmlReportTest, FlagShownInFullHasEveryRecordWithWhyItWasMatched) {
  // d1's link (0.97) is in the review band: a person must judge it.
  ASSERT_TRUE(ShownInFull(rules_.flags[0]));
  const std::string html = Report(kTownship);
  const std::string block = FlagElement(html, "00000000000000d1");
  for (const char* part : {"张伟", "320481198005121014", "1980-05-12", "选民名册 R0001", "户籍 H001", "张玮",
                           "一选区", "姓名同音，出生日期一致", "0.950", "0.970", "WRONG_DETAILS", "00000000000000d1"}) {
    EXPECT_NE(block.find(part), std::string::npos) << part;
  }
  // The suggested action heads the code's rows, on the page of its first flag.
  const size_t row = html.find("<tr class=\"h\">", html.find("data-flag-id=\"00000000000000d1\""));
  const size_t heading = html.rfind("<tr class=\"c\">", row);
  ASSERT_NE(heading, std::string::npos);
  EXPECT_NE(html.substr(heading, row - heading).find("更正登记信息"), std::string::npos);
}

TEST_F(HtmlReportTest, OtherFlagsAreOneRowWithTheKeyFacts) {
  rules_.flags[0].evidence.links[0].why.confidence = 1.0;
  ASSERT_FALSE(ShownInFull(rules_.flags[0]));
  const std::string html = Report(kTownship);
  const std::string row = FlagElement(html, "00000000000000d1");
  EXPECT_EQ(row.rfind("<tr data-flag-id=", 0), 0u) << row;
  for (const char* part : {"张伟", "320481198005121014", "1980-05-12 男", "选民名册 R0001（选区 D01）", "0.950",
                           "身份证号：登记为"}) {
    EXPECT_NE(row.find(part), std::string::npos) << part;
  }
  // Not the matched records, their own values and match explanations.
  EXPECT_EQ(row.find("户籍 H001"), std::string::npos);
  EXPECT_EQ(row.find("张玮"), std::string::npos);
  EXPECT_EQ(row.find("姓名同音"), std::string::npos);
  EXPECT_EQ(Count(row, "<td"), 6u);
}

TEST_F(HtmlReportTest, FlagsWithTheSameWordsShareOneRowStatingThem) {
  rules_.flags[0].evidence.links[0].why.confidence = 1.0;
  rules_.flags[0].evidence.words = "性别：登记为“女”，应为“男”";
  Flag twin = rules_.flags[0];
  twin.flag_id = "00000000000000d9";
  twin.subject = Ref(Feed::kRoll, 2);
  twin.records = {Ref(Feed::kRoll, 2), Ref(Feed::kHukou, 1)};
  rules_.flags.push_back(twin);
  const std::string html = Report(kTownship);
  EXPECT_EQ(Count(html, "性别：登记为“女”，应为“男”"), 1u);
  EXPECT_NE(html.find("<tr class=\"w\"><td colspan=\"6\">性别：登记为“女”，应为“男”（以下 2 条）"), std::string::npos);
  for (const char* id : {"00000000000000d1", "00000000000000d9"}) {
    const std::string row = FlagElement(html, id);
    EXPECT_EQ(Count(row, "<td"), 5u) << row;
  }
}

TEST_F(HtmlReportTest, NewFlagsMarkedOnlyWhenThereWasAPreviousRun) {
  rules_.flags[0].is_new = true;
  rules_.flags[2].is_new = false;
  std::string html = Report(kTownship);
  EXPECT_EQ(html.find("class=\"nw\""), std::string::npos) << "the first run: nothing to compare with";
  context_.previous_run = "2026-11-28T01:00:00-00000000";
  context_.resolved_by_township[kTownship] = 4;
  html = Report(kTownship);
  EXPECT_NE(FlagElement(html, "00000000000000d1").find("<i class=\"nw\">新</i>"), std::string::npos);
  EXPECT_EQ(FlagElement(html, "00000000000000d3").find("class=\"nw\""), std::string::npos);
  // d1 and d2 (is_new by default) are new; 4 flags of the township resolved.
  const std::string s = Section(html, "summary");
  EXPECT_NE(s.find("data-history=\"new\">2<"), std::string::npos);
  EXPECT_NE(s.find("data-history=\"resolved\">4<"), std::string::npos);
}

TEST_F(HtmlReportTest, ReportStaysSmallWithManyFlags) {
  // 2,000 one-row flags of one village: the page grows by a row per flag,
  // not by a table of records per flag.
  Flag base = rules_.flags[0];
  base.evidence.links[0].why.confidence = 1.0;
  rules_.flags.clear();
  for (int i = 0; i < 2000; ++i) {
    Flag f = base;
    char id[17];
    std::snprintf(id, sizeof id, "%016x", i);
    f.flag_id = id;
    f.evidence.words = i % 2 ? "性别：登记为“女”，应为“男”" : "出生日期：登记为“1980-05-21”，应为“1980-05-12”";
    rules_.flags.push_back(f);
  }
  const std::string html = Report(kTownship);
  EXPECT_EQ(Count(html, "data-flag-id="), 2000u);
  EXPECT_LT(html.size(), 2000u * 200u + 20000u) << html.size() / 2000 << " bytes per flag";
}

TEST_F(HtmlReportTest, TextIsEscaped) {
  const std::string html = Report(kTownship);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST_F(HtmlReportTest, RedactMasksEveryIdNumber) {
  ReportOptions options;
  options.redact = true;
  const std::string html = Report(kTownship, options);
  EXPECT_EQ(html.find("320481198005121014"), std::string::npos);
  EXPECT_EQ(html.find("320481198005121015"), std::string::npos);
  EXPECT_NE(html.find("320481********1014"), std::string::npos);
  EXPECT_TRUE(std::regex_search(html, std::regex("data-flag-id=\"00000000000000d1\"")));
}

TEST_F(HtmlReportTest, RightsKindOnlyWhenShown) {
  ReportOptions hidden;
  hidden.show_rights_kind = false;
  std::string html = Report(kTownship, hidden);
  EXPECT_EQ(html.find("精神病"), std::string::npos);
  EXPECT_EQ(html.find(std::string(RightsKindWord(RightsKind::kIncapacitated))), std::string::npos);
  EXPECT_NE(html.find("无选举权利"), std::string::npos);
  ReportOptions shown;
  shown.show_rights_kind = true;
  html = Report(kTownship, shown);
  EXPECT_NE(html.find("精神病"), std::string::npos);
  const Flag& no_rights = rules_.flags[2];
  EXPECT_NE(EvidenceWords(no_rights, shown).find(RightsKindWord(RightsKind::kIncapacitated)),
            std::string::npos);
  EXPECT_EQ(EvidenceWords(no_rights, hidden), "无选举权利");
}

TEST_F(HtmlReportTest, SelfContainedPrintableOnA4) {
  const std::string html = Report(kTownship);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("@page{size:A4"), std::string::npos);
  EXPECT_NE(html.find("counter(page)"), std::string::npos);
  EXPECT_NE(html.find("@top-left{content:\"" + RegionNames::Get().Label(kTownship)), std::string::npos);
  EXPECT_NE(html.find("break-inside:avoid"), std::string::npos);
  EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href)=\"(https?:)?//)")));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("@font-face"), std::string::npos);
}

TEST_F(HtmlReportTest, DuplicateGroupedUnderItsRegistrationInEachTownship) {
  // In township 104 the duplicate is shown under R0002's village, not under
  // the kept registration's (township 101).
  const std::string other = Report(kOther);
  EXPECT_NE(other.find("320481104001"), std::string::npos);
  const size_t heading = other.find("<h4>");
  ASSERT_NE(heading, std::string::npos);
  EXPECT_NE(other.substr(heading, 80).find("320481104001"), std::string::npos) << other.substr(heading, 80);
}

TEST_F(HtmlReportTest, SummaryCellsCarryTheStatsValues) {
  const std::string html = SummaryHtml(data_, rules_, context_);
  EXPECT_NE(html.find("data-region=\"320481101\" data-col=\"eligible_hukou\">60<"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481101\" data-col=\"registration_rate\" data-value=\"0.950000\""),
            std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481102\" data-col=\"MISSING_ELIGIBLE\">1<"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481\" data-col=\"WRONG_NO_RIGHTS\">1<"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481\" data-three=\"new_adult\">1<"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481101\" data-three=\"no_rights\">1<"), std::string::npos);
  // The chart: a bar per township and the county average at 90%.
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481102\" data-rate=\"0.825000\""), std::string::npos);
  EXPECT_NE(html.find("data-average=\"0.900000\""), std::string::npos);
  EXPECT_EQ(html.find("data-flag-id"), std::string::npos);
}

TEST_F(HtmlReportTest, SummaryShowsFlagsNewAndResolvedSinceThePreviousRun) {
  std::string html = SummaryHtml(data_, rules_, context_);
  EXPECT_NE(html.find("首次运行"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481\" data-history=\"new\">4<"), std::string::npos)
      << "first run: every flag is new";
  EXPECT_NE(html.find("data-region=\"320481\" data-history=\"resolved\">0<"), std::string::npos);

  rules_.flags[1].is_new = false;  // d2, attributed to 320481101
  context_.previous_run = "2026-11-28T01:00:00-00000000";
  context_.resolved_by_township = {{kTownship, 3}, {"320481102", 1}};
  html = SummaryHtml(data_, rules_, context_);
  EXPECT_NE(html.find("data-region=\"320481101\" data-history=\"new\">2<"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481102\" data-history=\"new\">1<"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481101\" data-history=\"resolved\">3<"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481102\" data-history=\"resolved\">1<"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481\" data-history=\"new\">3<"), std::string::npos);
  EXPECT_NE(html.find("data-region=\"320481\" data-history=\"resolved\">4<"), std::string::npos);
  EXPECT_NE(html.find("data-count=\"new_flags\">3<"), std::string::npos);
  EXPECT_NE(html.find("data-count=\"resolved_flags\">4<"), std::string::npos);
  EXPECT_NE(html.find("href=\"resolved_flags.jsonl\""), std::string::npos);
  EXPECT_EQ(html.find("首次运行"), std::string::npos);
}

TEST_F(HtmlReportTest, SummaryLinksEachTownshipReport) {
  const std::string html = SummaryHtml(data_, rules_, context_);
  for (const char* t : {"320481101", "320481102", "320481104"}) {
    EXPECT_NE(html.find("href=\"townships/" + std::string(t) + "/report.html\""), std::string::npos) << t;
  }
  EXPECT_NE(html.find("@page{size:A4 landscape"), std::string::npos);
}

TEST_F(HtmlReportTest, WritesOneReportPerTownshipFolder) {
  std::string tmpl = (fs::temp_directory_path() / "rm_html_test_XXXXXX").string();
  const fs::path dir = mkdtemp(tmpl.data());
  ASSERT_TRUE(WriteTownshipReports(dir.string(), data_, rules_, context_, ReportOptions()).ok());
  ASSERT_TRUE(WriteSummaryHtml((dir / "summary.html").string(), data_, rules_, context_).ok());
  for (const char* t : {"320481101", "320481102", "320481104"}) {
    EXPECT_TRUE(fs::exists(dir / "townships" / t / "report.html")) << t;
  }
  EXPECT_TRUE(fs::exists(dir / "summary.html"));
  // An unwritable folder is an IoError naming the file.
  fs::remove_all(dir / "townships");
  std::ofstream(dir / "townships") << "a file where the folder should be";
  const Status s = WriteTownshipReports(dir.string(), data_, rules_, context_, ReportOptions());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("townships"), std::string::npos) << s.message();
  fs::remove_all(dir);
}

TEST(RegionNames, KnownAndUnknownCodes) {
  const RegionNames& names = RegionNames::Get();
  EXPECT_EQ(names.Name("320481"), "溧阳市");
  EXPECT_EQ(names.Name("320481001"), "昆仑街道");
  EXPECT_FALSE(names.Name("320481001001").empty());
  EXPECT_EQ(names.Name("999999999"), "");
  EXPECT_EQ(names.Label("320481001"), "昆仑街道（320481001）");
  EXPECT_EQ(names.Label("999999999"), "999999999");
}

}  // namespace
}  // namespace rollmatch
