#include "bench/generator/render.h"

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <memory>
#include <stdexcept>

namespace rollmatch::gen {
namespace {

bool NeedsQuotes(const std::string& s) {
  for (char c : s)
    if (c == ',' || c == '"' || c == '\n' || c == '\r') return true;
  return false;
}

void CsvField(std::string& out, const std::string& s) {
  if (!NeedsQuotes(s)) {
    out += s;
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void CsvRow(std::string& out, std::initializer_list<std::string> fields) {
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out.push_back(',');
    first = false;
    CsvField(out, f);
  }
  out.push_back('\n');
}

void JsonStr(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// A JSON object written key by key, in the order given.
class JsonLine {
 public:
  explicit JsonLine(std::string& out) : out_(out) { out_.push_back('{'); }
  void Str(const char* key, const std::string& v) {
    Key(key);
    JsonStr(out_, v);
  }
  void Raw(const char* key, const std::string& v) {
    Key(key);
    out_ += v;
  }
  void End() { out_ += "}\n"; }

 private:
  void Key(const char* key) {
    if (!first_) out_ += ", ";
    first_ = false;
    out_.push_back('"');
    out_ += key;
    out_ += "\": ";
  }
  std::string& out_;
  bool first_ = true;
};

struct RenderedId {
  std::string text;
  bool number = false;
};

class Renderer {
 public:
  Renderer(const World& w, Chunk& c, RenderedChunk& out)
      : w_(w), c_(c), out_(out), cosmetic_(w.cfg.noise != NoiseLevel::kNone), rng_(0) {}

  void Run();

 private:
  void Count(gen::Count k) { ++out_.counts[k]; }
  void Seed(Feed f, uint64_t rid) { rng_ = Rng(HashMix(w_.cfg.seed ^ (0xC0FFEEULL + f), rid)); }

  RenderedId Id(const Ident& v, bool json) {
    RenderedId r;
    if (v.id.empty()) return r;
    r.text = v.id;
    if (!cosmetic_) return r;
    std::string& id = r.text;
    if (IdValid(id) && id.compare(6, 2, "19") == 0 && rng_.Chance(0.03)) {
      id = IdTo15(id);
      Count(c_noise_id_15_digit);
    }
    if (id.back() == 'X' && rng_.Chance(0.3)) {
      id.back() = 'x';
      Count(c_noise_id_lowercase_x);
    }
    bool ascii_digits = true;
    if (rng_.Chance(0.015)) {
      const bool all = rng_.Chance(0.6);
      const size_t from = all ? 0 : rng_.Below(id.size());
      const size_t to = all ? id.size() : std::min(id.size(), from + 3 + rng_.Below(6));
      std::string fw;
      for (size_t i = 0; i < id.size(); ++i) {
        const char ch = id[i];
        if (i >= from && i < to) {
          if (ch >= '0' && ch <= '9') Utf8Append(fw, 0xFF10 + (ch - '0'));
          else if (ch == 'X') Utf8Append(fw, 0xFF38);
          else if (ch == 'x') Utf8Append(fw, 0xFF58);
          else fw.push_back(ch);
        } else {
          fw.push_back(ch);
        }
      }
      id = fw;
      ascii_digits = false;
      Count(c_noise_id_fullwidth);
    }
    if (rng_.Chance(0.01)) {
      const double u = rng_.Uniform();
      if (u < 0.4) id = " " + id;
      else if (u < 0.7) id += "  ";
      else if (id.size() == 18 || id.size() == 15) id = id.substr(0, 6) + " " + id.substr(6);
      else id = " " + id + " ";
      ascii_digits = false;
      Count(c_noise_id_spaces);
    }
    for (char ch : id) ascii_digits &= ch >= '0' && ch <= '9';
    if (json && ascii_digits && id[0] != '0' && rng_.Chance(0.05)) {  // JSON numbers have no leading zero
      r.number = true;
      Count(c_noise_id_json_number);
    }
    return r;
  }

  std::string Name(const std::string& name, int surname_len) {
    if (!cosmetic_ || name.empty()) return name;
    auto cps = Utf8Decode(name);
    bool dotted = false;
    for (char32_t c : cps) dotted |= c == 0xB7;
    if (dotted && rng_.Chance(0.5)) {
      static const char32_t kDots[] = {0x2022, 0x30FB, 0x2027, 0xFF0E, '.'};
      const char32_t d = kDots[rng_.Below(5)];
      for (auto& c : cps)
        if (c == 0xB7) c = d;
      Count(c_noise_name_dot_variant);
    }
    if (rng_.Chance(0.03)) {
      bool changed = false;
      for (auto& c : cps) {
        auto it = w_.ref.to_traditional.find(c);
        if (it != w_.ref.to_traditional.end()) {
          c = it->second;
          changed = true;
        }
      }
      if (changed) Count(c_noise_name_traditional);
    }
    const double u = rng_.Uniform();
    if (u < 0.015 && cps.size() >= 2) {
      const size_t at = surname_len > 0 && static_cast<size_t>(surname_len) < cps.size() ? surname_len : 1;
      const bool ideographic = u < 0.005;
      cps.insert(cps.begin() + static_cast<long>(at), ideographic ? char32_t{0x3000} : char32_t{' '});
      Count(ideographic ? c_noise_name_ideographic_space : c_noise_name_spaces);
    }
    std::string s = Utf8Encode(cps);
    if (rng_.Chance(0.01)) {
      s = rng_.Chance(0.5) ? " " + s : s + " ";
      Count(c_noise_name_spaces);
    }
    return s;
  }

  std::string Date(int ymd) {
    if (ymd == 0) return "";
    std::string iso = IsoDate(ymd);
    if (!cosmetic_) return iso;
    const double u = rng_.Uniform();
    if (u < 0.12) {
      Count(c_noise_date_compact);
      return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
    }
    if (u < 0.2) {
      Count(c_noise_date_slash);
      iso[4] = iso[7] = '/';
    }
    return iso;
  }

  std::string Month(int yyyymm) {
    char buf[16];
    if (cosmetic_ && rng_.Chance(0.2)) {
      Count(c_noise_month_compact);
      snprintf(buf, sizeof buf, "%06d", yyyymm);
    } else {
      snprintf(buf, sizeof buf, "%04d-%02d", yyyymm / 100, yyyymm % 100);
    }
    return buf;
  }

  std::string Gender(uint8_t g) {
    if (g == 0) return "";
    if (cosmetic_) {
      const double u = rng_.Uniform();
      if (u < 0.2) {
        Count(c_noise_gender_digit);
        return g == 1 ? "1" : "2";
      }
      if (u < 0.3) {
        Count(c_noise_gender_letter);
        return g == 1 ? "M" : "F";
      }
    }
    return g == 1 ? "男" : "女";
  }

  std::string HukouStatusText(HukouStatus s) {
    static const char* kEn[] = {"normal", "deceased", "moved_out"};
    static const char* kZh[] = {"正常", "死亡", "迁出"};
    const int i = static_cast<int>(s);
    if (!cosmetic_) return kEn[i];
    if (s == HukouStatus::kNormal && rng_.Chance(0.05)) {
      Count(c_noise_status_empty);
      return "";
    }
    if (rng_.Chance(0.5)) {
      Count(c_noise_status_chinese);
      return kZh[i];
    }
    return kEn[i];
  }

  void PutId(JsonLine& j, const Ident& v) {
    RenderedId id = Id(v, true);
    if (id.number) j.Raw("id_number", id.text);
    else j.Str("id_number", id.text);
  }

  void Hukou(const Person& p, const HukouRec& h);
  void Migrant(const Person& p, const MigrantRec& m);
  void Social(const Person& p, const SocialRec& s);
  void Roll(const Person& p, const RollRec& r);
  void Rights(const Person& p, const RightsRec& q);
  void Broken(BrokenRow& b);

  const World& w_;
  Chunk& c_;
  RenderedChunk& out_;
  const bool cosmetic_;
  Rng rng_;
};

const char* SocialStatusText(SocialStatus s) {
  switch (s) {
    case SocialStatus::kActive: return "active";
    case SocialStatus::kSuspended: return "suspended";
    case SocialStatus::kTerminated: return "terminated";
  }
  return "";
}
const char* RightsKindText(RightsKind k) {
  switch (k) {
    case RightsKind::kDeprived: return "deprived";
    case RightsKind::kSuspended: return "suspended";
    case RightsKind::kIncapacitated: return "incapacitated";
  }
  return "";
}
const char* BasisText(Basis b) {
  switch (b) {
    case Basis::kHukou: return "hukou";
    case Basis::kResidence: return "residence";
    case Basis::kUnit: return "unit";
  }
  return "";
}

void Renderer::Hukou(const Person& p, const HukouRec& h) {
  Seed(kHukou, h.rid);
  std::string& o = out_.text[kHukou];
  JsonLine j(o);
  j.Str("record_id", w_.RecordId(kHukou, h.rid));
  PutId(j, h.v);
  j.Str("name", Name(h.v.name, p.surname_len));
  std::string former;
  for (size_t i = 0; i < h.former.size(); ++i) {
    if (i) {
      static const char* kSeps[] = {"；", ",", "，"};
      if (cosmetic_ && rng_.Chance(0.3)) {
        former += kSeps[rng_.Below(3)];
        Count(c_noise_former_separator);
      } else {
        former += ";";
      }
    }
    former += Name(h.former[i], p.surname_len);
  }
  j.Str("former_names", former);
  j.Str("gender", Gender(h.v.gender));
  j.Str("birth_date", Date(h.v.birth));
  j.Str("ethnicity", p.ethnicity);
  char hh[24];
  snprintf(hh, sizeof hh, "%010llu", static_cast<unsigned long long>(p.household));
  j.Str("household_id", hh);
  j.Str("region_code", h.region);
  j.Str("address", h.address);
  j.Str("status", HukouStatusText(h.status));
  j.Str("status_date", Date(h.status_date));
  j.End();
}

void Renderer::Social(const Person& p, const SocialRec& s) {
  Seed(kSocial, s.rid);
  JsonLine j(out_.text[kSocial]);
  j.Str("record_id", w_.RecordId(kSocial, s.rid));
  PutId(j, s.v);
  j.Str("name", Name(s.v.name, p.surname_len));
  j.Str("gender", Gender(s.v.gender));
  j.Str("birth_date", Date(s.v.birth));
  j.Str("insured_region_code", s.insured_region);
  j.Str("employer", s.employer);
  j.Str("status", SocialStatusText(s.status));
  j.Str("last_paid", Month(s.last_paid));
  j.End();
}

void Renderer::Migrant(const Person& p, const MigrantRec& m) {
  Seed(kMigrant, m.rid);
  CsvRow(out_.text[kMigrant], {w_.RecordId(kMigrant, m.rid), Id(m.v, false).text, Name(m.v.name, p.surname_len), Gender(m.v.gender),
                               Date(m.v.birth), m.hukou_region, m.residence_region, m.address, Date(m.registered), Date(m.expiry)});
}

void Renderer::Roll(const Person& p, const RollRec& r) {
  Seed(kRoll, r.rid);
  CsvRow(out_.text[kRoll], {w_.RecordId(kRoll, r.rid), Id(r.v, false).text, Name(r.v.name, p.surname_len), Gender(r.v.gender),
                            Date(r.v.birth), r.district, r.region, BasisText(r.basis), Date(r.registered)});
}

void Renderer::Rights(const Person& p, const RightsRec& q) {
  Seed(kRights, q.rid);
  CsvRow(out_.text[kRights], {w_.RecordId(kRights, q.rid), Id(q.v, false).text, Name(q.v.name, p.surname_len), RightsKindText(q.kind),
                              Date(q.from), Date(q.to)});
}

void Renderer::Broken(BrokenRow& b) {
  Seed(b.feed, b.rid);
  const std::string rid = w_.RecordId(b.feed, b.rid);
  const std::string id = MakeId(std::stoi(w_.scope_county), Ymd(static_cast<int>(rng_.Range(1950, 2000)), 6, 15), static_cast<int>(rng_.Range(1, 999)));
  std::string& o = out_.text[b.feed];
  const std::string village = w_.ref.townships[0].villages[0].code;
  switch (b.kind) {
    case BrokenKind::kJson:
      // A line cut off in the middle of a value.
      o += "{\"record_id\": \"" + rid + "\", \"id_number\": \"" + id + "\", \"name\": \"张\n";
      break;
    case BrokenKind::kEmptyRequired:
      if (b.feed == kHukou) {
        o += "{\"record_id\": \"" + rid + "\", \"id_number\": \"" + id + "\", \"name\": \"\", \"gender\": \"男\", \"birth_date\": \"" +
             IsoDate(IdBirth(id)) + "\", \"region_code\": \"" + village + "\", \"status\": \"normal\"}\n";
      } else if (b.feed == kSocial) {
        o += "{\"record_id\": \"" + rid + "\", \"id_number\": \"" + id + "\", \"name\": \"\", \"insured_region_code\": \"" + village +
             "\", \"status\": \"active\"}\n";
      } else if (b.feed == kMigrant) {
        CsvRow(o, {rid, id, "", "男", "", "340000", village, "", "", ""});
      } else if (b.feed == kRoll) {
        CsvRow(o, {rid, id, "", "男", "", w_.districts.districts[0].code, village, "hukou", ""});
      } else {
        CsvRow(o, {rid, id, "", "deprived", "", ""});
      }
      break;
    case BrokenKind::kTooFewColumns:
      CsvRow(o, {rid, id, "王五"});
      break;
    case BrokenKind::kInvalidBytes: {
      // 张 in GB18030 followed by a byte no GB18030 sequence starts with.
      std::string raw = rid + "," + id + ",\xD5\xC5\xFF,1,," + "340000," + village + ",,,\n";
      out_.raw_migrant_rows.emplace_back(o.size(), raw);
      break;
    }
  }
}

void Renderer::Run() {
  for (int f = 0; f < kNumFeeds; ++f) {
    uint64_t line = 0;
    for (const Row& row : c_.rows[f]) {
      ++line;
      if (row.broken) {
        BrokenRow& b = c_.broken[row.person];
        b.local_line = line;
        Broken(b);
        continue;
      }
      const Person& p = c_.persons[row.person];
      switch (f) {
        case kHukou: Hukou(p, p.hukou[row.index]); break;
        case kMigrant: Migrant(p, p.migrant[row.index]); break;
        case kSocial: Social(p, p.social[row.index]); break;
        case kRoll: Roll(p, p.roll[row.index]); break;
        case kRights: Rights(p, p.rights[row.index]); break;
      }
    }
    out_.rows[f] = line;
  }
  // truth/records.csv: the true person of every record.
  std::string& rc = out_.records_csv;
  char pid[32];
  for (const Person& p : c_.persons) {
    snprintf(pid, sizeof pid, "P%0*llu", w_.record_id_width, static_cast<unsigned long long>(p.pid));
    auto line = [&](Feed f, uint64_t rid) {
      rc += kFeedNames[f];
      rc += ',';
      rc += w_.RecordId(f, rid);
      rc += ',';
      rc += pid;
      rc += '\n';
    };
    for (const auto& r : p.hukou) line(kHukou, r.rid);
    for (const auto& r : p.migrant) line(kMigrant, r.rid);
    for (const auto& r : p.social) line(kSocial, r.rid);
    for (const auto& r : p.roll) line(kRoll, r.rid);
    for (const auto& r : p.rights) line(kRights, r.rid);
  }
}

}  // namespace

std::string FeedHeader(Feed f) {
  switch (f) {
    case kMigrant: return "record_id,id_number,name,gender,birth_date,hukou_region_code,residence_region_code,address,registered_date,expiry_date\n";
    case kRoll: return "record_id,id_number,name,gender,birth_date,district_code,region_code,basis,registered_date\n";
    case kRights: return "record_id,id_number,name,kind,from_date,to_date\n";
    default: return "";
  }
}

void RenderChunk(const World& world, Chunk& chunk, RenderedChunk& out) {
  Renderer r(world, chunk, out);
  r.Run();
}

std::string ToGb18030(const std::string& utf8) {
  if (utf8.empty()) return "";
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> cnv(ucnv_open("GB18030", &status), ucnv_close);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU cannot open the GB18030 converter: ") + u_errorName(status));
  ucnv_setFromUCallBack(cnv.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(utf8);
  std::string out(static_cast<size_t>(u.length()) * 4 + 16, '\0');
  const int32_t n = ucnv_fromUChars(cnv.get(), out.data(), static_cast<int32_t>(out.size()), u.getBuffer(), u.length(), &status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("GB18030 conversion failed: ") + u_errorName(status));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace rollmatch::gen
