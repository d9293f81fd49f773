#include "engine/pipeline/run_config.h"

#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/core/region.h"

namespace rollmatch {
namespace fs = std::filesystem;

namespace {

Status Bad(const std::string& path, const std::string& what) {
  return Status::InvalidArgument(path + ": " + what);
}

std::string Resolve(const std::string& base, const std::string& p) {
  fs::path x(p);
  if (x.is_absolute()) return x.lexically_normal().string();
  return (fs::path(base) / x).lexically_normal().string();
}

// The kernel's pseudo-file system that `resolved` lies in after following
// symbolic links ("/proc", "/sys" or "/dev"), or "". Paths through ".." and
// absolute paths are fine (feeds kept in a sibling folder); these never hold
// feeds or outputs, and reading one (/proc/self/environ) would copy process
// data into rejects.jsonl.
std::string PseudoFileSystemOf(const std::string& resolved) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(resolved, ec);
  if (ec) real = fs::path(resolved);
  const std::string s = real.string();
  for (const char* root : {"/proc", "/sys", "/dev"}) {
    const std::string r(root);
    if (s == r || s.rfind(r + "/", 0) == 0) return r;
  }
  return "";
}

Status CheckPath(const std::string& config, const std::string& what, const std::string& resolved) {
  const std::string pseudo = PseudoFileSystemOf(resolved);
  if (pseudo.empty()) return Status::Ok();
  return Bad(config, what + " \"" + resolved + "\" lies in " + pseudo +
                         ", a kernel pseudo-file system, not a data folder");
}

}  // namespace

