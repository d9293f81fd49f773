#include "engine/review/review_import.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "engine/report/writers.h"
#include "engine/review/returned_file.h"

namespace rollmatch {

namespace fs = std::filesystem;

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The first run of exactly 9 ASCII digits in `s`, or "".
std::string NineDigitRun(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (!IsDigit(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && IsDigit(s[j])) ++j;
    if (j - i == 9) return std::string(s.substr(i, 9));
    i = j;
  }
  return "";
}

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

Result<KnownFlags> ReadKnownFlags(const std::string& flags_jsonl) {
  std::error_code ec;
  if (!fs::exists(flags_jsonl, ec)) {
    return Status::NotFound(flags_jsonl +
                            ": no such file: import decisions after a run has written its outputs");
  }
  std::ifstream in(flags_jsonl, std::ios::binary);
  if (!in) return Status::IoError(flags_jsonl + ": cannot read");
  KnownFlags flags;
  simdjson::dom::parser parser;
  std::string line;
  uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto bad = [&](std::string_view what) {
      return Status::Corrupt(flags_jsonl + ":" + std::to_string(number) + ": " + std::string(what));
    };
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS) return bad("not a JSON object");
    std::string_view id, code;
    if (doc["flag_id"].get(id) != simdjson::SUCCESS || id.empty()) return bad("no flag_id");
    KnownFlag f;
    if (doc["code"].get(code) == simdjson::SUCCESS) f.code = std::string(code);
    simdjson::dom::array townships;
    if (doc["townships"].get(townships) == simdjson::SUCCESS) {
      for (simdjson::dom::element t : townships) {
        std::string_view s;
        if (t.get(s) == simdjson::SUCCESS) f.townships.emplace_back(s);
      }
    }
    std::string_view township;
    if (f.townships.empty() && doc["township"].get(township) == simdjson::SUCCESS)
      f.townships.emplace_back(township);
    std::string_view id_number, name;
    if (doc["person"]["id_number"].get(id_number) == simdjson::SUCCESS) f.id_number = std::string(id_number);
    if (doc["person"]["name"].get(name) == simdjson::SUCCESS) f.name = std::string(name);
    flags[std::string(id)] = std::move(f);
  }
  if (in.bad()) return Status::IoError(flags_jsonl + ": cannot read");
  return flags;
}

std::optional<std::string> ParseDecisionWord(std::string_view text) {
  const std::string w = TrimCell(text);
  if (w.empty()) return std::string();
  std::string lower = w;
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (w == "确认" || w == "已确认" || lower == "confirmed") return std::string("confirmed");
  if (w == "驳回" || w == "已驳回" || lower == "dismissed") return std::string("dismissed");
  return std::nullopt;
}

std::string TownshipFromPath(const std::string& path) {
  const fs::path p(path);
  std::string code = NineDigitRun(p.stem().string());
  if (code.empty()) code = NineDigitRun(fs::absolute(p).parent_path().filename().string());
  return code;
}

