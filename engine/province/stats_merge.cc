#include "engine/province/stats_merge.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string_view>

#include "engine/core/region.h"
#include "engine/report/region_names.h"
#include "engine/report/writers.h"

namespace rollmatch {

namespace {

int LevelRank(const std::string& level) {
  if (level == "scope") return 0;
  if (level == "county") return 1;
  if (level == "township") return 2;
  return 3;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string Percent(const RegionStats& r) {
  if (r.eligible_hukou == 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%",
                100.0 * static_cast<double>(r.registered_hukou) / static_cast<double>(r.eligible_hukou));
  return buf;
}

void Add(RegionStats* to, const RegionStats& from) {
  to->eligible_hukou += from.eligible_hukou;
  to->registered_hukou += from.registered_hukou;
  to->eligible_migrant += from.eligible_migrant;
  to->registered_migrant += from.registered_migrant;
  to->roll_records += from.roll_records;
  for (int i = 0; i < kNumFlagCodes; ++i) to->flags[i] += from.flags[i];
}

}  // namespace

Result<std::vector<RegionStats>> ReadStatsJson(const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.load(path).get(doc); err != simdjson::SUCCESS) {
    return Status::InvalidArgument(path + ": cannot read the statistics: " + simdjson::error_message(err));
  }
  simdjson::dom::array rows;
  if (doc["rows"].get(rows) != simdjson::SUCCESS)
    return Status::InvalidArgument(path + ": no \"rows\" array");
  std::vector<RegionStats> out;
  size_t n = 0;
  for (simdjson::dom::element row : rows) {
    ++n;
    RegionStats r;
    std::string_view code, level;
    if (row["region_code"].get(code) != simdjson::SUCCESS || row["level"].get(level) != simdjson::SUCCESS) {
      return Status::InvalidArgument(path + ": row " + std::to_string(n) + " lacks region_code or level");
    }
    r.region_code = std::string(code);
    r.level = std::string(level);
    auto count = [&](const char* key, uint64_t* to) -> Status {
      if (row[key].get(*to) != simdjson::SUCCESS) {
        return Status::InvalidArgument(path + ": row " + std::to_string(n) + " (" + r.region_code +
                                       ") lacks " + key);
      }
      return Status::Ok();
    };
    RM_RETURN_IF_ERROR(count("eligible_hukou", &r.eligible_hukou));
    RM_RETURN_IF_ERROR(count("registered_hukou", &r.registered_hukou));
    RM_RETURN_IF_ERROR(count("eligible_migrant", &r.eligible_migrant));
    RM_RETURN_IF_ERROR(count("registered_migrant", &r.registered_migrant));
    RM_RETURN_IF_ERROR(count("roll_records", &r.roll_records));
    for (int i = 0; i < kNumFlagCodes; ++i) {
      RM_RETURN_IF_ERROR(count(std::string(FlagCodeName(kAllFlagCodes[i])).c_str(), &r.flags[i]));
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<RegionStats>> MergeCountyStats(const std::vector<CountyStats>& inputs,
                                                  const std::string& scope, std::string* scope_used) {
  if (inputs.empty()) return Status::InvalidArgument("no input to merge");
  // Each input's county: its scope row, 6 digits.
  std::vector<std::string> counties;
  std::map<std::string, std::string> source_of;  // county → source
  for (const CountyStats& in : inputs) {
    const RegionStats* top = nullptr;
    for (const RegionStats& r : in.rows) {
      if (r.level == "scope") top = &r;
    }
    if (top == nullptr) return Status::InvalidArgument(in.source + ": stats.json has no scope row");
    if (top->region_code.size() != 6) {
      return Status::InvalidArgument(in.source + ": scope " + top->region_code +
                                     " is not a county (6 digits); stats merge combines county runs");
    }
    for (const RegionStats& r : in.rows) {
      if (r.level == "county") {
        return Status::InvalidArgument(in.source +
                                       ": holds county rows (a province's statistics), not a county run");
      }
    }
    auto [it, inserted] = source_of.emplace(top->region_code, in.source);
    if (!inserted) {
      return Status::InvalidArgument("overlapping inputs: county " + top->region_code + " is in both " +
                                     it->second + " and " + in.source);
    }
    counties.push_back(top->region_code);
  }
  std::string s = scope;
  if (s.empty()) {
    std::set<std::string> provinces;
    for (const std::string& c : counties) provinces.insert(c.substr(0, 2));
    if (provinces.size() > 1) {
      std::string list;
      for (const std::string& p : provinces) list += (list.empty() ? "" : ", ") + p;
      return Status::InvalidArgument("the counties belong to several provinces (" + list +
                                     "): give --scope, or merge each province on its own");
    }
    s = *provinces.begin();
  }
  for (size_t i = 0; i < counties.size(); ++i) {
    if (!RegionWithin(counties[i], s)) {
      return Status::InvalidArgument(inputs[i].source + ": county " + counties[i] + " is outside scope " + s +
                                     " (a foreign county)");
    }
  }
  *scope_used = s;

  std::map<std::pair<int, std::string>, RegionStats> rows;
  RegionStats& top = rows[{0, s}];
  top.region_code = s;
  top.level = "scope";
  for (const CountyStats& in : inputs) {
    for (const RegionStats& r : in.rows) {
      if (r.level == "scope") {
        Add(&top, r);
        RegionStats county = r;
        county.level = "county";
        rows[{1, r.region_code}] = county;
        continue;
      }
      auto [it, inserted] = rows.try_emplace({LevelRank(r.level), r.region_code}, r);
      if (!inserted) {
        return Status::InvalidArgument(in.source + ": region " + r.region_code + " appears twice");
      }
    }
  }
  std::vector<RegionStats> out;
  out.reserve(rows.size());
  for (auto& [key, r] : rows) out.push_back(std::move(r));
  return out;
}

std::string ProvinceSummaryHtml(const std::vector<RegionStats>& stats,
                                const std::vector<std::string>& sources) {
  const RegionNames& names = RegionNames::Get();
  const RegionStats* top = nullptr;
  std::vector<const RegionStats*> counties;
  for (const RegionStats& r : stats) {
    if (r.level == "scope") top = &r;
    if (r.level == "county") counties.push_back(&r);
  }
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">";
  h += "<title>登记率汇总 " + HtmlEscape(top ? top->region_code : "") + "</title>";
  h += "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em;color:#222}"
       "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;"
       "text-align:right}th{background:#f0f0f0}td.l,th.l{text-align:left}"
       "@media print{body{margin:1cm}}</style></head><body>\n";
  const std::string top_name = top ? std::string(names.Name(top->region_code)) : "";
  h += "<h1>选民登记率汇总 " + HtmlEscape(top_name.empty() ? (top ? top->region_code : "") : top_name) +
       "</h1>\n";
  if (top) {
    h += "<p>户籍应登 <span data-region=\"" + top->region_code + "\" data-col=\"eligible_hukou\">" +
         std::to_string(top->eligible_hukou) + "</span>，已登 <span data-region=\"" + top->region_code +
         "\" data-col=\"registered_hukou\">" + std::to_string(top->registered_hukou) + "</span>，登记率 " +
         Percent(*top) + "；" + std::to_string(counties.size()) + " 个县（市、区）。</p>\n";
  }
  // Bar chart: registration rate per county, with the province average.
  const int bar_h = 22, label_w = 190, chart_w = 420;
  const int height = static_cast<int>(counties.size()) * bar_h + 30;
  h += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(label_w + chart_w + 80) +
       "\" height=\"" + std::to_string(height) + "\" role=\"img\" aria-label=\"各县登记率\">\n";
  int y = 10;
  for (const RegionStats* c : counties) {
    const double rate =
        c->eligible_hukou ? static_cast<double>(c->registered_hukou) / c->eligible_hukou : 0.0;
    const int w = static_cast<int>(rate * chart_w);
    h += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 15) +
         "\" text-anchor=\"end\" font-size=\"12\">" + HtmlEscape(names.Label(c->region_code)) + "</text>";
    h += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
         std::to_string(w) + "\" height=\"" + std::to_string(bar_h - 6) + "\" fill=\"#4a7ebb\"/>";
    h += "<text x=\"" + std::to_string(label_w + w + 4) + "\" y=\"" + std::to_string(y + 15) +
         "\" font-size=\"12\" data-region=\"" + c->region_code + "\" data-col=\"registration_rate\">" +
         Percent(*c) + "</text>\n";
    y += bar_h;
  }
  if (top && top->eligible_hukou) {
    const int x = label_w + static_cast<int>(static_cast<double>(top->registered_hukou) /
                                             top->eligible_hukou * chart_w);
    h += "<line x1=\"" + std::to_string(x) + "\" x2=\"" + std::to_string(x) + "\" y1=\"5\" y2=\"" +
         std::to_string(height - 15) + "\" stroke=\"#c33\" stroke-dasharray=\"4 3\"/>";
    h += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(height - 3) +
         "\" font-size=\"11\" fill=\"#c33\" text-anchor=\"middle\">全省平均 " + Percent(*top) + "</text>\n";
  }
  h += "</svg>\n";
  // The table: the scope and every county.
  const std::vector<std::string> columns = StatsColumns();
  h += "<h2>各县统计</h2>\n<table><tr>";
  for (const std::string& c : columns) h += "<th>" + HtmlEscape(c) + "</th>";
  h += "</tr>\n";
  auto row_html = [&](const RegionStats& r) {
    h += "<tr><td class=\"l\">" + HtmlEscape(names.Label(r.region_code)) + "</td><td class=\"l\">" + r.level +
         "</td>";
    auto cell = [&](const std::string& col, const std::string& v) {
      h += "<td data-region=\"" + r.region_code + "\" data-col=\"" + col + "\">" + v + "</td>";
    };
    cell("eligible_hukou", std::to_string(r.eligible_hukou));
    cell("registered_hukou", std::to_string(r.registered_hukou));
    cell("registration_rate", Percent(r));
    cell("eligible_migrant", std::to_string(r.eligible_migrant));
    cell("registered_migrant", std::to_string(r.registered_migrant));
    cell("roll_records", std::to_string(r.roll_records));
    for (int i = 0; i < kNumFlagCodes; ++i)
      cell(std::string(FlagCodeName(kAllFlagCodes[i])), std::to_string(r.flags[i]));
    h += "</tr>\n";
  };
  if (top) row_html(*top);
  for (const RegionStats* c : counties) row_html(*c);
  h += "</table>\n<p>乡镇、村的统计见 stats.csv。来源：";
  for (size_t i = 0; i < sources.size(); ++i) h += (i ? "、" : "") + HtmlEscape(sources[i]);
  h += "</p>\n</body></html>\n";
  return h;
}

Status WriteProvinceStats(const std::string& dir, const std::vector<RegionStats>& stats,
                          const std::vector<std::string>& sources) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError(dir + ": cannot create the folder: " + ec.message());
  RM_RETURN_IF_ERROR(WriteStatsCsv(dir + "/stats.csv", stats));
  RM_RETURN_IF_ERROR(WriteStatsJson(dir + "/stats.json", stats));
  const std::string html = ProvinceSummaryHtml(stats, sources);
  std::ofstream f(dir + "/summary.html", std::ios::binary | std::ios::trunc);
  f.write(html.data(), static_cast<std::streamsize>(html.size()));
  f.flush();
  if (!f) return Status::IoError(dir + "/summary.html: cannot write");
  return Status::Ok();
}

}  // namespace rollmatch