Result<RunConfig> LoadRunConfig(const std::string& path, const ConfigOverrides& ov) {
  RunConfig cfg;
  cfg.config_path = path;
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": configuration file not found");
  if (!fs::is_regular_file(path, ec)) return Status::IoError(path + ": configuration is not a regular file");
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::IoError(path + ": cannot read the configuration");
    std::ostringstream ss;
    ss << in.rdbuf();
    cfg.config_json = ss.str();
  }
  cfg.base_dir = fs::absolute(fs::path(path), ec).parent_path().string();

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string text = cfg.config_json;
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  if (auto err = parser.parse(text).get(root)) {
    return Bad(path, std::string("not valid JSON (") + simdjson::error_message(err) + ")");
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) return Bad(path, "the configuration must be a JSON object");

  auto get_string = [&](const char* key, std::string* out, bool* present) -> Status {
    *present = false;
    simdjson::dom::element v;
    if (obj[key].get(v)) return Status::Ok();
    std::string_view sv;
    if (v.get_string().get(sv)) {
      if (v.is_int64() || v.is_uint64()) {
        *out = simdjson::to_string(v);
        *present = true;
        return Status::Ok();
      }
      return Bad(path, std::string("\"") + key + "\" must be a string");
    }
    *out = std::string(sv);
    *present = true;
    return Status::Ok();
  };

  std::string scope, eday, pday, out, state;
  bool has_scope, has_eday, has_pday, has_out, has_state;
  RM_RETURN_IF_ERROR(get_string("scope", &scope, &has_scope));
  RM_RETURN_IF_ERROR(get_string("election_day", &eday, &has_eday));
  RM_RETURN_IF_ERROR(get_string("previous_election_day", &pday, &has_pday));
  RM_RETURN_IF_ERROR(get_string("out", &out, &has_out));
  RM_RETURN_IF_ERROR(get_string("state", &state, &has_state));
  if (ov.scope) { scope = *ov.scope; has_scope = true; }
  if (ov.election_day) { eday = *ov.election_day; has_eday = true; }
  if (ov.previous_election_day) { pday = *ov.previous_election_day; has_pday = true; }
  if (ov.out) { out = *ov.out; has_out = true; }
  if (ov.state) { state = *ov.state; has_state = true; }

  if (!has_scope) return Bad(path, "missing \"scope\" (a region-code prefix of 2, 6 or 9 digits)");
  if (!(scope.size() == 2 || scope.size() == 6 || scope.size() == 9) || !IsRegionCode(scope))
    return Bad(path, "\"scope\" is \"" + scope + "\", not a region-code prefix of 2, 6 or 9 digits");
  cfg.scope = scope;
  if (!has_eday) return Bad(path, "missing \"election_day\" (YYYY-MM-DD)");
  bool ok = false;
  cfg.election_day = Date::Parse(eday, &ok);
  if (!ok || !cfg.election_day.known()) return Bad(path, "\"election_day\" is \"" + eday + "\", not a date (YYYY-MM-DD)");
  if (has_pday && !pday.empty()) {
    cfg.previous_election_day = Date::Parse(pday, &ok);
    if (!ok) return Bad(path, "\"previous_election_day\" is \"" + pday + "\", not a date (YYYY-MM-DD)");
  }
  cfg.out_dir = Resolve(cfg.base_dir, has_out && !out.empty() ? out : "out");
  cfg.state_path = Resolve(cfg.base_dir, has_state && !state.empty() ? state : "state/rollmatch.db");
  RM_RETURN_IF_ERROR(CheckPath(path, "\"out\"", cfg.out_dir));
  RM_RETURN_IF_ERROR(CheckPath(path, "\"state\"", cfg.state_path));

  // encodings: { "file name as in feeds": "GB18030" }
  std::vector<std::pair<std::string, std::string>> encodings;
  simdjson::dom::element enc_el;
  if (!obj["encodings"].get(enc_el)) {
    simdjson::dom::object enc;
    if (enc_el.get_object().get(enc)) return Bad(path, "\"encodings\" must be an object of file → encoding");
    for (auto field : enc) {
      std::string_view v;
      if (field.value.get_string().get(v)) return Bad(path, "\"encodings\" values must be strings");
      std::string e(v);
      for (char& c : e) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (e != "GB18030" && e != "GBK" && e != "UTF-8" && e != "UTF8")
        return Bad(path, "unknown encoding \"" + std::string(v) + "\" for " + std::string(field.key) +
                             " (use UTF-8, GB18030 or GBK)");
      encodings.emplace_back(std::string(field.key), e);
    }
  }

  simdjson::dom::element feeds_el;
  simdjson::dom::object feeds;
  if (obj["feeds"].get(feeds_el) || feeds_el.get_object().get(feeds))
    return Bad(path, "missing \"feeds\" (an object naming each feed's files)");
  for (auto field : feeds) {
    auto feed = FeedFromName(field.key);
    if (!feed) return Bad(path, "unknown feed \"" + std::string(field.key) + "\" in \"feeds\"");
    std::vector<std::string> names;
    std::string_view one;
    simdjson::dom::array arr;
    if (!field.value.get_string().get(one)) {
      names.emplace_back(one);
    } else if (!field.value.get_array().get(arr)) {
      for (auto item : arr) {
        std::string_view s;
        if (item.get_string().get(s)) return Bad(path, "feed \"" + std::string(field.key) + "\" lists a non-string file");
        names.emplace_back(s);
      }
    } else {
      return Bad(path, "feed \"" + std::string(field.key) + "\" must be a file name or a list of file names");
    }
    const int fi = FeedIndex(*feed);
    for (const std::string& n : names) {
      FeedFile ff;
      ff.name = n;
      ff.path = Resolve(cfg.base_dir, n);
      RM_RETURN_IF_ERROR(CheckPath(path, "feed \"" + std::string(field.key) + "\" file", ff.path));
      for (const auto& [file, e] : encodings) {
        if (file == n || fs::path(file).filename() == fs::path(n).filename()) ff.encoding = e;
      }
      cfg.feeds[fi].push_back(std::move(ff));
    }
    cfg.present[fi] = !cfg.feeds[fi].empty();
  }
  for (Feed f : {Feed::kHukou, Feed::kRoll, Feed::kDistricts}) {
    if (!cfg.present[FeedIndex(f)])
      return Bad(path, "the required feed \"" + std::string(FeedName(f)) + "\" has no files in \"feeds\"");
  }

  simdjson::dom::element ratio;
  if (!obj["max_reject_ratio"].get(ratio)) {
    double r = 0;
    if (ratio.get_double().get(r) || r < 0 || r > 1) return Bad(path, "\"max_reject_ratio\" must be a number from 0 to 1");
    cfg.max_reject_ratio = r;
  }
  if (ov.max_reject_ratio) cfg.max_reject_ratio = *ov.max_reject_ratio;
  if (ov.resolver) cfg.resolver = *ov.resolver;
  return cfg;
}

}  // namespace rollmatch
