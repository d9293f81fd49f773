#include "engine/report/html_report.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <system_error>

#include "engine/core/region.h"
#include "engine/core/writeback.h"
#include "engine/normalize/codes.h"
#include "engine/report/json_writer.h"
#include "engine/report/region_names.h"
#include "engine/resolve/resolver.h"

namespace rollmatch {

namespace {

namespace fs = std::filesystem;

// ---- text ----

// Appends `text` as HTML text or attribute value: valid UTF-8 (each invalid
// byte becomes U+FFFD, as AppendValidUtf8), with & < > " ' escaped.
void Esc(std::string* out, std::string_view text) {
  size_t run = 0;  // start of the bytes not yet appended
  size_t i = 0;
  auto replace = [&](std::string_view with) {
    out->append(text.data() + run, i - run);
    out->append(with);
    run = ++i;
  };
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const int n = Utf8LengthAt(text, i);
      if (n == 0) {
        replace("\xEF\xBF\xBD");
      } else {
        i += static_cast<size_t>(n);
      }
      continue;
    }
    switch (c) {
      case '&':
        replace("&amp;");
        break;
      case '<':
        replace("&lt;");
        break;
      case '>':
        replace("&gt;");
        break;
      case '"':
        replace("&quot;");
        break;
      case '\'':
        replace("&#39;");
        break;
      default:
        ++i;
    }
  }
  out->append(text.data() + run, i - run);
}

std::string E(std::string_view text) {
  std::string out;
  Esc(&out, text);
  return out;
}

// A CSS string literal's content (for @page margin boxes).
std::string CssString(std::string_view text) {
  std::string valid, out;
  AppendValidUtf8(&valid, text);
  for (char c : valid) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n' || c == '\r' || c == '<' || c == '>') {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Fixed(double value, int precision) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed, precision);
  return r.ec == std::errc() ? std::string(buf, r.ptr) : std::string();
}

std::string Percent(double ratio, int precision = 2) { return Fixed(100.0 * ratio, precision) + "%"; }

std::string Rate(uint64_t num, uint64_t den) {
  return den == 0 ? std::string("—") : Percent(static_cast<double>(num) / static_cast<double>(den));
}

std::string N(uint64_t n) { return std::to_string(n); }

// ---- words ----

std::string_view FeedLabel(Feed feed) {
  switch (feed) {
    case Feed::kHukou:
      return "户籍";
    case Feed::kMigrant:
      return "流动人口";
    case Feed::kSocial:
      return "社保";
    case Feed::kRoll:
      return "选民名册";
    case Feed::kRights:
      return "权利限制";
    case Feed::kDistricts:
      return "选区";
  }
  return "?";
}

std::string_view HukouStatusWord(HukouStatus s) {
  switch (s) {
    case HukouStatus::kNormal:
      return "户籍正常";
    case HukouStatus::kDeceased:
      return "死亡注销";
    case HukouStatus::kMovedOut:
      return "已迁出";
    case HukouStatus::kCancelled:
      return "已注销";
  }
  return "";
}

std::string_view SocialStatusWord(SocialStatus s) {
  switch (s) {
    case SocialStatus::kActive:
      return "参保缴费";
    case SocialStatus::kSuspended:
      return "暂停缴费";
    case SocialStatus::kTerminated:
      return "终止参保";
  }
  return "";
}

std::string_view BasisWord(Basis b) {
  switch (b) {
    case Basis::kHukou:
      return "户籍地登记";
    case Basis::kResidence:
      return "居住地登记";
    case Basis::kUnit:
      return "单位登记";
  }
  return "";
}

std::string_view IdStatusNote(IdStatus s) {
  switch (s) {
    case IdStatus::kEmpty:
      return "（未填）";
    case IdStatus::kBadCheck:
      return "（校验位错误）";
    case IdStatus::kMalformed:
      return "（格式错误）";
    case IdStatus::kValidFrom15:
      return "（15位）";
    case IdStatus::kValid:
      return "";
  }
  return "";
}

int CategoryIndex(FlagCode code) {
  const std::string_view c = FlagCategory(code);
  return c == "wrong" ? 0 : c == "duplicate" ? 1 : 2;
}
constexpr std::array<std::string_view, 3> kCategoryLabels = {"错登", "重登", "漏登"};
constexpr std::array<std::string_view, 3> kCategoryIds = {"wrong", "duplicate", "missing"};
constexpr std::array<std::string_view, 3> kCategoryHints = {
    "名册中不应有或信息有误的登记：核实后删除或更正。",
    "同一人在名册中登记了多次：核实后保留一条，删除其余。",
    "符合条件但未登记的人员：核实后补登；流入人员请联系本人。"};

// 0 open, 1 confirmed, 2 dismissed.
int ReviewIndex(std::string_view review) {
  if (review == "confirmed") return 1;
  if (review == "dismissed") return 2;
  return 0;
}

std::string RegionLabel(std::string_view code) {
  if (code.empty()) return "—";
  return RegionNames::Get().Label(code);
}

// The township of a roll record: its district's, else its region code's.
std::string RollTownship(const Dataset& data, uint32_t row) {
  const RollRecord& r = data.roll[row];
  if (const District* d = data.FindDistrict(r.district_code)) return d->township;
  return std::string(TownshipOf(r.region));
}

// The village a flag is grouped under in `township`'s report: for a
// DUPLICATE, the village of its registration in that township (the flag's
// own village is the kept registration's, maybe in another township).
std::string LocalVillage(const Dataset& data, const Flag& f, std::string_view township) {
  if (f.code == FlagCode::kDuplicate) {
    for (RecordRef r : f.records) {
      if (r.feed == Feed::kRoll && r.row < data.roll.size() && RollTownship(data, r.row) == township) {
        return data.roll[r.row].region.str();
      }
    }
  }
  return f.village;
}

std::string_view RecordIdOf(const Dataset& data, RecordRef r) {
  const FeedTable& table = data.table(r.feed);
  return r.row < table.num_rows() ? table.key(r.row) : std::string_view();
}

const RegionStats* FindStats(const RulesOutput& rules, std::string_view code, std::string_view level) {
  for (const RegionStats& s : rules.stats) {
    if (s.region_code == code && s.level == level) return &s;
  }
  return nullptr;
}

// ---- page frame ----

