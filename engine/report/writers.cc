#include "engine/report/writers.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "engine/core/feed.h"
#include "engine/core/region.h"
#include "engine/core/writeback.h"
#include "engine/normalize/codes.h"
#include "engine/report/json_writer.h"

namespace rollmatch {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kCrlf = "\r\n";
constexpr size_t kFlushBytes = 1 << 20;
constexpr uint64_t kWritebackBytes = 8 << 20;
// Below this confidence a township row is marked 请核实.
constexpr double kReviewConfidence = 0.9;
// The 身份证号 column of TownshipCsvColumns().
constexpr size_t kIdColumn = 6;

// A file written through a buffer; every failure becomes an IoError naming
// the path. Close() must be called to learn whether the data reached disk.
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_ != nullptr) std::fclose(file_);
  }

  Status Open(const std::string& path) {
    path_ = path;
    errno = 0;
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) return Error("cannot create");
    return Status::Ok();
  }
  std::string* buffer() { return &buffer_; }
  // Writes the buffer out once it is large.
  Status MaybeFlush() { return buffer_.size() >= kFlushBytes ? Flush() : Status::Ok(); }
  Status Close() {
    if (file_ == nullptr) return Status::IoError("not open: " + path_);
    RM_RETURN_IF_ERROR(Flush());
    errno = 0;
    FILE* f = file_;
    file_ = nullptr;
    if (std::fflush(f) == 0) StartWriteback(fileno(f), started_, 0);
    if (std::fclose(f) != 0) return Error("cannot write");
    return Status::Ok();
  }

 private:
  Status Flush() {
    errno = 0;
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return Error("cannot write");
    }
    written_ += buffer_.size();
    buffer_.clear();
    // The disk starts on each written piece (engine/core/writeback.h).
    if (written_ - started_ >= kWritebackBytes && std::fflush(file_) == 0) {
      StartWriteback(fileno(file_), started_, written_ - started_);
      started_ = written_;
    }
    return Status::Ok();
  }
  Status Error(std::string_view what) {
    const int err = errno;
    std::string msg = std::string(what) + " " + path_;
    if (err != 0) msg += ": " + std::error_code(err, std::generic_category()).message();
    return Status::IoError(std::move(msg));
  }

  std::string path_;
  FILE* file_ = nullptr;
  std::string buffer_;
  uint64_t written_ = 0;  // bytes handed to the file
  uint64_t started_ = 0;  // bytes whose write-back was started
};

std::string FormatFixed(double value, int precision) {
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed, precision);
  if (r.ec != std::errc()) return "";
  return std::string(buf, r.ptr);
}

// The record id exactly as in the feed, or "" for a reference out of range
// (a bug upstream; the output stays well-formed).
std::string_view RecordIdOf(const Dataset& data, RecordRef r) {
  const FeedTable& table = data.table(r.feed);
  return r.row < table.num_rows() ? table.key(r.row) : std::string_view();
}

void WriteRecordRef(JsonWriter& w, const Dataset& data, RecordRef r) {
  w.BeginObject();
  w.KeyString("feed", FeedName(r.feed));
  w.KeyString("record_id", RecordIdOf(data, r));
  w.EndObject();
}

