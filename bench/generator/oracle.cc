#include "bench/generator/oracle.h"

// Choices where rules.md leaves room (keep in step with selfcheck.py):
//  - Authoritative birth date / gender: per field, the first non-empty value of
//    the hukou records, then migrant, then social (each in record-id order),
//    then what the authoritative ID encodes, then the registration. The
//    authoritative ID without hukou is the first VALID one of migrant, social.
//  - WRONG_DETAILS without hukou: the correction of a wrong check character is
//    the first valid ID among the person's migrant, social, rights and other
//    roll records ("" if none; the generator never plants that case); birth
//    date and gender are corrected to what the registration's own valid ID
//    encodes. An empty or different-but-valid ID is not checkable there.
//    With hukou: the in-scope normal hukou record, else the first one.
//  - A 9-digit region is covered by every district of its township OF THE
//    KIND asked for: area districts for hukou / residence, unit districts for
//    the insured region.
//  - Several rights records covering E: the kind of the first by record id
//    (never generated). An expiry_date equal to E is not "before E".
//  - MISSING_ELIGIBLE: the subject is the smallest hukou record_id of the
//    person; moved_in looks at the status_date of the in-scope normal record.
//  - DUPLICATE keep: an empty registered_date sorts after every date. The
//    truth line carries "subject" (= keep) besides records and keep.
//  - Stats, village level: a flag is counted in the village of its subject's
//    region code (roll record's region_code, hukou region, residence or insured
//    region; DUPLICATE: keep's region_code), a roll record in its region_code's
//    village; township level as rules.md says. Rows: the scope, every township
//    with a district or a non-zero count, every village with a non-zero count.

#include <algorithm>
#include <climits>
#include <vector>