constexpr std::string_view kCss = R"css(
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#cfd6df;--accent:#1f4e79;--warn:#b3261e;--ok:#1e7b34}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei","SimSun",sans-serif;
color:var(--ink);margin:0 auto;max-width:1120px;padding:16px 24px 40px;font-size:14px;line-height:1.5}
h1{font-size:22px;margin:0 0 2px}
h2{font-size:18px;color:var(--accent);border-bottom:2px solid var(--accent);padding-bottom:2px;margin:26px 0 8px}
h3{font-size:16px;margin:18px 0 6px}
h4{font-size:14px;margin:12px 0 4px;background:#eef2f7;padding:2px 8px}
p{margin:4px 0}
table{border-collapse:collapse;margin:4px 0 8px}
th,td{border:1px solid var(--line);padding:2px 6px;text-align:left;vertical-align:top}
th{background:#eef2f7;font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
table.stats{font-size:12px}
table.stats th{vertical-align:bottom}
.muted,.meta{color:var(--muted)}
.meta{font-size:12px}
.sub td{background:#f6f8fb;font-weight:600}
.zero{color:#9aa0a6}
.figures{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.figure{border:1px solid var(--line);padding:4px 12px;min-width:120px}
.figure b{display:block;font-size:20px}
.note{background:#fffbea;border:1px solid #eedc9a;padding:6px 10px;font-size:13px;margin:8px 0}
.verify{color:#fff;background:var(--warn);padding:0 4px;border-radius:3px;font-weight:700;white-space:nowrap}
table.fl{width:100%;table-layout:fixed;font-size:12px;margin:4px 0 10px}
.fl th:nth-child(1){width:8%}.fl th:nth-child(2){width:19%}.fl th:nth-child(3){width:12%}
.fl th:nth-child(4){width:21%}.fl th:nth-child(5){width:6%}
.fl td{overflow-wrap:anywhere}
.fl td:nth-child(2){font-family:"DejaVu Sans Mono",Consolas,monospace;white-space:nowrap}
.fl td:nth-child(3){white-space:nowrap}
.fl td:nth-child(5){text-align:right}
.fl tr.c th{background:#e3eaf3;color:var(--accent)}
.fl tr.w td{background:#f6f8fb}
.fl tbody.full{break-inside:avoid;page-break-inside:avoid}
.fl tr.h td{border-top:2px solid var(--accent);background:#fbfcfe;font-weight:600}
.fl tbody.low tr.h td:first-child{border-left:4px solid var(--warn)}
.fl tr.r td{border-top:none}
.fl tr.r td:first-child{padding-left:14px}
.why{color:var(--muted)}
.nw{font-style:normal;color:#fff;background:var(--accent);padding:0 3px;margin-right:3px;border-radius:2px}
.dec{color:var(--ok)}
nav.toc a{margin-right:14px}
a{color:var(--accent)}
.bars text{font-size:12px;fill:var(--ink)}
@media print{
 body{max-width:none;padding:0;font-size:9.5pt}
 .noprint{display:none}
 h2,h3,h4{break-after:avoid;page-break-after:avoid}
 tr,.figure,.note,svg{break-inside:avoid;page-break-inside:avoid}
 thead{display:table-header-group}
 a{color:inherit;text-decoration:none}
 table.fl{font-size:8pt}
}
)css";

void PageStart(std::string* o, std::string_view title, std::string_view running_left,
               std::string_view run_date, bool landscape) {
  o->append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
  o->append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  o->append("<meta name=\"generator\" content=\"rollmatch\">\n<title>");
  Esc(o, title);
  o->append("</title>\n<style>");
  o->append(kCss);
  o->append("@page{size:A4");
  if (landscape) o->append(" landscape");
  o->append(";margin:16mm 12mm 14mm 12mm;\n @top-left{content:\"");
  o->append(CssString(running_left));
  o->append("\";font-size:8pt;color:#5f6368}\n @top-right{content:\"运行日期 ");
  o->append(CssString(run_date));
  o->append("\";font-size:8pt;color:#5f6368}\n");
  o->append(
      " @bottom-center{content:\"第 \" counter(page) \" 页 / 共 \" counter(pages) \" "
      "页\";font-size:8pt;color:#5f6368}\n}\n");
  o->append("</style>\n</head>\n<body>\n");
}

void PageEnd(std::string* o) {
  o->append(
      "<p class=\"meta\">由 rollmatch 生成。本页不依赖网络，可直接打印（A4）。</p>\n</body>\n</html>\n");
}

// ---- the flags ----

const RecordLink* FindLink(const Flag& f, RecordRef r) {
  for (const RecordLink& l : f.evidence.links) {
    if (l.record == r) return &l;
  }
  return nullptr;
}

// Free text as shown: ID numbers masked when redacting.
std::string Shown(std::string_view text, const ReportOptions& options) {
  return options.redact ? MaskIdNumbersInText(text) : std::string(text);
}

// The records of a flag as shown: registrations first, then the matched
// source records, each once.
std::vector<RecordRef> ShownRecords(const Flag& f) {
  std::vector<RecordRef> refs;
  auto add = [&](RecordRef r) {
    if (std::find(refs.begin(), refs.end(), r) == refs.end()) refs.push_back(r);
  };
  if (f.subject.feed == Feed::kRoll) add(f.subject);
  for (RecordRef r : f.records) {
    if (r.feed == Feed::kRoll) add(r);
  }
  if (f.subject.feed != Feed::kRoll) add(f.subject);
  for (RecordRef r : f.records) add(r);
  return refs;
}

// "户籍 H001", "选民名册 R0001（选区 D01）": a registration with the district
// whose roll holds it.
void AppendRecordName(std::string* o, const Dataset& data, RecordRef r, const ReportOptions& options) {
  o->append(FeedLabel(r.feed));
  o->push_back(' ');
  Esc(o, Shown(RecordIdOf(data, r), options));
  if (r.feed == Feed::kRoll && r.row < data.roll.size() && !data.roll[r.row].district_code.empty()) {
    o->append("（选区 ");
    Esc(o, data.roll[r.row].district_code);
    o->append("）");
  }
}

// The staff decision on a decided flag, in words.
void AppendDecision(std::string* o, const Flag& f, const ReportContext& context, const ReportOptions& options) {
  o->append("<span class=\"dec\">审核：");
  Esc(o, ReviewWord(f.review));
  auto it = context.decisions.find(f.flag_id);
  if (it != context.decisions.end()) {
    const ReviewNote& d = it->second;
    if (!d.decided_at.empty()) o->append("，" + E(d.decided_at.substr(0, 10)));
    if (!d.note.empty()) o->append("；备注：" + E(Shown(d.note, options)));
    if (!d.source_file.empty()) o->append("；来自 " + E(fs::path(d.source_file).filename().string()));
  }
  o->append("</span>");
}

// The first three cells of a flag's row: the person (marked 新 when the
// previous run did not raise the flag), ID number, birth date and gender.
void PersonCells(std::string* o, const Flag& f, const ReportContext& context, const ReportOptions& options) {
  o->append("<td>");
  if (f.is_new && !context.previous_run.empty()) o->append("<i class=\"nw\">新</i>");
  Esc(o, f.summary.name.empty() ? "（无姓名）" : f.summary.name);
  o->append("<td>");
  Esc(o, options.redact ? MaskIdNumber(f.summary.id_number) : f.summary.id_number);
  o->append("<td>");
  Esc(o, f.summary.birth_date);
  if (!f.summary.gender.empty()) {
    o->push_back(' ');
    Esc(o, f.summary.gender);
  }
}

void ConfidenceCell(std::string* o, const Flag& f) {
  o->append("<td>");
  o->append(Fixed(f.confidence, 3));
  if (f.confidence < kVerifyBelowConfidence) o->append(" <span class=\"verify\">请核实</span>");
}

// One flag in one table row (ShownInFull() false): the person, the flagged
// record (its subject), the confidence and, unless `words_above` (a row
// above the run of flags sharing them shows them), the finding in words.
void CompactRow(std::string* o, const Dataset& data, const Flag& f, std::string_view words, bool words_above,
                const ReportContext& context, const ReportOptions& options) {
  o->append("<tr data-flag-id=\"");
  Esc(o, f.flag_id);
  o->append("\">");
  PersonCells(o, f, context, options);
  o->append("<td>");
  AppendRecordName(o, data, f.subject, options);
  ConfidenceCell(o, f);
  const bool decided = ReviewIndex(f.review) != 0;
  if (!words_above || decided) {
    o->append("<td>");
    if (!words_above) Esc(o, words);
    if (decided) {
      if (!words_above) o->append("<br>");
      AppendDecision(o, f, context, options);
    }
  }
  o->append("\n");
}

// One record of a flag shown in full: the record's own values, its role,
// where it places the person, and why it was matched.
void RecordRow(std::string* o, const Dataset& data, const Flag& f, RecordRef r, std::string_view role,
               const ReportOptions& options) {
  const bool known = r.feed != Feed::kDistricts && r.row < data.num_records(r.feed);
  o->append("<tr class=\"r\"><td>");
  if (known) {
    const PersonFields& p = data.person_fields(r);
    Esc(o, p.name);
    o->append("<td>");
    Esc(o, options.redact ? MaskIdNumber(p.id.text()) : std::string(p.id.text()));
    if (!IdStatusNote(p.id.status).empty()) {
      o->append("<br>");
      Esc(o, IdStatusNote(p.id.status));
    }
    o->append("<td>");
    Esc(o, p.birth_date.ToString());
    if (p.gender != Gender::kUnknown) o->append(" " + E(GenderWord(p.gender)));
  } else {
    o->append("<td><td>");
  }
  o->append("<td>");
  if (!role.empty()) {
    Esc(o, role);
    o->append("<br>");
  }
  o->append(FeedLabel(r.feed));
  o->push_back(' ');
  Esc(o, Shown(RecordIdOf(data, r), options));
  o->append("<td>");
  const RecordLink* link = FindLink(f, r);
  if (link != nullptr) o->append(Fixed(link->why.confidence, 3));
  o->append("<td>");

  std::string place, other;
  if (known) {
    switch (r.feed) {
      case Feed::kRoll: {
        const RollRecord& rr = data.roll[r.row];
        place = "选区 " + rr.district_code;
        if (const District* d = data.FindDistrict(rr.district_code)) {
          if (!d->name.empty()) place += " " + d->name;
        } else {
          place += "（选区表中无此选区）";
        }
        place += "；" + RegionLabel(rr.region);
        other = std::string(BasisWord(rr.basis));
        if (rr.registered_date.known()) other += "，登记于 " + rr.registered_date.ToString();
        break;
      }
      case Feed::kHukou: {
        const HukouRecord& h = data.hukou[r.row];
        place = "户籍地 " + RegionLabel(h.region);
        other = std::string(HukouStatusWord(h.status));
        if (h.status != HukouStatus::kNormal && h.status_date.known()) other += " " + h.status_date.ToString();
        if (h.status == HukouStatus::kNormal && h.status_date.known())
          other += "，变动于 " + h.status_date.ToString();
        if (!h.former_names.empty()) {
          other += "；曾用名 ";
          for (size_t i = 0; i < h.former_names.size(); ++i) other += (i ? "、" : "") + h.former_names[i];
        }
        break;
      }
      case Feed::kMigrant: {
        const MigrantRecord& m = data.migrant[r.row];
        place = "居住地 " + RegionLabel(m.residence_region);
        other = "户籍地 " + RegionLabel(m.hukou_region);
        if (m.expiry_date.known()) other += "；居住证有效期至 " + m.expiry_date.ToString();
        break;
      }
      case Feed::kSocial: {
        const SocialRecord& s = data.social[r.row];
        place = "参保地 " + RegionLabel(s.insured_region);
        other = std::string(SocialStatusWord(s.status));
        if (s.last_paid.known()) other += "，最近缴费 " + s.last_paid.ToString().substr(0, 7);
        break;
      }
      case Feed::kRights: {
        const RightsRecord& q = data.rights[r.row];
        other = options.show_rights_kind ? std::string(RightsKindWord(q.kind)) : "选举权利限制";
        other += " " + (q.from.known() ? q.from.ToString() : std::string("…")) + " 至 " +
                 (q.to.known() ? q.to.ToString() : std::string("…"));
        break;
      }
      case Feed::kDistricts:
        break;
    }
  }
  Esc(o, place);
  if (!place.empty() && !other.empty()) o->append("；");
  Esc(o, other);
  o->append("<br><span class=\"why\">匹配依据：");
  if (link != nullptr) {
    Esc(o, Shown(link->why.words, options));
  } else {
    o->append("—");
  }
  o->append("</span>\n");
}

// One flag shown in full (ShownInFull() true): a <tbody> with `heading` (a
// code's heading row, kept on the page of its first flag), the flag's row,
// then one row per record with its match explanation.
void FullFlag(std::string* o, const Dataset& data, const Flag& f, std::string_view words,
              std::string_view heading, const ReportContext& context, const ReportOptions& options) {
  const bool low = f.confidence < kVerifyBelowConfidence;
  o->append(low ? "<tbody class=\"full low\" data-flag-id=\"" : "<tbody class=\"full\" data-flag-id=\"");
  Esc(o, f.flag_id);
  o->append("\">");
  o->append(heading);
  o->append("<tr class=\"h\">");
  PersonCells(o, f, context, options);
  o->append("<td><span class=\"meta\">");
  o->append(FlagCodeName(f.code));
  o->append(" · 标识 ");
  Esc(o, f.flag_id);
  o->append("</span>");
  ConfidenceCell(o, f);
  o->append("<td>");
  Esc(o, words);
  if (ReviewIndex(f.review) != 0) {
    o->append("<br>");
    AppendDecision(o, f, context, options);
  }
  o->append("\n");
  for (RecordRef r : ShownRecords(f)) {
    std::string_view role;
    if (r.feed == Feed::kRoll) {
      if (f.code == FlagCode::kDuplicate) {
        role = f.keep.has_value() && *f.keep == r ? "建议保留" : "重复登记";
      } else {
        role = "登记";
      }
    } else if (r == f.subject) {
      role = "本人";
    } else {
      role = "匹配";
    }
    RecordRow(o, data, f, r, role, options);
  }
  o->append("</tbody>\n");
}

constexpr std::string_view kFlagTableHead =
    "<table class=\"fl\"><thead><tr><th>姓名</th><th>身份证号</th><th>出生日期 性别</th><th>记录</th>"
    "<th>置信度</th><th>说明</th></tr></thead>\n";

// The flags of `list` grouped by category, then village; in a village's
// table by code (a heading row with the suggested action), flags shown in
// full first, then the one-row flags, those with the same finding in words
// together under one row that states it. `in_full`: whether flags a
// person must judge are shown in full (the open flags; decided ones have
// been judged).
void FlagSections(std::string* o, const Dataset& data, const std::vector<const Flag*>& list,
                  std::string_view township, std::string_view section_id, bool in_full,
                  const ReportContext& context, const ReportOptions& options) {
  struct Item {
    int category;
    std::string village;
    FlagCode code;
    bool full;
    std::string words;
    size_t order;
    const Flag* flag;
  };
  std::vector<Item> items;
  items.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const Flag& f = *list[i];
    std::string v = LocalVillage(data, f, township);
    if (v.size() != 12) v.clear();
    items.push_back(
        {CategoryIndex(f.code), std::move(v), f.code, in_full && ShownInFull(f), EvidenceWords(f, options), i, &f});
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.category != b.category) return a.category < b.category;
    if (a.village != b.village)
      return a.village.empty() ? false : b.village.empty() ? true : a.village < b.village;
    if (a.code != b.code) return a.code < b.code;
    if (a.full != b.full) return a.full;
    if (!a.full && a.words != b.words) return a.words < b.words;
    return a.order < b.order;
  });
  size_t i = 0;
  while (i < items.size()) {
    const int c = items[i].category;
    size_t end = i;
    while (end < items.size() && items[end].category == c) ++end;
    o->append("<h3 id=\"");
    o->append(section_id);
    o->append("-");
    o->append(kCategoryIds[c]);
    o->append("\">");
    o->append(kCategoryLabels[c]);
    o->append("（" + N(end - i) + " 条）</h3>\n<p class=\"muted\">");
    o->append(kCategoryHints[c]);
    o->append("</p>\n");
    size_t j = i;
    while (j < end) {
      const std::string& v = items[j].village;
      size_t vend = j;
      while (vend < end && items[vend].village == v) ++vend;
      o->append("<section class=\"village\"><h4>");
      if (v.empty()) {
        o->append("未细分到村（社区）");
      } else {
        Esc(o, RegionLabel(v));
      }
      o->append(" · " + N(vend - j) + " 条</h4>\n");
      o->append(kFlagTableHead);
      size_t k = j;
      while (k < vend) {
        const FlagCode code = items[k].code;
        size_t cend = k;
        while (cend < vend && items[cend].code == code) ++cend;
        std::string heading = "<tr class=\"c\"><th colspan=\"6\">";
        Esc(&heading, FlagLabel(code));
        heading += " <span class=\"meta\">";
        heading += FlagCodeName(code);
        heading += "</span> · 建议操作：";
        Esc(&heading, FlagAction(code));
        heading += " · " + N(cend - k) + " 条</th></tr>\n";
        bool in_rows = false;  // inside a <tbody> that takes one-row flags
        while (k < cend) {
          if (items[k].full) {
            if (in_rows) o->append("</tbody>\n");
            in_rows = false;
            FullFlag(o, data, *items[k].flag, items[k].words, heading, context, options);
            heading.clear();
            ++k;
            continue;
          }
          if (!in_rows) {
            o->append("<tbody>\n");
            o->append(heading);
            heading.clear();
            in_rows = true;
          }
          size_t wend = k;
          while (wend < cend && !items[wend].full && items[wend].words == items[k].words) ++wend;
          const bool shared = wend - k >= 2;
          if (shared) {
            o->append("<tr class=\"w\"><td colspan=\"6\">");
            Esc(o, items[k].words);
            o->append("（以下 " + N(wend - k) + " 条）\n");
          }
          for (; k < wend; ++k) CompactRow(o, data, *items[k].flag, items[k].words, shared, context, options);
        }
        if (in_rows) o->append("</tbody>\n");
      }
      o->append("</table>\n</section>\n");
      j = vend;
    }
    i = end;
  }
}

}  // namespace

bool ShownInFull(const Flag& f) {
  if (f.code == FlagCode::kDuplicate || f.confidence < kVerifyBelowConfidence) return true;
  // A finding that rests on a record not being matched (no such person, not
  // registered) is doubtful when a candidate came close; the best unlinked
  // candidate of a record that is matched says little (it is often a record
  // of the same person, reached through another link).
  const bool rests_on_no_match = f.code == FlagCode::kWrongNotFound || f.code == FlagCode::kMissingEligible ||
                                 f.code == FlagCode::kMissingMigrant;
  constexpr ProbabilisticOptions kResolver;
  for (const RecordLink& l : f.evidence.links) {
    if (l.why.confidence < kResolver.accept_probability) return true;
    if (rests_on_no_match && l.why.best_unlinked >= kResolver.review_probability) return true;
  }
  return false;
}

// ---- report.html ----

std::string TownshipReportHtml(const std::string& township, const Dataset& data, const RulesOutput& rules,
                               const std::vector<const Flag*>& flags, const ReportContext& context,
                               const ReportOptions& options) {
  const std::string label = RegionNames::Get().Label(township);
  std::string out;
  std::string* o = &out;
  out.reserve(16384 + flags.size() * 200);
  PageStart(o, label + " 选民登记核查报告", label + " 选民登记核查报告", context.run_date, false);

  std::array<std::array<uint64_t, 3>, kNumFlagCodes> counts = {};
  std::array<uint64_t, 3> by_review = {};
  std::array<uint64_t, 4> increases = {};  // rights_restored, new_adult, moved_in, other
  uint64_t low = 0;
  std::vector<const Flag*> open, confirmed, dismissed;
  for (const Flag* f : flags) {
    const int r = ReviewIndex(f->review);
    counts[static_cast<int>(f->code)][r]++;
    by_review[r]++;
    if (f->confidence < kVerifyBelowConfidence && r == 0) ++low;
    (r == 1 ? confirmed : r == 2 ? dismissed : open).push_back(f);
    if (f->code == FlagCode::kMissingEligible) {
      const std::string& why = f->evidence.reason;
      increases[why == "rights_restored" ? 0 : why == "new_adult" ? 1 : why == "moved_in" ? 2 : 3]++;
    }
  }
  auto code_total = [&](FlagCode c) {
    const auto& n = counts[static_cast<int>(c)];
    return n[0] + n[1] + n[2];
  };

  o->append("<header>\n<h1>");
  Esc(o, label);
  o->append(" 选民登记核查报告</h1>\n<p class=\"meta\">运行 ");
  Esc(o, context.run_id);
  o->append(" · 运行日期 ");
  Esc(o, context.run_date);
  o->append(" · 选举日 ");
  Esc(o, context.election_day);
  if (!context.scope.empty()) o->append(" · 核查范围 " + E(RegionLabel(context.scope)));
  o->append("</p>\n</header>\n");
  o->append(
      "<nav class=\"toc noprint\"><a href=\"#summary\">概况</a><a href=\"#open\">待处理</a>"
      "<a href=\"#confirmed\">已确认</a><a href=\"#dismissed\">已驳回</a><a "
      "href=\"flags.xlsx\">问题清单（Excel）</a>"
      "<a href=\"../../summary.html\">全县总览</a></nav>\n");

  // Summary.
  o->append("<section id=\"summary\">\n<h2>概况</h2>\n<div class=\"figures\">");
  const RegionStats* st = FindStats(rules, township, "township");
  if (st != nullptr) {
    o->append("<div class=\"figure\">户籍选民登记率<b data-col=\"registration_rate\">" +
              Rate(st->registered_hukou, st->eligible_hukou) + "</b><span class=\"meta\">已登记 " +
              N(st->registered_hukou) + " / 应登记 " + N(st->eligible_hukou) + "</span></div>");
    o->append("<div class=\"figure\">流入人员已登记<b>" + N(st->registered_migrant) + " / " +
              N(st->eligible_migrant) + "</b><span class=\"meta\">名册登记 " + N(st->roll_records) +
              " 条</span></div>");
  }
  o->append("<div class=\"figure\">问题总数<b data-count=\"total\">" + N(flags.size()) +
            "</b><span class=\"meta\">" + "待处理 " + N(by_review[0]) + " · 已确认 " + N(by_review[1]) +
            " · 已驳回 " + N(by_review[2]) + "</span></div>");
  const uint64_t in_full =
      static_cast<uint64_t>(std::count_if(open.begin(), open.end(), [](const Flag* f) { return ShownInFull(*f); }));
  o->append("<div class=\"figure\">待处理中需核实<b>" + N(low) + "</b><span class=\"meta\">置信度低于 0.9；需人工判断 " +
            N(in_full) + " 条</span></div>");
  if (!context.previous_run.empty()) {
    const uint64_t fresh =
        static_cast<uint64_t>(std::count_if(flags.begin(), flags.end(), [](const Flag* f) { return f->is_new; }));
    auto it = context.resolved_by_township.find(township);
    o->append("<div class=\"figure\">上次运行以来新增<b data-history=\"new\">" + N(fresh) +
              "</b><span class=\"meta\">已消除 <span data-history=\"resolved\">" +
              N(it == context.resolved_by_township.end() ? 0 : it->second) + "</span> 条</span></div>");
  }
  o->append("</div>\n");

  o->append(
      "<h3>按类别和问题</h3>\n<table class=\"counts\"><thead><tr><th>类别</th><th>问题</th><th>代码</th>"
      "<th class=\"n\">待处理</th><th class=\"n\">已确认</th><th class=\"n\">已驳回</th><th "
      "class=\"n\">合计</th>"
      "<th>建议操作</th></tr></thead><tbody>\n");
  for (int c = 0; c < 3; ++c) {
    std::array<uint64_t, 3> sub = {};
    for (FlagCode code : kAllFlagCodes) {
      if (CategoryIndex(code) != c) continue;
      const auto& n = counts[static_cast<int>(code)];
      for (int r = 0; r < 3; ++r) sub[r] += n[r];
      const uint64_t total = n[0] + n[1] + n[2];
      o->append(total == 0 ? "<tr class=\"zero\">" : "<tr>");
      o->append("<td>" + std::string(kCategoryLabels[c]) + "</td><td>" + E(FlagLabel(code)) + "</td><td>" +
                std::string(FlagCodeName(code)) + "</td>");
      for (int r = 0; r < 3; ++r) o->append("<td class=\"n\">" + N(n[r]) + "</td>");
      o->append("<td class=\"n\" data-code=\"" + std::string(FlagCodeName(code)) + "\">" + N(total) +
                "</td><td>" + E(FlagAction(code)) + "</td></tr>\n");
    }
    o->append("<tr class=\"sub\"><td colspan=\"3\">" + std::string(kCategoryLabels[c]) + " 小计</td>");
    for (int r = 0; r < 3; ++r) o->append("<td class=\"n\">" + N(sub[r]) + "</td>");
    o->append("<td class=\"n\" data-category=\"" + std::string(kCategoryIds[c]) + "\">" +
              N(sub[0] + sub[1] + sub[2]) + "</td><td></td></tr>\n");
  }
  o->append("</tbody></table>\n");
  if (std::find_if(flags.begin(), flags.end(), [&](const Flag* f) {
        return f->code == FlagCode::kDuplicate && f->township != township;
      }) != flags.end()) {
    o->append(
        "<p "
        "class=\"meta\">重复登记涉及多个乡镇时，每个相关乡镇的报告都列出该条；统计表（stats."
        "csv）只计入建议保留"
        "登记所在的乡镇。</p>\n");
  }

  // 三增三减.
  o->append(
      "<h3>三增三减</h3>\n<table class=\"three\"><thead><tr><th colspan=\"2\">三增（应登未登，应补登）</th>"
      "<th colspan=\"2\">三减（应从名册删除）</th></tr></thead><tbody>\n");
  const std::array<std::pair<std::string_view, uint64_t>, 4> plus = {{{"恢复政治权利", increases[0]},
                                                                      {"新满十八周岁", increases[1]},
                                                                      {"新迁入", increases[2]},
                                                                      {"其他原因漏登", increases[3]}}};
  const std::array<std::pair<std::string_view, uint64_t>, 4> minus = {
      {{"死亡", code_total(FlagCode::kWrongDeceased)},
       {"迁出", code_total(FlagCode::kWrongMovedOut)},
       {"丧失选举权利（无选举权利）", code_total(FlagCode::kWrongNoRights)},
       {"", 0}}};
  for (size_t i = 0; i < 4; ++i) {
    o->append("<tr><td>" + E(plus[i].first) + "</td><td class=\"n\">" + N(plus[i].second) + "</td>");
    if (minus[i].first.empty()) {
      o->append("<td></td><td></td></tr>\n");
    } else {
      o->append("<td>" + E(minus[i].first) + "</td><td class=\"n\">" + N(minus[i].second) + "</td></tr>\n");
    }
  }
  o->append("<tr class=\"sub\"><td>三增合计</td><td class=\"n\">" +
            N(increases[0] + increases[1] + increases[2]) + "</td><td>三减合计</td><td class=\"n\">" +
            N(minus[0].second + minus[1].second + minus[2].second) + "</td></tr>\n</tbody></table>\n");
  o->append(
      "<p "
      "class=\"meta\">"
      "三增按“应登未登”的原因计（其他原因漏登不计入三增）；三减为已死亡、已迁出、无选举权利的登记。</p>\n");

  // The model's own error estimate.
  o->append("<div class=\"note\" id=\"estimate\"><b>关于准确性：</b>");
  auto est = std::find_if(context.estimates.begin(), context.estimates.end(),
                          [&](const ErrorEstimate& e) { return e.township == township; });
  if (est != context.estimates.end() && est->links > 0) {
    o->append("本乡镇共采纳记录关联 " + N(est->links) + " 条，模型自估其中约 " +
              Fixed(est->expected_false_links, 1) + " 条可能关联错误（误关联率约 " +
              Percent(est->expected_false_links / static_cast<double>(est->links)) + "）；");
    o->append("未关联的候选记录对 " + N(est->rejected_pairs) + " 对，自估约 " +
              Fixed(est->expected_missed_links, 1) + " 对实为同一人（漏关联）。");
  } else {
    o->append("本次运行没有本乡镇的模型误差自估。");
  }
  o->append(
      "这些是模型根据匹配概率的自我估计，不是核对结果。置信度低于 0.9 的问题标有<span "
      "class=\"verify\">请核实</span>，"
      "请先查证再处理。</div>\n");
  o->append(
      "<div class=\"note noprint\"><b>如何反馈：</b>在 flags.xlsx（或 "
      "flags.csv）的“处理意见（确认/驳回）”列填写"
      "“确认”（问题属实，将按建议处理）或“驳回”（误报），可在“备注”列说明；请勿修改“标识”和“身份证号”列。"
      "文件交回县里导入后，下一次运行会把已处理的问题移到“已确认”“已驳回”部分。</div>\n");
  // Villages.
  std::vector<const RegionStats*> villages;
  for (const RegionStats& s : rules.stats) {
    if (s.level == "village" && RegionWithin(s.region_code, township)) villages.push_back(&s);
  }
  if (!villages.empty()) {
    std::map<std::string, uint64_t> open_by_village;
    for (const Flag* f : open) open_by_village[LocalVillage(data, *f, township)]++;
    o->append(
        "<h3>各村（社区）登记率</h3>\n<table class=\"villages\"><thead><tr><th>村（社区）</th>"
        "<th class=\"n\">应登记</th><th class=\"n\">已登记</th><th class=\"n\">登记率</th>"
        "<th class=\"n\">名册登记</th><th class=\"n\">待处理问题</th></tr></thead><tbody>\n");
    for (const RegionStats* s : villages) {
      o->append("<tr><td>" + E(RegionLabel(s->region_code)) + "</td><td class=\"n\">" + N(s->eligible_hukou) +
                "</td><td class=\"n\">" + N(s->registered_hukou) + "</td><td class=\"n\">" +
                Rate(s->registered_hukou, s->eligible_hukou) + "</td><td class=\"n\">" + N(s->roll_records) +
                "</td><td class=\"n\">" + N(open_by_village[s->region_code]) + "</td></tr>\n");
    }
    o->append("</tbody></table>\n");
  }

  o->append("</section>\n");

  // The flags.
  o->append("<section id=\"open\">\n<h2>待处理问题（" + N(open.size()) + " 条）</h2>\n");
  if (open.empty()) o->append("<p class=\"muted\">没有待处理的问题。</p>\n");
  if (!open.empty()) {
    o->append(
        "<p class=\"meta\">需要人工判断的问题（重复登记、置信度低于 0.9 的“请核实”、匹配概率在 0.5 与 0.99 "
        "之间的记录）列出涉及的每条记录及其匹配依据；其余问题每条一行：姓名、身份证号、出生日期、登记和匹配的记录、"
        "置信度、说明。说明相同的问题归在一起，说明写在它们上方。");
    if (!context.previous_run.empty()) o->append("标有<i class=\"nw\">新</i>的问题是上次运行以来新出现的。");
    o->append("</p>\n");
  }
  FlagSections(o, data, open, township, "open", true, context, options);
  o->append("</section>\n<section id=\"confirmed\">\n<h2>已确认（" + N(confirmed.size()) + " 条）</h2>\n");
  if (confirmed.empty()) o->append("<p class=\"muted\">暂无已确认的问题。</p>\n");
  FlagSections(o, data, confirmed, township, "confirmed", false, context, options);
  o->append("</section>\n<section id=\"dismissed\">\n<h2>已驳回（" + N(dismissed.size()) + " 条）</h2>\n");
  if (dismissed.empty()) o->append("<p class=\"muted\">暂无已驳回的问题。</p>\n");
  FlagSections(o, data, dismissed, township, "dismissed", false, context, options);
  o->append("</section>\n");
  PageEnd(o);
  return out;
}

// ---- summary.html ----

namespace {

// The registration-rate chart: one horizontal bar per township, lowest
// rate first, and a vertical line at the county's rate.
void RateChart(std::string* o, const std::vector<const RegionStats*>& townships, const RegionStats* scope) {
  std::vector<const RegionStats*> bars;
  for (const RegionStats* s : townships) {
    if (s->eligible_hukou > 0) bars.push_back(s);
  }
  if (bars.empty()) {
    o->append("<p class=\"muted\">没有应登记的户籍选民，无法计算登记率。</p>\n");
    return;
  }
  auto rate = [](const RegionStats* s) {
    return static_cast<double>(s->registered_hukou) / static_cast<double>(s->eligible_hukou);
  };
  std::stable_sort(bars.begin(), bars.end(),
                   [&](const RegionStats* a, const RegionStats* b) { return rate(a) < rate(b); });
  double lowest = rate(bars.front());
  const bool has_avg = scope != nullptr && scope->eligible_hukou > 0;
  const double avg = has_avg ? rate(scope) : 0.0;
  if (has_avg) lowest = std::min(lowest, avg);
  // The axis starts at a round value below the lowest rate (bars of 95% and
  // 97% would look alike from 0); the chart says so.
  double lo = std::floor((lowest - 0.02) * 20.0) / 20.0;
  lo = std::clamp(lo, 0.0, 0.9);
  const double span = 1.0 - lo;
  const double step = span <= 0.1 ? 0.02 : span <= 0.5 ? 0.05 : 0.1;
  const int label_w = 200, x0 = 210, x1 = 740, width = 820, row_h = 22, top = 34;
  const int height = top + static_cast<int>(bars.size()) * row_h + 26;
  auto x = [&](double r) { return x0 + (std::clamp(r, lo, 1.0) - lo) / span * (x1 - x0); };

  o->append("<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + N(width) + "\" height=\"" +
            N(height) + "\" viewBox=\"0 0 " + N(width) + " " + N(height) +
            "\" role=\"img\" aria-label=\"各乡镇户籍选民登记率\">\n");
  for (double t = lo; t <= 1.0 + 1e-9; t += step) {
    const std::string xs = Fixed(x(t), 1);
    o->append("<line x1=\"" + xs + "\" y1=\"" + N(top - 6) + "\" x2=\"" + xs + "\" y2=\"" + N(height - 22) +
              "\" stroke=\"#e3e7ec\"/>");
    o->append("<text x=\"" + xs + "\" y=\"" + N(top - 10) + "\" text-anchor=\"middle\">" +
              Fixed(100.0 * t, 0) + "%</text>\n");
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const RegionStats* s = bars[i];
    const double r = rate(s);
    const int y = top + static_cast<int>(i) * row_h;
    const bool below = has_avg && r < avg;
    o->append("<g data-region=\"" + E(s->region_code) + "\" data-rate=\"" + Fixed(r, 6) + "\">");
    o->append("<title>" + E(RegionLabel(s->region_code)) + "：" + N(s->registered_hukou) + " / " +
              N(s->eligible_hukou) + " = " + Percent(r) + "</title>");
    o->append("<text x=\"" + N(label_w) + "\" y=\"" + N(y + 15) + "\" text-anchor=\"end\">" +
              E(RegionNames::Get().Name(s->region_code).empty()
                    ? s->region_code
                    : std::string(RegionNames::Get().Name(s->region_code))) +
              "</text>");
    o->append("<rect x=\"" + N(x0) + "\" y=\"" + N(y + 3) + "\" width=\"" +
              Fixed(std::max(1.0, x(r) - x0), 1) + "\" height=\"" + N(row_h - 6) + "\" fill=\"" +
              (below ? "#e08a2c" : "#2f6ea5") + "\"/>");
    o->append("<text x=\"" + N(x1 + 60) + "\" y=\"" + N(y + 15) + "\" text-anchor=\"end\">" + Percent(r) +
              "</text></g>\n");
  }
  if (has_avg) {
    const std::string xs = Fixed(x(avg), 1);
    o->append("<line x1=\"" + xs + "\" y1=\"" + N(top - 4) + "\" x2=\"" + xs + "\" y2=\"" + N(height - 20) +
              "\" stroke=\"#b3261e\" stroke-width=\"2\" stroke-dasharray=\"6 3\" data-average=\"" +
              Fixed(avg, 6) + "\"/>");
    o->append("<text x=\"" + xs + "\" y=\"" + N(height - 6) +
              "\" text-anchor=\"middle\" fill=\"#b3261e\">全县平均 " + Percent(avg) + "</text>\n");
  }
  o->append("</svg>\n<p class=\"meta\">横轴从 " + Fixed(100.0 * lo, 0) +
            "% 起；橙色为低于全县平均的乡镇。登记率 = 已登记户籍选民 / 应登记户籍选民。</p>\n");
}

}  // namespace

std::string SummaryHtml(const Dataset& data, const RulesOutput& rules, const ReportContext& context) {
  const std::string scope_label = RegionLabel(context.scope);
  std::string out;
  std::string* o = &out;
  PageStart(o, scope_label + " 选民登记核查总览", scope_label + " 选民登记核查总览", context.run_date, true);

  const RegionStats* scope = nullptr;
  std::vector<const RegionStats*> townships;
  for (const RegionStats& s : rules.stats) {
    if (s.level == "scope" && scope == nullptr) scope = &s;
    if (s.level == "township") townships.push_back(&s);
  }
  // Per attributed township: 三增 by reason, review states; and which
  // townships have a report folder.
  std::map<std::string, std::array<uint64_t, 4>> increases;
  std::map<std::string, std::array<uint64_t, 3>> reviews;
  std::array<uint64_t, 3> review_total = {};
  std::map<std::string, uint64_t> fresh;  // new since the previous run, by attributed township
  uint64_t fresh_total = 0, resolved_total = 0;
  for (const auto& [t, n] : context.resolved_by_township) resolved_total += n;
  for (const Flag& f : rules.flags) {
    const int r = ReviewIndex(f.review);
    reviews[f.township][r]++;
    review_total[r]++;
    if (f.is_new) {
      fresh[f.township]++;
      fresh_total++;
    }
    if (f.code == FlagCode::kMissingEligible) {
      const std::string& why = f.evidence.reason;
      increases[f.township][why == "rights_restored" ? 0
                            : why == "new_adult"     ? 1
                            : why == "moved_in"      ? 2
                                                     : 3]++;
    }
  }
  const auto folders = FlagsByTownship(data, rules.flags);

  o->append("<header>\n<h1>");
  Esc(o, scope_label);
  o->append(" 选民登记核查总览</h1>\n<p class=\"meta\">运行 ");
  Esc(o, context.run_id);
  o->append(" · 运行日期 ");
  Esc(o, context.run_date);
  o->append(" · 选举日 ");
  Esc(o, context.election_day);
  if (!context.previous_election_day.empty()) o->append(" · 上次选举日 " + E(context.previous_election_day));
  o->append("</p>\n</header>\n");

  o->append("<section id=\"overview\">\n<h2>概况</h2>\n<div class=\"figures\">");
  if (scope != nullptr) {
    o->append("<div class=\"figure\">户籍选民登记率<b data-region=\"" + E(scope->region_code) +
              "\" data-col=\"registration_rate\">" + Rate(scope->registered_hukou, scope->eligible_hukou) +
              "</b><span class=\"meta\">已登记 " + N(scope->registered_hukou) + " / 应登记 " +
              N(scope->eligible_hukou) + "</span></div>");
    o->append("<div class=\"figure\">流入人员已登记<b>" + N(scope->registered_migrant) + " / " +
              N(scope->eligible_migrant) + "</b><span class=\"meta\">名册登记 " + N(scope->roll_records) +
              " 条</span></div>");
  }
  o->append("<div class=\"figure\">问题总数<b data-count=\"flags\">" + N(rules.flags.size()) +
            "</b><span class=\"meta\">待处理 " + N(review_total[0]) + " · 已确认 " + N(review_total[1]) +
            " · 已驳回 " + N(review_total[2]) + "</span></div>");
  uint64_t rejected = 0, read = 0;
  for (Feed f : kAllFeeds) {
    rejected += data.table(f).rows_rejected();
    read += data.table(f).rows_read();
  }
  o->append("<div class=\"figure\">上次运行以来新增<b data-count=\"new_flags\">" + N(fresh_total) +
            "</b><span class=\"meta\">已消除 <span data-count=\"resolved_flags\">" + N(resolved_total) +
            "</span> 条" + (context.previous_run.empty() ? std::string("（首次运行）") : std::string()) +
            "</span></div>");
  o->append("<div class=\"figure\">无法读取的行<b data-count=\"rejects\">" + N(rejected) +
            "</b><span class=\"meta\">共读取 " + N(read) + " 行</span></div></div>\n</section>\n");

  o->append("<section id=\"rates\">\n<h2>各乡镇户籍选民登记率</h2>\n");
  RateChart(o, townships, scope);
  o->append("</section>\n");

  // Flags per code and township, with the stats.csv numbers.
  o->append(
      "<section id=\"flags\">\n<h2>各乡镇问题数（按问题代码）</h2>\n<table class=\"stats\"><thead><tr>"
      "<th>乡镇</th><th class=\"n\">应登记</th><th class=\"n\">已登记</th><th class=\"n\">登记率</th>"
      "<th class=\"n\">流入应登</th><th class=\"n\">流入已登</th><th class=\"n\">名册登记</th>");
  for (FlagCode c : kAllFlagCodes) {
    o->append("<th class=\"n\" title=\"" + std::string(FlagCodeName(c)) + "\">" + E(FlagLabel(c)) + "</th>");
  }
  o->append(
      "<th class=\"n\">合计</th><th class=\"n\">待处理</th><th class=\"n\" title=\"上次运行以来新出现的问题\">新增</th>"
      "<th class=\"n\" title=\"上次运行有、本次不再出现的问题\">已消除</th><th>报告</th></tr></thead><tbody>\n");
  auto stats_row = [&](const RegionStats& s, bool total) {
    const std::string rc = E(s.region_code);
    auto cell = [&](std::string_view col, const std::string& value) {
      o->append("<td class=\"n\" data-region=\"" + rc + "\" data-col=\"" + std::string(col) + "\">" + value +
                "</td>");
    };
    o->append(total ? "<tr class=\"sub\"><td>合计（" + E(scope_label) + "）</td>"
                    : "<tr><td>" + E(RegionNames::Get().Name(s.region_code)) + " <span class=\"meta\">" + rc +
                          "</span></td>");
    cell("eligible_hukou", N(s.eligible_hukou));
    cell("registered_hukou", N(s.registered_hukou));
    const std::string rate =
        s.eligible_hukou == 0
            ? std::string()
            : Fixed(static_cast<double>(s.registered_hukou) / static_cast<double>(s.eligible_hukou), 6);
    o->append("<td class=\"n\" data-region=\"" + rc + "\" data-col=\"registration_rate\" data-value=\"" +
              rate + "\">" + Rate(s.registered_hukou, s.eligible_hukou) + "</td>");
    cell("eligible_migrant", N(s.eligible_migrant));
    cell("registered_migrant", N(s.registered_migrant));
    cell("roll_records", N(s.roll_records));
    uint64_t sum = 0;
    for (int i = 0; i < kNumFlagCodes; ++i) {
      cell(FlagCodeName(kAllFlagCodes[i]), N(s.flags[i]));
      sum += s.flags[i];
    }
    o->append("<td class=\"n\">" + N(sum) + "</td>");
    const uint64_t open = total ? review_total[0] : reviews[s.region_code][0];
    o->append("<td class=\"n\">" + N(open) + "</td>");
    uint64_t fresh_n = fresh_total, resolved_n = resolved_total;
    if (!total) {
      auto f = fresh.find(s.region_code);
      fresh_n = f == fresh.end() ? 0 : f->second;
      auto r = context.resolved_by_township.find(s.region_code);
      resolved_n = r == context.resolved_by_township.end() ? 0 : r->second;
    }
    o->append("<td class=\"n\" data-region=\"" + rc + "\" data-history=\"new\">" + N(fresh_n) +
              "</td><td class=\"n\" data-region=\"" + rc + "\" data-history=\"resolved\">" + N(resolved_n) +
              "</td><td>");
    if (!total && folders.count(s.region_code) > 0) {
      const std::string dir = "townships/" + rc + "/";
      o->append("<a href=\"" + dir + "report.html\">报告</a> <a href=\"" + dir + "flags.xlsx\">Excel</a>");
    } else if (!total) {
      o->append("<span class=\"muted\">无问题</span>");
    }
    o->append("</td></tr>\n");
  };
  for (const RegionStats* s : townships) stats_row(*s, false);
  if (scope != nullptr) stats_row(*scope, true);
  o->append("</tbody></table>\n");
  // Folders of townships without a statistics row (outside the scope).
  std::vector<std::string> extra;
  for (const auto& [t, list] : folders) {
    if (FindStats(rules, t, "township") == nullptr) extra.push_back(t);
  }
  if (!extra.empty()) {
    o->append("<p>其他涉及的乡镇（核查范围外，仅含跨乡镇重复登记等）：");
    for (size_t i = 0; i < extra.size(); ++i) {
      if (i) o->append("、");
      o->append("<a href=\"townships/" + E(extra[i]) + "/report.html\">" + E(RegionLabel(extra[i])) + "</a>");
    }
    o->append("</p>\n");
  }
  o->append(
      "<p class=\"meta\">问题按归属乡镇计数（与 stats.csv 相同）；跨乡镇的重复登记计入建议保留登记所在乡镇，"
      "但每个相关乡镇的报告都会列出。");
  if (context.previous_run.empty()) {
    o->append("本次为首次运行，全部问题计为新增。");
  } else {
    o->append("新增、已消除与上次运行 " + E(context.previous_run) +
              " 相比（已消除的问题列在 <a href=\"resolved_flags.jsonl\">resolved_flags.jsonl</a>）。");
  }
  o->append("</p>\n</section>\n");

  // 三增三减.
  o->append(
      "<section id=\"three\">\n<h2>三增三减</h2>\n<table class=\"three\"><thead><tr><th "
      "rowspan=\"2\">乡镇</th>"
      "<th colspan=\"4\">三增（应补登）</th><th rowspan=\"2\" class=\"n\">其他漏登</th>"
      "<th colspan=\"4\">三减（应删除）</th></tr><tr><th class=\"n\">恢复政治权利</th><th "
      "class=\"n\">新满十八周岁"
      "</th><th class=\"n\">新迁入</th><th class=\"n\">小计</th><th class=\"n\">死亡</th><th "
      "class=\"n\">迁出</th>"
      "<th class=\"n\">丧失选举权利</th><th class=\"n\">小计</th></tr></thead><tbody>\n");
  auto three_row = [&](const std::string& code, const std::string& name, const std::array<uint64_t, 4>& inc,
                       const std::array<uint64_t, kNumFlagCodes>& flags, bool total) {
    const std::string rc = E(code);
    auto td = [&](std::string_view key, uint64_t v) {
      o->append("<td class=\"n\" data-region=\"" + rc + "\" data-three=\"" + std::string(key) + "\">" + N(v) +
                "</td>");
    };
    o->append(total ? "<tr class=\"sub\">" : "<tr>");
    o->append("<td>" + E(name) + "</td>");
    td("rights_restored", inc[0]);
    td("new_adult", inc[1]);
    td("moved_in", inc[2]);
    td("increase", inc[0] + inc[1] + inc[2]);
    td("other_missing", inc[3]);
    const uint64_t dec = flags[static_cast<int>(FlagCode::kWrongDeceased)];
    const uint64_t mov = flags[static_cast<int>(FlagCode::kWrongMovedOut)];
    const uint64_t nor = flags[static_cast<int>(FlagCode::kWrongNoRights)];
    td("deceased", dec);
    td("moved_out", mov);
    td("no_rights", nor);
    td("decrease", dec + mov + nor);
    o->append("</tr>\n");
  };
  for (const RegionStats* s : townships) {
    auto it = increases.find(s->region_code);
    three_row(s->region_code, RegionLabel(s->region_code),
              it == increases.end() ? std::array<uint64_t, 4>{} : it->second, s->flags, false);
  }
  if (scope != nullptr) {
    three_row(scope->region_code, "合计（" + scope_label + "）",
              {rules.increase_rights_restored, rules.increase_new_adult, rules.increase_moved_in,
               rules.increase_other},
              scope->flags, true);
  }
  o->append("</tbody></table>\n</section>\n");

  // Rejects.
  o->append(
      "<section id=\"rejects\">\n<h2>数据读取情况</h2>\n<table class=\"rejects\"><thead><tr><th>数据</th>"
      "<th class=\"n\">读取行数</th><th class=\"n\">使用</th><th "
      "class=\"n\">无法读取</th></tr></thead><tbody>\n");
  for (Feed f : kAllFeeds) {
    if (!data.present[FeedIndex(f)]) continue;
    const FeedTable& t = data.table(f);
    o->append("<tr><td>" + std::string(FeedLabel(f)) + "（" + std::string(FeedName(f)) +
              "）</td><td class=\"n\">" + N(t.rows_read()) + "</td><td class=\"n\">" + N(t.rows_used()) +
              "</td><td class=\"n\" data-feed=\"" + std::string(FeedName(f)) +
              "\" data-col=\"rows_rejected\">" + N(t.rows_rejected()) + "</td></tr>\n");
  }
  o->append(
      "</tbody></table>\n<p class=\"meta\">无法读取的行逐条列在 <a href=\"rejects.jsonl\">rejects.jsonl</a>"
      "（数据、文件、行号、原因、原文）。</p>\n</section>\n");

  // Township reports.
  o->append("<section id=\"reports\" class=\"noprint\">\n<h2>乡镇报告</h2>\n<ul>\n");
  for (const auto& [t, list] : folders) {
    o->append("<li><a href=\"townships/" + E(t) + "/report.html\">" + E(RegionLabel(t)) + "</a>（" +
              N(list.size()) + " 条） · <a href=\"townships/" + E(t) +
              "/flags.xlsx\">flags.xlsx</a> · <a href=\"townships/" + E(t) +
              "/flags.csv\">flags.csv</a></li>\n");
  }
  o->append("</ul>\n</section>\n");
  PageEnd(o);
  return out;
}

namespace {

Status WriteWholeFile(const std::string& path, const std::string& text) {
  errno = 0;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::IoError("cannot create " + path);
  const bool wrote = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (wrote && std::fflush(f) == 0) StartWriteback(fileno(f), 0, 0);  // engine/core/writeback.h
  const bool closed = std::fclose(f) == 0;
  if (!wrote || !closed) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace

Status WriteTownshipReports(const std::string& out_dir, const Dataset& data, const RulesOutput& rules,
                            const ReportContext& context, const ReportOptions& options) {
  const fs::path root = fs::path(out_dir) / "townships";
  const auto by_township = FlagsByTownship(data, rules.flags);
  std::vector<const std::pair<const std::string, std::vector<const Flag*>>*> items;
  for (const auto& entry : by_township) items.push_back(&entry);
  std::vector<Status> status(items.size());
  // One page per township, written in parallel.
  tbb::parallel_for(size_t{0}, items.size(), [&](size_t i) {
    const std::string& township = items[i]->first;
    const fs::path dir = root / township;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      status[i] = Status::IoError("cannot create " + dir.string() + ": " + ec.message());
      return;
    }
    status[i] = WriteTownshipReport((dir / "report.html").string(), township, data, rules, items[i]->second,
                                    context, options);
  });
  for (const Status& s : status) RM_RETURN_IF_ERROR(s);
  return Status::Ok();
}

Status WriteTownshipReport(const std::string& path, const std::string& township, const Dataset& data,
                           const RulesOutput& rules, const std::vector<const Flag*>& flags,
                           const ReportContext& context, const ReportOptions& options) {
  return WriteWholeFile(path, TownshipReportHtml(township, data, rules, flags, context, options));
}

Status WriteSummaryHtml(const std::string& path, const Dataset& data, const RulesOutput& rules,
                        const ReportContext& context) {
  return WriteWholeFile(path, SummaryHtml(data, rules, context));
}

}  // namespace rollmatch