void WriteFlagJson(JsonWriter& w, const Dataset& data, const Flag& f) {
  w.BeginObject();
  w.KeyString("flag_id", f.flag_id);
  w.KeyString("code", FlagCodeName(f.code));
  w.KeyString("category", FlagCategory(f.code));
  w.KeyString("township", f.township);
  w.Key("townships");
  w.BeginArray();
  for (const std::string& t : f.townships) w.String(t);
  w.EndArray();
  w.Key("subject");
  WriteRecordRef(w, data, f.subject);
  w.Key("records");
  w.BeginArray();
  for (RecordRef r : f.records) WriteRecordRef(w, data, r);
  w.EndArray();
  if (f.code == FlagCode::kDuplicate && f.keep.has_value()) {
    w.Key("keep");
    WriteRecordRef(w, data, *f.keep);
  }
  w.Key("person");
  w.BeginObject();
  w.KeyString("id_number", f.summary.id_number);
  w.KeyString("name", f.summary.name);
  w.KeyString("birth_date", f.summary.birth_date);
  w.KeyString("gender", f.summary.gender);
  w.EndObject();
  w.KeyUint("person_id", f.person);
  w.KeyString("person_key", f.person_key);
  w.KeyDouble("confidence", f.confidence, 3);

  const Evidence& e = f.evidence;
  w.Key("evidence");
  w.BeginObject();
  if (e.kind.has_value()) w.KeyString("kind", RightsKindCode(*e.kind));
  if (!e.fields.empty()) {
    w.Key("fields");
    w.BeginArray();
    for (const FieldDiff& d : e.fields) {
      w.BeginObject();
      w.KeyString("field", d.field);
      w.KeyString("registered", d.registered);
      w.KeyString("authoritative", d.authoritative);
      w.EndObject();
    }
    w.EndArray();
  }
  if (f.code == FlagCode::kWrongDistrict) {
    w.Key("acceptable_districts");
    w.BeginArray();
    for (const std::string& d : e.acceptable_districts) w.String(d);
    w.EndArray();
    w.KeyString("registered_district", e.registered_district);
  }
  if (!e.reason.empty()) w.KeyString("reason", e.reason);
  w.KeyString("words", e.words);
  w.Key("links");
  w.BeginArray();
  for (const RecordLink& link : e.links) {
    w.BeginObject();
    w.Key("record");
    WriteRecordRef(w, data, link.record);
    w.Key("anchor");
    WriteRecordRef(w, data, link.why.anchor);
    w.KeyDouble("weight", link.why.weight, 3);
    w.KeyDouble("confidence", link.why.confidence, 3);
    w.KeyString("words", link.why.words);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();

  w.KeyString("review", f.review);
  w.KeyString("first_seen", f.first_seen);
  w.KeyString("first_run", f.first_run);
  w.KeyBool("new", f.is_new);
  w.EndObject();
}

// ---- CSV ----

// Appends one RFC 4180 field: quoted when it holds a comma, quote, CR or LF;
// invalid UTF-8 replaced by U+FFFD.
void AppendCsvField(std::string* out, std::string_view value) {
  const bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    AppendValidUtf8(out, value);
    return;
  }
  out->push_back('"');
  size_t start = 0;
  for (size_t q; (q = value.find('"', start)) != std::string_view::npos; start = q + 1) {
    AppendValidUtf8(out, value.substr(start, q + 1 - start));
    out->push_back('"');
  }
  AppendValidUtf8(out, value.substr(start));
  out->push_back('"');
}

void AppendCsvRow(std::string* out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out->push_back(',');
    AppendCsvField(out, cells[i]);
  }
  out->append(kCrlf);
}

// Text from the feeds must not be taken for a formula when a spreadsheet
// opens the CSV (CSV injection): a cell starting with = + - @ gets a
// leading apostrophe.
std::string SpreadsheetText(std::string_view text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) {
    std::string s(1, '\'');
    s.append(text);
    return s;
  }
  return std::string(text);
}

std::string_view FeedWord(Feed feed) {
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

int CategoryRank(FlagCode code) {
  if (code == FlagCode::kDuplicate) return 1;
  if (code == FlagCode::kMissingEligible || code == FlagCode::kMissingMigrant) return 2;
  return 0;
}

bool IsTownshipCode(std::string_view t) {
  return t.size() == 9 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "选民名册 R0001；户籍 H001": the records of `refs`, in order, without repeats.
std::string RecordList(const Dataset& data, const std::vector<RecordRef>& refs) {
  std::string s;
  for (size_t i = 0; i < refs.size(); ++i) {
    if (std::find(refs.begin(), refs.begin() + i, refs[i]) != refs.begin() + i) continue;
    if (!s.empty()) s += "；";
    s += FeedWord(refs[i].feed);
    s += ' ';
    s += RecordIdOf(data, refs[i]);
  }
  return s;
}

// Appends one township row (TownshipRowValues) as a CSV line for Excel/WPS.
void AppendTownshipCsvRow(std::string* out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out->push_back(',');
    const std::string& cell = cells[i];
    // The ID number as text: a leading TAB makes Excel and WPS keep an
    // 18-digit number as typed instead of turning it into 3.20481E+17 (the
    // ="..." formula form works too, but shows as a formula when edited and
    // is not plain text for other readers of the CSV).
    if (i == kIdColumn) {
      AppendCsvField(out, cell.empty() ? cell : "\t" + cell);
    } else if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@')) {
      AppendCsvField(out, SpreadsheetText(cell));
    } else {
      AppendCsvField(out, cell);
    }
  }
  out->append(kCrlf);
}

// The cells of one stats row as text, in StatsColumns() order; the rate is
// "" when there is no eligible person.
std::string RegistrationRate(const RegionStats& s) {
  if (s.eligible_hukou == 0) return "";
  return FormatFixed(static_cast<double>(s.registered_hukou) / static_cast<double>(s.eligible_hukou), 6);
}

}  // namespace