Result<ImportPlan> PlanReviewImport(const std::vector<std::string>& files, const KnownFlags& flags,
                                    const std::string& decided_at) {
  ImportPlan plan;
  std::vector<std::string> problems;
  size_t more = 0;
  auto problem = [&](std::string p) {
    if (problems.size() < kMaxImportProblems) {
      problems.push_back(std::move(p));
    } else {
      ++more;
    }
  };
  struct Seen {
    std::string decision, where;
    size_t index;  // in plan.decisions
  };
  std::map<std::string, Seen> seen;
  std::set<std::string> paths;

  for (const std::string& path : files) {
    const std::string absolute = fs::absolute(path).lexically_normal().string();
    if (!paths.insert(absolute).second) {
      plan.warnings.push_back(path + ": named twice, read once");
      continue;
    }
    auto read = ReadReturnedFile(path);
    if (!read.ok()) {
      problem(read.status().message());
      continue;
    }
    ReturnedFile& file = *read;
    ++plan.files;
    for (std::string& w : file.warnings) plan.warnings.push_back(std::move(w));

    // The township the file is for.
    const std::string by_name = TownshipFromPath(path);
    std::string township = by_name;
    if (!file.township_property.empty()) {
      if (!by_name.empty() && by_name != file.township_property) {
        problem(path + ": the file is the report of township " + file.township_property +
                " (its document property), but its name or folder says " + by_name +
                ": a file of another township?");
        continue;
      }
      township = file.township_property;
    }
    if (township.empty()) {
      // No code anywhere: the township every row's flag belongs to.
      std::vector<std::string> common;
      bool first = true;
      for (const ReturnedRow& r : file.rows) {
        auto it = flags.find(r.flag_id);
        if (it == flags.end()) continue;
        if (first) {
          common = it->second.townships;
          first = false;
        } else {
          std::erase_if(common, [&](const std::string& t) { return !Contains(it->second.townships, t); });
        }
      }
      if (!first && common.empty()) {
        problem(path +
                ": its rows belong to different townships, and neither its name nor its folder names one "
                "(name the file after its township, e.g. 320481101_flags.xlsx)");
        continue;
      }
      if (!common.empty()) township = *std::min_element(common.begin(), common.end());
    }

    for (const ReturnedRow& r : file.rows) {
      const bool empty_row = r.flag_id.empty() && r.decision.empty() && r.note.empty();
      if (empty_row) continue;
      ++plan.rows;
      auto decision = ParseDecisionWord(r.decision);
      if (!decision.has_value()) {
        problem(r.where + ", " + r.decision_column + ": unknown decision \"" + r.decision +
                "\" (write 确认 or 驳回, or leave it empty)");
        continue;
      }
      if (r.flag_id.empty()) {
        if (!decision->empty()) problem(r.where + ": a decision without 标识 (was the 标识 column cleared?)");
        continue;
      }
      auto it = flags.find(r.flag_id);
      if (it == flags.end()) {
        if (decision->empty()) {
          ++plan.rows_without_decision;
          plan.warnings.push_back(r.where + ": 标识 " + r.flag_id +
                                  " is not a flag of the latest run (no decision, ignored)");
        } else {
          problem(
              r.where + ", 标识: \"" + r.flag_id +
              "\" is not a flag of the latest run's flags.jsonl: the 标识 was changed, or the file is older "
              "than the run and the problem has gone since (then clear its 处理意见)");
        }
        continue;
      }
      const KnownFlag& known = it->second;
      if (!township.empty() && !Contains(known.townships, township)) {
        problem(r.where + ": flag " + r.flag_id + " belongs to township " + Join(known.townships, "/") +
                ", not to " + township + " of this file: a row of another township's file?");
        continue;
      }
      if (!r.has_id_column) {
        problem(r.where + ": the 身份证号 column is missing (was it deleted?)");
        continue;
      }
      const std::string id = Upper(r.id_number);
      const std::string want = Upper(known.id_number);
      if (id != want && id != MaskIdNumber(want)) {
        problem(
            r.where + ", " + r.id_column + ": \"" + r.id_number + "\" is not the ID number of flag " +
            r.flag_id + " (" + MaskIdNumber(known.id_number) +
            "): the column was changed (Excel shows long numbers as 3.2E+17 when a cell is not text: keep "
            "the column as text, or export again)");
        continue;
      }
      if (decision->empty()) {
        ++plan.rows_without_decision;
        continue;
      }
      auto s = seen.find(r.flag_id);
      if (s != seen.end()) {
        if (s->second.decision != *decision) {
          problem(r.where + ": flag " + r.flag_id + " is " + (*decision == "confirmed" ? "确认" : "驳回") +
                  " here but " + (s->second.decision == "confirmed" ? "确认" : "驳回") + " in " +
                  s->second.where);
        } else if (plan.decisions[s->second.index].note.empty()) {
          plan.decisions[s->second.index].note = MaskIdNumbersInText(r.note);
        }
        continue;
      }
      seen[r.flag_id] = {*decision, r.where, plan.decisions.size()};
      // The state database holds no ID number: one typed into a note is masked.
      plan.decisions.push_back(
          {r.flag_id, *decision, MaskIdNumbersInText(r.note), township, absolute, decided_at});
    }
  }
  if (!problems.empty()) {
    std::string msg = "refused, nothing stored: " + std::to_string(problems.size() + more) + " problem" +
                      (problems.size() + more == 1 ? "" : "s") + " in the decision files:\n" +
                      Join(problems, "\n");
    if (more > 0) msg += "\n... and " + std::to_string(more) + " more";
    return Status::InvalidArgument(std::move(msg));
  }
  return plan;
}

}  // namespace rollmatch