namespace rollmatch::gen {
namespace {

bool StartsWith(const std::string& s, const std::string& prefix) {
  return !prefix.empty() && s.compare(0, prefix.size(), prefix) == 0;
}

void JsonString(std::string& out, const std::string& s) {
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

const char* GenderWord(uint8_t g) { return g == 1 ? "男" : g == 2 ? "女" : ""; }
const char* RightsKindCode(RightsKind k) {
  switch (k) {
    case RightsKind::kDeprived: return "deprived";
    case RightsKind::kSuspended: return "suspended";
    case RightsKind::kIncapacitated: return "incapacitated";
  }
  return "";
}

// 18 characters: 17 digits and a digit or X (a check character may be wrong).
bool WellFormedId(const std::string& id) {
  if (id.size() != 18) return false;
  for (int i = 0; i < 17; ++i)
    if (id[i] < '0' || id[i] > '9') return false;
  return (id[17] >= '0' && id[17] <= '9') || id[17] == 'X';
}

struct Field {
  const char* field;
  std::string registered, authoritative;
};

class Judge {
 public:
  Judge(const World& w, OracleOutput& out) : w_(w), out_(out), S_(w.cfg.scope), E_(w.cfg.election_day), P_(w.cfg.previous_election_day) {}

  void Person(const gen::Person& p);

 private:
  void Stat(const std::string& township, const std::string& village, int col) {
    ++out_.stats[""][col];  // the scope row
    if (township.size() == 9) ++out_.stats[township][col];
    if (village.size() == 12) ++out_.stats[village][col];
  }
  std::string Ref(Feed f, uint64_t rid) const { return std::string(kFeedNames[f]) + ":" + w_.RecordId(f, rid); }
  void Emit(FlagCode code, const std::string& subject, const std::string& evidence_json) {
    std::string& o = out_.flags_jsonl;
    o += "{\"code\": \"";
    o += kFlagCodeNames[code];
    o += "\", \"subject\": \"";
    o += subject;
    o += '"';
    if (!evidence_json.empty()) {
      o += ", \"evidence\": ";
      o += evidence_json;
    }
    o += "}\n";
    ++out_.flag_counts[code];
  }
  std::vector<Field> Details(const gen::Person& p, const RollRec& r, const HukouRec* h) const;

  const World& w_;
  OracleOutput& out_;
  const std::string& S_;
  const int E_, P_;
};

std::vector<Field> Judge::Details(const gen::Person& p, const RollRec& r, const HukouRec* h) const {
  std::vector<Field> f;
  if (h) {
    // Against the hukou record: any ID difference (an empty one too); name,
    // birth date and gender only when typed, and a former name is no difference.
    if (r.v.id != h->v.id) f.push_back({"id_number", r.v.id, h->v.id});
    if (!r.v.name.empty() && r.v.name != h->v.name &&
        std::find(h->former.begin(), h->former.end(), r.v.name) == h->former.end())
      f.push_back({"name", r.v.name, h->v.name});
    if (r.v.birth && h->v.birth && r.v.birth != h->v.birth) f.push_back({"birth_date", IsoDate(r.v.birth), IsoDate(h->v.birth)});
    if (r.v.gender && h->v.gender && r.v.gender != h->v.gender) f.push_back({"gender", GenderWord(r.v.gender), GenderWord(h->v.gender)});
    return f;
  }
  // Without hukou: a wrong check character (corrected from another record of
  // the person), and birth date / gender against the registration's own valid ID.
  if (WellFormedId(r.v.id) && !IdValid(r.v.id)) {
    std::string fix;
    auto consider = [&](const std::string& id) {
      if (fix.empty() && IdValid(id)) fix = id;
    };
    for (const auto& m : p.migrant) consider(m.v.id);
    for (const auto& s : p.social) consider(s.v.id);
    for (const auto& q : p.rights) consider(q.v.id);
    for (const auto& o : p.roll)
      if (&o != &r) consider(o.v.id);
    f.push_back({"id_number", r.v.id, fix});
  }
  if (IdValid(r.v.id)) {
    const int b = IdBirth(r.v.id);
    const int g = IdGender(r.v.id);
    if (r.v.birth && b && r.v.birth != b) f.push_back({"birth_date", IsoDate(r.v.birth), IsoDate(b)});
    if (r.v.gender && r.v.gender != g) f.push_back({"gender", GenderWord(r.v.gender), GenderWord(static_cast<uint8_t>(g))});
  }
  return f;
}

void Judge::Person(const gen::Person& p) {
  // ---- Facts about the person (rules.md §1–2) ----
  bool alive = true;
  for (const auto& h : p.hukou) alive &= h.status != HukouStatus::kDeceased;
  // Authoritative birth date and gender: hukou, then migrant, then social
  // (records in record-id order), then the authoritative ID, then the registration.
  int birth = 0;
  uint8_t gender = 0;
  std::string auth_id;
  for (const auto& h : p.hukou) {
    if (!birth) birth = h.v.birth;
    if (!gender) gender = h.v.gender;
    if (auth_id.empty()) auth_id = h.v.id;
  }
  for (const auto& m : p.migrant) {
    if (!birth) birth = m.v.birth;
    if (!gender) gender = m.v.gender;
    if (auth_id.empty() && IdValid(m.v.id)) auth_id = m.v.id;
  }
  for (const auto& s : p.social) {
    if (!birth) birth = s.v.birth;
    if (!gender) gender = s.v.gender;
    if (auth_id.empty() && IdValid(s.v.id)) auth_id = s.v.id;
  }
  if (IdValid(auth_id)) {
    if (!birth) birth = IdBirth(auth_id);
    if (!gender) gender = static_cast<uint8_t>(IdGender(auth_id));
  }
  std::vector<const RollRec*> rolls;
  for (const auto& r : p.roll) rolls.push_back(&r);
  std::sort(rolls.begin(), rolls.end(), [](const RollRec* a, const RollRec* b) { return a->rid < b->rid; });
  for (const RollRec* r : rolls)
    if (!birth) birth = r->v.birth;
  const bool of_age = birth != 0 && BirthdayAt(birth, 18) <= E_;

  const RightsRec* covering = nullptr;
  bool rights_ended = false;
  for (const auto& q : p.rights) {
    if (!covering && (q.from == 0 || q.from <= E_) && (q.to == 0 || E_ <= q.to)) covering = &q;
    if (q.to && q.to < E_) rights_ended = true;
  }
  const bool has_rights = covering == nullptr;

  const HukouRec* hs = nullptr;  // a normal hukou record in scope
  for (const auto& h : p.hukou)
    if (!hs && h.status == HukouStatus::kNormal && StartsWith(h.region, S_)) hs = &h;
  const MigrantRec* ms = nullptr;  // a residence in scope, not expired before E
  for (const auto& m : p.migrant)
    if (!ms && StartsWith(m.residence_region, S_) && (m.expiry == 0 || m.expiry >= E_)) ms = &m;
  const SocialRec* ws = nullptr;  // active insurance in scope
  for (const auto& s : p.social)
    if (!ws && s.status == SocialStatus::kActive && StartsWith(s.insured_region, S_)) ws = &s;

  const bool eligible = of_age && alive && has_rights && (hs || ms);
  const bool found = !p.hukou.empty() || !p.migrant.empty() || !p.social.empty();

  std::vector<size_t> acceptable;
  const DistrictTable& dt = w_.districts;
  for (const auto& h : p.hukou)
    if (h.status == HukouStatus::kNormal && StartsWith(h.region, S_)) dt.Covering(h.region, false, acceptable);
  for (const auto& m : p.migrant)
    if (StartsWith(m.residence_region, S_) && (m.expiry == 0 || m.expiry >= E_)) dt.Covering(m.residence_region, false, acceptable);
  for (const auto& s : p.social)
    if (s.status == SocialStatus::kActive && StartsWith(s.insured_region, S_)) dt.Covering(s.insured_region, true, acceptable);

  // ---- Registrations (§3, wrong and duplicate) ----
  struct Judged {
    const RollRec* r;
    std::string township;
    bool flagged;
    bool acceptable;
  };
  std::vector<Judged> in_scope;
  const HukouRec* detail_h = hs ? hs : (p.hukou.empty() ? nullptr : &p.hukou[0]);
  for (const RollRec* r : rolls) {
    auto it = dt.by_code.find(r->district);
    const District* d = it == dt.by_code.end() ? nullptr : &dt.districts[it->second];
    const bool scope = d ? StartsWith(d->township, S_) : StartsWith(r->region, S_);
    if (!scope) {
      ++out_.roll_out_of_scope;
      continue;
    }
    const std::string township = d ? d->township : r->region.substr(0, std::min<size_t>(9, r->region.size()));
    const bool ok_district = d && std::find(acceptable.begin(), acceptable.end(), it->second) != acceptable.end();
    Stat(township, r->region, kRollRecords);
    const std::string subject = Ref(kRoll, r->rid);
    int code = -1;
    std::string evidence;
    if (!found) code = kWrongNotFound;
    else if (!alive) code = kWrongDeceased;
    else if (!has_rights) {
      code = kWrongNoRights;
      evidence = std::string("{\"kind\": \"") + RightsKindCode(covering->kind) + "\"}";
      ++out_.reasons[std::string("WRONG_NO_RIGHTS.") + RightsKindCode(covering->kind)];
    } else if (!of_age) code = kWrongUnderage;
    else if (!hs && !ms) code = kWrongMovedOut;
    else if (!ok_district) code = kWrongDistrict;
    if (code >= 0) {
      Emit(static_cast<FlagCode>(code), subject, evidence);
      Stat(township, r->region, kFlagCol0 + code);
    }
    const auto fields = Details(p, *r, detail_h);
    if (!fields.empty()) {
      std::string ev = "{\"fields\": [";
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i) ev += ", ";
        ev += "{\"field\": \"";
        ev += fields[i].field;
        ev += "\", \"registered\": ";
        JsonString(ev, fields[i].registered);
        ev += ", \"authoritative\": ";
        JsonString(ev, fields[i].authoritative);
        ev += "}";
        ++out_.reasons[std::string("WRONG_DETAILS.") + fields[i].field];
      }
      ev += "]}";
      Emit(kWrongDetails, subject, ev);
      Stat(township, r->region, kFlagCol0 + kWrongDetails);
    }
    in_scope.push_back({r, township, code >= 0, ok_district});
  }
  if (in_scope.size() >= 2) {
    // keep: no eligibility flag, then acceptable district, then earliest
    // registered_date (unknown last), then smallest record_id.
    const Judged* keep = &in_scope[0];
    auto key = [](const Judged& j) {
      return std::make_tuple(j.flagged, !j.acceptable, j.r->registered ? j.r->registered : INT_MAX, j.r->rid);
    };
    for (const auto& j : in_scope)
      if (key(j) < key(*keep)) keep = &j;
    std::string& o = out_.flags_jsonl;
    o += "{\"code\": \"DUPLICATE\", \"subject\": \"" + Ref(kRoll, keep->r->rid) + "\", \"records\": [";
    for (size_t i = 0; i < in_scope.size(); ++i) {
      if (i) o += ", ";
      o += "\"" + Ref(kRoll, in_scope[i].r->rid) + "\"";
    }
    o += "], \"keep\": \"" + Ref(kRoll, keep->r->rid) + "\"}\n";
    ++out_.flag_counts[kDuplicate];
    Stat(keep->township, keep->r->region, kFlagCol0 + kDuplicate);
  }