std::string MaskIdNumber(std::string_view id) {
  // Split into UTF-8 characters (invalid bytes count as one each).
  std::vector<std::string_view> chars;
  for (size_t i = 0; i < id.size();) {
    int n = Utf8SequenceLength(id.substr(i));
    if (n == 0) n = 1;
    chars.push_back(id.substr(i, n));
    i += n;
  }
  std::string out;
  const size_t n = chars.size();
  for (size_t i = 0; i < n; ++i) {
    const bool keep = n > 10 && (i < 6 || i >= n - 4);
    if (keep) {
      out.append(chars[i]);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

std::string MaskIdNumbersInText(std::string_view text) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!digit(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    size_t j = i;
    while (j < text.size() && digit(text[j])) ++j;
    if (j < text.size() && (text[j] == 'X' || text[j] == 'x')) ++j;
    const std::string_view run = text.substr(i, j - i);
    if (run.size() >= 15) {
      out += MaskIdNumber(run);
    } else {
      out.append(run);
    }
    i = j;
  }
  return out;
}

std::vector<std::string> TownshipRowValues(const Dataset& data, const Flag& f, const ReportOptions& options) {
  // 登记记录: the roll records; 匹配记录: the others. The subject is listed
  // even if the flag's records omit it.
  std::vector<RecordRef> registrations, matched;
  for (RecordRef r : f.records) (r.feed == Feed::kRoll ? registrations : matched).push_back(r);
  std::vector<RecordRef>& own = f.subject.feed == Feed::kRoll ? registrations : matched;
  if (std::find(own.begin(), own.end(), f.subject) == own.end()) own.insert(own.begin(), f.subject);

  std::string id = options.redact ? MaskIdNumber(f.summary.id_number) : f.summary.id_number;
  std::string words = EvidenceWords(f, options);

  return {
      std::string(FlagCategoryLabel(f.code)),
      std::string(FlagCodeName(f.code)),
      std::string(FlagLabel(f.code)),
      f.district,
      f.village,
      f.summary.name,
      std::move(id),
      f.summary.birth_date,
      f.summary.gender,
      RecordList(data, registrations),
      RecordList(data, matched),
      std::move(words),
      std::string(FlagAction(f.code)),
      FormatFixed(f.confidence, 3),
      f.confidence < kReviewConfidence ? "请核实" : "",
      std::string(ReviewWord(f.review)),
      f.flag_id,
      "",
      "",
  };
}

std::map<std::string, std::vector<const Flag*>> FlagsByTownship(const Dataset& data,
                                                                const std::vector<Flag>& flags) {
  std::map<std::string, std::vector<const Flag*>> by_township;
  for (const Flag& f : flags) {
    for (size_t i = 0; i < f.townships.size(); ++i) {
      const std::string& t = f.townships[i];
      if (!IsTownshipCode(t)) continue;
      // A township listed twice still gets the flag once.
      if (std::find(f.townships.begin(), f.townships.begin() + i, t) != f.townships.begin() + i) continue;
      by_township[t].push_back(&f);
    }
  }
  for (auto& [township, list] : by_township) {
    std::sort(list.begin(), list.end(), [&](const Flag* a, const Flag* b) {
      const int ca = CategoryRank(a->code), cb = CategoryRank(b->code);
      if (ca != cb) return ca < cb;
      if (a->village != b->village) return a->village < b->village;
      if (a->code != b->code) return a->code < b->code;
      const std::string_view ra = RecordIdOf(data, a->subject), rb = RecordIdOf(data, b->subject);
      if (ra != rb) return ra < rb;
      return a->flag_id < b->flag_id;
    });
  }
  return by_township;
}

std::string EvidenceWords(const Flag& f, const ReportOptions& options) {
  std::string words = f.evidence.words;
  if (f.code == FlagCode::kWrongNoRights) {
    if (!options.show_rights_kind) {
      words = std::string(FlagLabel(f.code));
    } else if (f.evidence.kind.has_value()) {
      const std::string_view kind = RightsKindWord(*f.evidence.kind);
      if (words.find(kind) == std::string::npos) words += "（" + std::string(kind) + "）";
    }
  }
  if (options.redact) words = MaskIdNumbersInText(words);
  return words;
}

std::string_view ReviewWord(std::string_view review) {
  if (review == "open") return "待审核";
  if (review == "confirmed") return "已确认";
  if (review == "dismissed") return "已驳回";
  return review;
}

std::vector<std::string> StatsColumns() {
  std::vector<std::string> columns = {"region_code",        "level",
                                      "eligible_hukou",     "registered_hukou",
                                      "registration_rate",  "eligible_migrant",
                                      "registered_migrant", "roll_records"};
  for (FlagCode code : kAllFlagCodes) columns.emplace_back(FlagCodeName(code));
  return columns;
}

const std::vector<std::string_view>& TownshipCsvColumns() {
  static const std::vector<std::string_view> kColumns = {
      "类别",     "问题代码", "问题",   "选区",     "村/社区",  "姓名",
      "身份证号", "出生日期", "性别",   "登记记录", "匹配记录", "说明",
      "建议操作", "置信度",   "需核实", "审核状态", "标识",     "处理意见（确认/驳回）",
      "备注"};
  return kColumns;
}

Status WriteFlagsJsonl(const std::string& path, const Dataset& data, const std::vector<Flag>& flags) {
  OutputFile file;
  RM_RETURN_IF_ERROR(file.Open(path));
  JsonWriter w(file.buffer());  // one top-level object per line
  for (const Flag& f : flags) {
    WriteFlagJson(w, data, f);
    file.buffer()->push_back('\n');
    RM_RETURN_IF_ERROR(file.MaybeFlush());
  }
  return file.Close();
}

Status WriteStatsCsv(const std::string& path, const std::vector<RegionStats>& stats) {
  OutputFile file;
  RM_RETURN_IF_ERROR(file.Open(path));
  std::string* out = file.buffer();
  out->append(kBom);
  AppendCsvRow(out, StatsColumns());
  for (const RegionStats& s : stats) {
    std::vector<std::string> cells = {s.region_code,
                                      s.level,
                                      std::to_string(s.eligible_hukou),
                                      std::to_string(s.registered_hukou),
                                      RegistrationRate(s),
                                      std::to_string(s.eligible_migrant),
                                      std::to_string(s.registered_migrant),
                                      std::to_string(s.roll_records)};
    for (uint64_t n : s.flags) cells.push_back(std::to_string(n));
    AppendCsvRow(out, cells);
    RM_RETURN_IF_ERROR(file.MaybeFlush());
  }
  return file.Close();
}

Status WriteStatsJson(const std::string& path, const std::vector<RegionStats>& stats) {
  OutputFile file;
  RM_RETURN_IF_ERROR(file.Open(path));
  JsonWriter w(file.buffer());
  w.BeginObject();
  w.Key("columns");
  w.BeginArray();
  for (const std::string& c : StatsColumns()) w.String(c);
  w.EndArray();
  w.Key("rows");
  w.BeginArray();
  for (const RegionStats& s : stats) {
    w.BeginObject();
    w.KeyString("region_code", s.region_code);
    w.KeyString("level", s.level);
    w.KeyUint("eligible_hukou", s.eligible_hukou);
    w.KeyUint("registered_hukou", s.registered_hukou);
    w.Key("registration_rate");
    if (s.eligible_hukou == 0) {
      w.Null();
    } else {
      w.Double(static_cast<double>(s.registered_hukou) / static_cast<double>(s.eligible_hukou), 6);
    }
    w.KeyUint("eligible_migrant", s.eligible_migrant);
    w.KeyUint("registered_migrant", s.registered_migrant);
    w.KeyUint("roll_records", s.roll_records);
    for (int i = 0; i < kNumFlagCodes; ++i) w.KeyUint(FlagCodeName(kAllFlagCodes[i]), s.flags[i]);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  file.buffer()->push_back('\n');
  return file.Close();
}

Status WriteRejectsJsonl(const std::string& path, const std::vector<Reject>& rejects) {
  OutputFile file;
  RM_RETURN_IF_ERROR(file.Open(path));
  for (const Reject& r : rejects) {
    JsonWriter w(file.buffer());
    w.BeginObject();
    w.KeyString("feed", FeedName(r.feed));
    w.KeyString("file", r.file);
    w.KeyUint("line", r.line);
    w.KeyString("reason", r.reason);
    w.KeyString("raw", r.raw);
    w.EndObject();
    file.buffer()->push_back('\n');
    RM_RETURN_IF_ERROR(file.MaybeFlush());
  }
  return file.Close();
}

Status WriteTownshipCsvRows(const std::string& path, const std::vector<std::vector<std::string>>& rows) {
  OutputFile file;
  RM_RETURN_IF_ERROR(file.Open(path));
  std::string* out = file.buffer();
  out->append(kBom);
  const auto& columns = TownshipCsvColumns();
  AppendCsvRow(out, std::vector<std::string>(columns.begin(), columns.end()));
  for (const std::vector<std::string>& row : rows) {
    AppendTownshipCsvRow(out, row);
    RM_RETURN_IF_ERROR(file.MaybeFlush());
  }
  return file.Close();
}

Status WriteTownshipCsvs(const std::string& out_dir, const Dataset& data, const std::vector<Flag>& flags,
                         const ReportOptions& options) {
  const std::filesystem::path root = std::filesystem::path(out_dir) / "townships";
  for (const auto& [township, township_flags] : FlagsByTownship(data, flags)) {
    const std::filesystem::path dir = root / township;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
    std::vector<std::vector<std::string>> rows;
    rows.reserve(township_flags.size());
    for (const Flag* f : township_flags) rows.push_back(TownshipRowValues(data, *f, options));
    RM_RETURN_IF_ERROR(WriteTownshipCsvRows((dir / "flags.csv").string(), rows));
  }
  return Status::Ok();
}

}  // namespace rollmatch