  // ---- Missing registrations ----
  if (eligible && hs && in_scope.empty()) {
    const char* reason = "other";
    if (rights_ended) reason = "rights_restored";
    else if (P_ && BirthdayAt(birth, 18) > P_) reason = "new_adult";
    else if (P_ && hs->status_date > P_) reason = "moved_in";
    const HukouRec& subject = p.hukou[0];  // smallest record_id
    Emit(kMissingEligible, Ref(kHukou, subject.rid), std::string("{\"reason\": \"") + reason + "\"}");
    ++out_.reasons[std::string("MISSING_ELIGIBLE.") + reason];
    Stat(subject.region.substr(0, 9), subject.region, kFlagCol0 + kMissingEligible);
  }
  if (of_age && alive && has_rights && !hs && (ms || ws) && in_scope.empty()) {
    const std::string& region = ms ? ms->residence_region : ws->insured_region;
    Emit(kMissingMigrant, ms ? Ref(kMigrant, ms->rid) : Ref(kSocial, ws->rid), "");
    Stat(region.substr(0, std::min<size_t>(9, region.size())), region, kFlagCol0 + kMissingMigrant);
  }

  // ---- Registration-rate counts (§4) ----
  if (eligible) {
    const bool registered = !in_scope.empty();
    if (hs) {
      Stat(hs->region.substr(0, 9), hs->region, kEligibleHukou);
      if (registered) Stat(hs->region.substr(0, 9), hs->region, kRegisteredHukou);
    } else {
      const std::string& region = ms->residence_region;
      const std::string t = region.substr(0, std::min<size_t>(9, region.size()));
      Stat(t, region, kEligibleMigrant);
      if (registered) Stat(t, region, kRegisteredMigrant);
    }
  }
}

}  // namespace

void JudgeChunk(const World& world, const Chunk& chunk, OracleOutput& out) {
  Judge judge(world, out);
  for (const auto& p : chunk.persons) judge.Person(p);
}

}  // namespace rollmatch::gen
