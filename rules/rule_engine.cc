#include "rules/rule_engine.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_for_each.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/core/check.h"
#include "engine/core/hash.h"
#include "engine/core/region.h"
#include "ingest/feed_schema.h"

namespace rollmatch {
namespace {

// The records of every person, grouped (compressed sparse rows), each
// person's records ordered by feed and then row.
struct PersonIndex {
  std::vector<uint32_t> offsets;  // num_persons + 1
  std::vector<RecordRef> records;

  static PersonIndex Build(const Dataset& data, const Resolution& res) {
    PersonIndex idx;
    idx.offsets.assign(res.num_persons + 1, 0);
    for (int f = 0; f < kNumPersonFeeds; ++f) {
      for (PersonId p : res.person_of[f]) idx.offsets[p + 1]++;
    }
    for (size_t i = 1; i < idx.offsets.size(); ++i) idx.offsets[i] += idx.offsets[i - 1];
    idx.records.resize(idx.offsets.back());
    std::vector<uint32_t> fill(idx.offsets.begin(), idx.offsets.end() - 1);
    for (int f = 0; f < kNumPersonFeeds; ++f) {
      const auto& po = res.person_of[f];
      for (uint32_t row = 0; row < po.size(); ++row) idx.records[fill[po[row]]++] = RecordRef{static_cast<Feed>(f), row};
    }
    return idx;
  }
};

bool RightsCover(const RightsRecord& q, Date e) {
  return (!q.from.known() || q.from <= e) && (!q.to.known() || e <= q.to);
}

// What the rules need to know about one person.
struct PersonFacts {
  std::vector<uint32_t> hukou, migrant, social, roll, rights;  // rows, ascending
  int auth_hukou = -1;          // row of the authoritative hukou record
  int scope_hukou = -1;         // in-scope normal hukou record with the smallest record_id
  int scope_migrant = -1;       // in-scope unexpired migrant record with the smallest record_id
  int scope_social = -1;        // active in-scope social record with the smallest record_id
  int covering_rights = -1;     // a rights record covering E
  bool alive = true, of_age = true, has_rights = true;
  bool hukou_in_scope = false, resides_in_scope = false, works_in_scope = false;
  bool eligible = false;
  Date birth;
  Gender gender = Gender::kUnknown;
  std::string id, name;
  std::vector<uint32_t> acceptable;  // district indices, ascending
  std::vector<uint32_t> roll_in_scope;
};

class Judge {
 public:
  Judge(const Dataset& data, const Resolution& res, const RuleConfig& cfg) : data_(data), res_(res), cfg_(cfg) {
    // Index of in-scope districts by township: a region is only ever
    // covered by districts of its own township (or by a coarser code).
    for (uint32_t i = 0; i < data_.districts.size(); ++i) {
      const District& d = data_.districts[i];
      if (!RegionWithin(d.township, cfg_.scope)) continue;
      by_township_[d.township].push_back(i);
      for (const std::string& c : d.regions) {
        if (c.size() < 9 || c.substr(0, 9) != d.township) coarse_.push_back(i);
      }
    }
    std::sort(coarse_.begin(), coarse_.end());
    coarse_.erase(std::unique(coarse_.begin(), coarse_.end()), coarse_.end());
  }

  std::string_view Rid(Feed f, uint32_t row) const { return data_.table(f).key(row); }
  bool RidLess(Feed f, uint32_t a, uint32_t b) const { return Rid(f, a) < Rid(f, b); }

  // The district of a roll record, or nullptr when unknown.
  const District* DistrictOf(uint32_t roll_row) const { return data_.FindDistrict(data_.roll[roll_row].district_code); }

  std::string RollTownship(uint32_t roll_row) const {
    const District* d = DistrictOf(roll_row);
    if (d) return d->township;
    return std::string(TownshipOf(data_.roll[roll_row].region));
  }

  bool RollInScope(uint32_t roll_row) const {
    const District* d = DistrictOf(roll_row);
    if (d) return RegionWithin(d->township, cfg_.scope);
    return RegionWithin(data_.roll[roll_row].region, cfg_.scope);
  }

  bool Covers(const District& d, std::string_view region) const {
    if (region.size() == 9 && d.township == region) return true;
    for (const std::string& c : d.regions) {
      if (RegionWithin(region, c)) return true;
    }
    return false;
  }

  void AddCovering(std::string_view region, DistrictKind kind, std::vector<uint32_t>* out) const {
    if (region.size() < 9) {
      // Coarser than a township: only a district listing such a code covers it.
      for (uint32_t i : coarse_) {
        const District& d = data_.districts[i];
        if (d.kind == kind && Covers(d, region)) out->push_back(i);
      }
      return;
    }
    auto it = by_township_.find(std::string(region.substr(0, 9)));
    if (it != by_township_.end()) {
      for (uint32_t i : it->second) {
        const District& d = data_.districts[i];
        if (d.kind == kind && Covers(d, region)) out->push_back(i);
      }
    }
    for (uint32_t i : coarse_) {
      const District& d = data_.districts[i];
      if (d.kind == kind && d.township != region.substr(0, 9) && Covers(d, region)) out->push_back(i);
    }
  }

  PersonFacts Facts(const RecordRef* begin, const RecordRef* end) const {
    PersonFacts p;
    for (const RecordRef* r = begin; r != end; ++r) {
      switch (r->feed) {
        case Feed::kHukou: p.hukou.push_back(r->row); break;
        case Feed::kMigrant: p.migrant.push_back(r->row); break;
        case Feed::kSocial: p.social.push_back(r->row); break;
        case Feed::kRoll: p.roll.push_back(r->row); break;
        case Feed::kRights: p.rights.push_back(r->row); break;
        case Feed::kDistricts: break;
      }
    }
    const Date e = cfg_.election_day;
    // Authoritative hukou: normal and in scope, then normal, then any; ties by record_id.
    auto hukou_rank = [&](uint32_t row) {
      const HukouRecord& h = data_.hukou[row];
      const bool normal = h.status == HukouStatus::kNormal;
      return normal && RegionWithin(h.region, cfg_.scope) ? 0 : normal ? 1 : 2;
    };
    for (uint32_t row : p.hukou) {
      const HukouRecord& h = data_.hukou[row];
      if (p.auth_hukou < 0 || hukou_rank(row) < hukou_rank(p.auth_hukou) ||
          (hukou_rank(row) == hukou_rank(p.auth_hukou) && RidLess(Feed::kHukou, row, p.auth_hukou))) {
        p.auth_hukou = static_cast<int>(row);
      }
      if (h.status == HukouStatus::kDeceased) p.alive = false;
      if (h.status == HukouStatus::kNormal && RegionWithin(h.region, cfg_.scope)) {
        p.hukou_in_scope = true;
        if (p.scope_hukou < 0 || RidLess(Feed::kHukou, row, p.scope_hukou)) p.scope_hukou = static_cast<int>(row);
      }
    }
    for (uint32_t row : p.migrant) {
      const MigrantRecord& m = data_.migrant[row];
      if (RegionWithin(m.residence_region, cfg_.scope) && !(m.expiry_date.known() && m.expiry_date < e)) {
        p.resides_in_scope = true;
        if (p.scope_migrant < 0 || RidLess(Feed::kMigrant, row, p.scope_migrant)) p.scope_migrant = static_cast<int>(row);
      }
    }
    for (uint32_t row : p.social) {
      const SocialRecord& s = data_.social[row];
      if (s.status == SocialStatus::kActive && RegionWithin(s.insured_region, cfg_.scope)) {
        p.works_in_scope = true;
        if (p.scope_social < 0 || RidLess(Feed::kSocial, row, p.scope_social)) p.scope_social = static_cast<int>(row);
      }
    }
    for (uint32_t row : p.rights) {
      if (RightsCover(data_.rights[row], e)) {
        p.has_rights = false;
        if (p.covering_rights < 0) p.covering_rights = static_cast<int>(row);
      }
    }
    // Authoritative identity: hukou; else migrant, social, the ID's own
    // encoding, then the registration.
    std::vector<const PersonFields*> chain;
    if (p.auth_hukou >= 0) chain.push_back(&data_.hukou[p.auth_hukou]);
    for (uint32_t row : p.hukou) if (static_cast<int>(row) != p.auth_hukou) chain.push_back(&data_.hukou[row]);
    const size_t n_hukou = chain.size();
    for (uint32_t row : p.migrant) chain.push_back(&data_.migrant[row]);
    for (uint32_t row : p.social) chain.push_back(&data_.social[row]);
    const size_t n_sources = chain.size();
    for (uint32_t row : p.roll) chain.push_back(&data_.roll[row]);
    for (uint32_t row : p.rights) chain.push_back(&data_.rights[row]);
    auto pick = [&](auto has, auto take) {
      // With a hukou record, only hukou records (then their IDs) count.
      const size_t first_end = n_hukou > 0 ? n_hukou : n_sources;
      for (size_t i = 0; i < first_end; ++i) if (has(*chain[i], false)) return take(*chain[i], false);
      for (size_t i = 0; i < chain.size(); ++i) if (has(*chain[i], true)) return take(*chain[i], true);
      for (size_t i = first_end; i < chain.size(); ++i) if (has(*chain[i], false)) return take(*chain[i], false);
      return take(*chain[0], false);  // nothing known: an empty value
    };
    RM_DCHECK(!chain.empty());
    for (const PersonFields* f : chain) {
      if (f->id.valid()) { p.id = f->id.text(); break; }
    }
    if (p.id.empty() && n_hukou > 0) p.id = chain[0]->id.text();
    for (const PersonFields* f : chain) {
      if (!f->name.empty()) { p.name = f->name; break; }
    }
    p.birth = pick(
        [](const PersonFields& f, bool encoded) {
          return encoded ? f.id.valid() && f.id.EncodedBirthDate().known() : f.birth_date.known();
        },
        [](const PersonFields& f, bool encoded) { return encoded ? f.id.EncodedBirthDate() : f.birth_date; });
    p.gender = pick(
        [](const PersonFields& f, bool encoded) {
          return encoded ? f.id.valid() : f.gender != Gender::kUnknown;
        },
        [](const PersonFields& f, bool encoded) { return encoded ? f.id.EncodedGender() : f.gender; });
    if (p.birth.known()) p.of_age = p.birth.AddYearsForBirthday(18) <= e;
    p.eligible = p.of_age && p.alive && p.has_rights && (p.hukou_in_scope || p.resides_in_scope);

    // Acceptable districts.
    for (uint32_t row : p.hukou) {
      const HukouRecord& h = data_.hukou[row];
      if (h.status == HukouStatus::kNormal && RegionWithin(h.region, cfg_.scope))
        AddCovering(h.region, DistrictKind::kArea, &p.acceptable);
    }
    for (uint32_t row : p.migrant) {
      const MigrantRecord& m = data_.migrant[row];
      if (RegionWithin(m.residence_region, cfg_.scope) && !(m.expiry_date.known() && m.expiry_date < e))
        AddCovering(m.residence_region, DistrictKind::kArea, &p.acceptable);
    }
    for (uint32_t row : p.social) {
      const SocialRecord& s = data_.social[row];
      if (s.status == SocialStatus::kActive && RegionWithin(s.insured_region, cfg_.scope))
        AddCovering(s.insured_region, DistrictKind::kUnit, &p.acceptable);
    }
    std::sort(p.acceptable.begin(), p.acceptable.end());
    p.acceptable.erase(std::unique(p.acceptable.begin(), p.acceptable.end()), p.acceptable.end());
    for (uint32_t row : p.roll) {
      if (RollInScope(row)) p.roll_in_scope.push_back(row);
    }
    return p;
  }

  bool Acceptable(const PersonFacts& p, uint32_t roll_row) const {
    auto it = data_.district_index.find(data_.roll[roll_row].district_code.str());
    if (it == data_.district_index.end()) return false;
    return std::binary_search(p.acceptable.begin(), p.acceptable.end(), it->second);
  }

  // The eligibility flag of one registration (at most one), if any.
  std::optional<FlagCode> EligibilityCode(const PersonFacts& p, uint32_t roll_row) const {
    if (p.hukou.empty() && p.migrant.empty() && p.social.empty()) return FlagCode::kWrongNotFound;
    if (!p.alive) return FlagCode::kWrongDeceased;
    if (!p.has_rights) return FlagCode::kWrongNoRights;
    if (!p.of_age) return FlagCode::kWrongUnderage;
    if (!p.hukou_in_scope && !p.resides_in_scope) return FlagCode::kWrongMovedOut;
    if (!Acceptable(p, roll_row)) return FlagCode::kWrongDistrict;
    return std::nullopt;
  }

  std::vector<FieldDiff> DetailDiffs(const PersonFacts& p, uint32_t roll_row) const {
    std::vector<FieldDiff> diffs;
    const RollRecord& reg = data_.roll[roll_row];
    const FeedTable& t = data_.table(Feed::kRoll);
    if (p.auth_hukou >= 0) {
      const HukouRecord& h = data_.hukou[p.auth_hukou];
      if (reg.id.text() != h.id.text()) diffs.push_back({"id_number", std::string(reg.id.text()), std::string(h.id.text())});
      if (!reg.name.empty() && reg.name != h.name) {
        bool former = false;
        for (uint32_t row : p.hukou) {
          const HukouRecord& x = data_.hukou[row];
          if (x.name == reg.name ||
              std::find(x.former_names.begin(), x.former_names.end(), reg.name) != x.former_names.end())
            former = true;
        }
        if (!former) diffs.push_back({"name", reg.name.str(), h.name.str()});
      }
      const Date auth_birth = p.birth;
      if (reg.birth_date.known()) {
        if (auth_birth.known() && reg.birth_date != auth_birth)
          diffs.push_back({"birth_date", reg.birth_date.ToString(), auth_birth.ToString()});
      } else if (!Trim(t.Get(roll_row, roll_field::kBirthDate)).empty()) {
        diffs.push_back({"birth_date", std::string(Trim(t.Get(roll_row, roll_field::kBirthDate))), auth_birth.ToString()});
      }
      if (reg.gender != Gender::kUnknown && p.gender != Gender::kUnknown && reg.gender != p.gender)
        diffs.push_back({"gender", std::string(GenderWord(reg.gender)), std::string(GenderWord(p.gender))});
      return diffs;
    }
    // Without a hukou record: only what the registration's own ID tells.
    if (reg.id.status == IdStatus::kBadCheck) {
      std::string suggestion;
      for (uint32_t row : p.migrant) if (suggestion.empty() && data_.migrant[row].id.valid()) suggestion = data_.migrant[row].id.text();
      for (uint32_t row : p.social) if (suggestion.empty() && data_.social[row].id.valid()) suggestion = data_.social[row].id.text();
      for (uint32_t row : p.rights) if (suggestion.empty() && data_.rights[row].id.valid()) suggestion = data_.rights[row].id.text();
      diffs.push_back({"id_number", std::string(reg.id.text()), suggestion});
    }
    if (reg.id.valid()) {
      const Date enc = reg.id.EncodedBirthDate();
      if (reg.birth_date.known() && enc.known() && reg.birth_date != enc)
        diffs.push_back({"birth_date", reg.birth_date.ToString(), enc.ToString()});
      const Gender g = reg.id.EncodedGender();
      if (reg.gender != Gender::kUnknown && reg.gender != g)
        diffs.push_back({"gender", std::string(GenderWord(reg.gender)), std::string(GenderWord(g))});
    }
    return diffs;
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  }

  // Source records of the person (hukou, migrant, social, rights), in that order.
  void AppendSources(const PersonFacts& p, std::vector<RecordRef>* out) const {
    for (uint32_t row : p.hukou) out->push_back({Feed::kHukou, row});
    for (uint32_t row : p.migrant) out->push_back({Feed::kMigrant, row});
    for (uint32_t row : p.social) out->push_back({Feed::kSocial, row});
    for (uint32_t row : p.rights) out->push_back({Feed::kRights, row});
  }

  Flag MakeFlag(FlagCode code, PersonId person, const PersonFacts& p, RecordRef subject,
                std::vector<RecordRef> registrations) const {
    Flag f;
    f.code = code;
    f.person = person;
    f.subject = subject;
    f.records = std::move(registrations);
    AppendSources(p, &f.records);
    f.summary.id_number = p.id;
    f.summary.name = p.name;
    f.summary.birth_date = p.birth.ToString();
    f.summary.gender = std::string(GenderWord(p.gender));
    double conf = 1.0;
    for (const RecordRef& r : f.records) {
      const LinkExplanation& why = res_.link_of(r);
      f.evidence.links.push_back({r, why});
      LinkExplanation& copy = f.evidence.links.back().why;
      if (copy.words.empty()) {
        copy.words = copy.has_levels ? ExplainLink(copy.levels, data_.person_fields(r).name,
                                                   data_.person_fields(copy.anchor).name, copy.confidence, true)
                                     : "未与其他记录关联";
      }
      conf = std::min(conf, why.confidence);
    }
    f.confidence = conf;
    if (subject.feed == Feed::kRoll) {
      f.township = RollTownship(subject.row);
      f.village = data_.roll[subject.row].region;
      f.district = data_.roll[subject.row].district_code;
    }
    return f;
  }

  std::string DistrictNames(const std::vector<uint32_t>& idx) const {
    std::string s;
    for (uint32_t i : idx) {
      if (!s.empty()) s += "、";
      s += data_.districts[i].code;
      if (!data_.districts[i].name.empty()) s += "（" + data_.districts[i].name + "）";
    }
    return s;
  }

  std::string EligibilityWords(FlagCode code, const PersonFacts& p, uint32_t roll_row) const {
    const std::string e = cfg_.election_day.ToString();
    switch (code) {
      case FlagCode::kWrongNotFound:
        return "户籍、流动人口、社保数据中均未找到与此登记匹配的人员";
      case FlagCode::kWrongDeceased: {
        const HukouRecord* dead = nullptr;
        for (uint32_t row : p.hukou) if (data_.hukou[row].status == HukouStatus::kDeceased) dead = &data_.hukou[row];
        std::string s = "户籍状态为死亡";
        if (dead && dead->status_date.known()) s += "（" + dead->status_date.ToString() + "）";
        return s;
      }
      case FlagCode::kWrongNoRights: {
        const RightsRecord& q = data_.rights[p.covering_rights];
        std::string from = q.from.known() ? q.from.ToString() : "不限";
        std::string to = q.to.known() ? q.to.ToString() : "不限";
        return "选举日" + e + "在选举权利限制期内（" + from + " 至 " + to + "）";
      }
      case FlagCode::kWrongUnderage:
        return "出生日期" + p.birth.ToString() + "，" + p.birth.AddYearsForBirthday(18).ToString() +
               "满十八周岁，晚于选举日" + e;
      case FlagCode::kWrongMovedOut:
        return "本地无正常户籍（已迁出或注销），也无有效的本地居住登记";
      case FlagCode::kWrongDistrict: {
        const District* d = DistrictOf(roll_row);
        std::string s = d ? "登记选区" + d->code + "不是此人可登记的选区" : "登记的选区编码" + data_.roll[roll_row].district_code + "不存在";
        s += p.acceptable.empty() ? "；本地无可登记选区" : "；可登记选区：" + DistrictNames(p.acceptable);
        return s;
      }
      default: return "";
    }
  }

  void Judge1(PersonId person, const PersonFacts& p, std::vector<Flag>* out) const {
    std::vector<bool> has_elig(p.roll_in_scope.size(), false);
    for (size_t i = 0; i < p.roll_in_scope.size(); ++i) {
      const uint32_t row = p.roll_in_scope[i];
      const RecordRef reg{Feed::kRoll, row};
      if (auto code = EligibilityCode(p, row)) {
        has_elig[i] = true;
        Flag f = MakeFlag(*code, person, p, reg, {reg});
        if (*code == FlagCode::kWrongNoRights) f.evidence.kind = data_.rights[p.covering_rights].kind;
        if (*code == FlagCode::kWrongDistrict) {
          for (uint32_t d : p.acceptable) f.evidence.acceptable_districts.push_back(data_.districts[d].code);
          f.evidence.registered_district = data_.roll[row].district_code;
        }
        if (*code == FlagCode::kWrongNotFound) f.confidence = NotFoundConfidence(row);
        f.evidence.words = EligibilityWords(*code, p, row);
        out->push_back(std::move(f));
      }
      std::vector<FieldDiff> diffs = DetailDiffs(p, row);
      if (!diffs.empty()) {
        Flag f = MakeFlag(FlagCode::kWrongDetails, person, p, reg, {reg});
        std::string words;
        for (const FieldDiff& d : diffs) {
          if (!words.empty()) words += "；";
          words += FieldWord(d.field) + "：登记为“" + d.registered + "”，应为“" + d.authoritative + "”";
        }
        f.evidence.fields = std::move(diffs);
        f.evidence.words = std::move(words);
        out->push_back(std::move(f));
      }
    }
    if (p.roll_in_scope.size() >= 2) {
      std::vector<size_t> order(p.roll_in_scope.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      auto key = [&](size_t i) {
        const uint32_t row = p.roll_in_scope[i];
        const Date d = data_.roll[row].registered_date;
        return std::make_tuple(has_elig[i] ? 1 : 0, Acceptable(p, row) ? 0 : 1, d.known() ? d.days() : INT32_MAX,
                               Rid(Feed::kRoll, row));
      };
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
      std::vector<RecordRef> regs;
      for (size_t i : order) regs.push_back({Feed::kRoll, p.roll_in_scope[i]});
      const RecordRef keep = regs.front();
      Flag f = MakeFlag(FlagCode::kDuplicate, person, p, keep, regs);
      f.keep = keep;
      std::string words = "同一人登记" + std::to_string(regs.size()) + "次：";
      for (size_t i = 0; i < regs.size(); ++i) {
        if (i) words += "、";
        words += std::string(Rid(Feed::kRoll, regs[i].row)) + "（选区" + data_.roll[regs[i].row].district_code + "）";
        f.townships.push_back(RollTownship(regs[i].row));
      }
      words += "；建议保留" + std::string(Rid(Feed::kRoll, keep.row));
      f.evidence.words = std::move(words);
      out->push_back(std::move(f));
    }
    if (!p.roll_in_scope.empty()) return;
    if (p.eligible && p.hukou_in_scope) {
      const RecordRef subject{Feed::kHukou, static_cast<uint32_t>(p.scope_hukou)};
      Flag f = MakeFlag(FlagCode::kMissingEligible, person, p, subject, {});
      const HukouRecord& h = data_.hukou[p.scope_hukou];
      f.township = std::string(TownshipOf(h.region));
      f.village = h.region;
      f.evidence.reason = MissingReason(p, h);
      f.evidence.words = "符合登记条件，户籍在本地（" + h.region + "），未登记：" + ReasonWord(f.evidence.reason);
      out->push_back(std::move(f));
    } else if (p.of_age && p.alive && p.has_rights && !p.hukou_in_scope && (p.resides_in_scope || p.works_in_scope)) {
      RecordRef subject = p.resides_in_scope ? RecordRef{Feed::kMigrant, static_cast<uint32_t>(p.scope_migrant)}
                                             : RecordRef{Feed::kSocial, static_cast<uint32_t>(p.scope_social)};
      Flag f = MakeFlag(FlagCode::kMissingMigrant, person, p, subject, {});
      const Text region = p.resides_in_scope ? data_.migrant[p.scope_migrant].residence_region
                                             : data_.social[p.scope_social].insured_region;
      f.township = std::string(TownshipOf(region));
      f.village = region;
      f.evidence.words = p.resides_in_scope ? "户籍不在本地，现居住在本地（" + region + "），未在本地登记；可能已在户籍地登记，请联系本人"
                                            : "户籍不在本地，在本地参保工作（" + region + "），未在本地登记；可能已在户籍地登记，请联系本人";
      out->push_back(std::move(f));
    }
  }

  std::string MissingReason(const PersonFacts& p, const HukouRecord& h) const {
    for (uint32_t row : p.rights) {
      if (data_.rights[row].to.known() && data_.rights[row].to < cfg_.election_day) return "rights_restored";
    }
    if (cfg_.previous_election_day.known()) {
      if (p.birth.known() && p.birth.AddYearsForBirthday(18) > cfg_.previous_election_day) return "new_adult";
      if (h.status_date.known() && h.status_date > cfg_.previous_election_day) return "moved_in";
    }
    return "other";
  }

  static std::string ReasonWord(const std::string& reason) {
    if (reason == "rights_restored") return "恢复政治权利（三增）";
    if (reason == "new_adult") return "新满十八周岁（三增）";
    if (reason == "moved_in") return "新迁入（三增）";
    return "其他原因漏登";
  }

  static std::string FieldWord(const std::string& field) {
    if (field == "id_number") return "身份证号";
    if (field == "name") return "姓名";
    if (field == "birth_date") return "出生日期";
    if (field == "gender") return "性别";
    return field;
  }

  double NotFoundConfidence(uint32_t roll_row) const {
    // A registration with a valid ID that no feed knows is very likely not
    // found; without a valid ID a typo may hide the person.
    return data_.roll[roll_row].id.valid() ? 0.95 : 0.8;
  }

 private:
  const Dataset& data_;
  const Resolution& res_;
  const RuleConfig& cfg_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_township_;  // township → districts
  std::vector<uint32_t> coarse_;  // districts listing a code coarser than (or outside) their township
};

std::string FlagFingerprint(const Dataset& data, const Flag& f) {
  // code + the registrations (or the subject for missing flags): stable
  // night after night while the finding stands. The hashed text is
  // "CODE|roll:id|roll:id…" (ids sorted) or "CODE|feed:id".
  std::string key(FlagCodeName(f.code));
  if (f.code == FlagCode::kDuplicate) {
    std::vector<std::string_view> ids;
    ids.reserve(f.records.size());
    for (const RecordRef& r : f.records) {
      if (r.feed == Feed::kRoll) ids.push_back(data.record_id(r));
    }
    std::sort(ids.begin(), ids.end());  // as "roll:" + id would sort: a common prefix
    for (std::string_view id : ids) key.append("|roll:").append(id);
  } else {
    key.append("|").append(FeedName(f.subject.feed)).append(":").append(data.record_id(f.subject));
  }
  return HashHex(Hash64(key));
}

// The fields of a flag that Judge1 leaves open: its fingerprint, and the
// townships (a duplicate's from the registration kept).
void FinishFlag(const Dataset& data, const Judge& judge, Flag* f) {
  f->flag_id = FlagFingerprint(data, *f);
  if (f->code == FlagCode::kDuplicate) {
    f->township = judge.RollTownship(f->keep->row);
    f->village = data.roll[f->keep->row].region;
    f->district = data.roll[f->keep->row].district_code;
    std::sort(f->townships.begin(), f->townships.end());
    f->townships.erase(std::unique(f->townships.begin(), f->townships.end()), f->townships.end());
    // The attributed township first.
    auto it = std::find(f->townships.begin(), f->townships.end(), f->township);
    if (it != f->townships.end()) std::rotate(f->townships.begin(), it, it + 1);
  } else {
    f->townships = {f->township};
  }
}

// A flag's place in the output: category (wrong, duplicate, missing),
// township, code, subject record id; then the subject's feed and row, so
// that the order is total (a record id may repeat across feeds) and the
// same whatever the number of threads.
struct FlagOrder {
  int category = 0;
  std::string_view township;
  int code = 0;
  std::string_view record_id;
  int feed = 0;
  uint32_t row = 0;
  Flag* flag = nullptr;

  static FlagOrder Of(const Dataset& data, Flag* f) {
    const std::string_view category = FlagCategory(f->code);
    return FlagOrder{category == "wrong" ? 0 : category == "duplicate" ? 1 : 2, f->township,
                     static_cast<int>(f->code), data.record_id(f->subject), static_cast<int>(f->subject.feed),
                     f->subject.row, f};
  }
  friend bool operator<(const FlagOrder& a, const FlagOrder& b) {
    if (a.category != b.category) return a.category < b.category;
    if (int c = a.township.compare(b.township)) return c < 0;
    if (a.code != b.code) return a.code < b.code;
    if (int c = a.record_id.compare(b.record_id)) return c < 0;
    if (a.feed != b.feed) return a.feed < b.feed;
    return a.row < b.row;
  }
};

// Eligible persons of one region code, as the records spell it.
struct PersonTally {
  uint64_t eligible_hukou = 0, registered_hukou = 0, eligible_migrant = 0, registered_migrant = 0;
};

// What one thread gathers from the persons it judges. The region codes
// are views into the dataset.
struct PersonsPart {
  std::vector<Flag> flags;
  uint64_t persons = 0, eligible_persons = 0;
  std::unordered_map<std::string_view, PersonTally> regions;
};

// What one thread counts of the roll records: in-scope records by township
// and by village (12 digits), both within the scope.
struct RollPart {
  uint64_t in_scope = 0, out_of_scope = 0;
  std::unordered_map<std::string_view, uint64_t> townships, villages;
};

using FlagCounts = std::array<uint64_t, kNumFlagCodes>;

// What one thread counts of the flags: by township and by village, both
// within the scope; MISSING_ELIGIBLE by reason.
struct FlagsPart {
  FlagCounts all = {};
  std::unordered_map<std::string_view, FlagCounts> townships, villages;
  uint64_t rights_restored = 0, new_adult = 0, moved_in = 0, other = 0;
};

}  // namespace

RulesOutput ApplyRules(const Dataset& data, const Resolution& res, const RuleConfig& cfg) {
  RulesOutput out;
  const PersonIndex index = PersonIndex::Build(data, res);
  const Judge judge(data, res, cfg);
  const uint32_t n = res.num_persons;
  tbb::enumerable_thread_specific<PersonsPart> persons_parts;
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, 1024), [&](const tbb::blocked_range<uint32_t>& range) {
    PersonsPart& part = persons_parts.local();
    for (uint32_t person = range.begin(); person != range.end(); ++person) {
      const RecordRef* b = index.records.data() + index.offsets[person];
      const RecordRef* e = index.records.data() + index.offsets[person + 1];
      if (b == e) continue;
      part.persons++;
      PersonFacts p = judge.Facts(b, e);
      const size_t first = part.flags.size();
      judge.Judge1(person, p, &part.flags);
      for (size_t i = first; i < part.flags.size(); ++i) FinishFlag(data, judge, &part.flags[i]);
      if (!p.eligible) continue;
      part.eligible_persons++;
      const bool registered = !p.roll_in_scope.empty();
      if (p.hukou_in_scope) {
        const std::string_view code = data.hukou[p.scope_hukou].region;
        if (!RegionWithin(code, cfg.scope)) continue;
        PersonTally& t = part.regions[code];
        t.eligible_hukou++;
        if (registered) t.registered_hukou++;
      } else if (p.scope_migrant >= 0) {
        const std::string_view code = data.migrant[p.scope_migrant].residence_region;
        if (!RegionWithin(code, cfg.scope)) continue;
        PersonTally& t = part.regions[code];
        t.eligible_migrant++;
        if (registered) t.registered_migrant++;
      }
    }
  });

  // The flags in their order: sort small keys, then move each flag once.
  std::vector<PersonsPart*> parts;
  size_t num_flags = 0;
  for (PersonsPart& part : persons_parts) {
    parts.push_back(&part);
    num_flags += part.flags.size();
  }
  std::vector<FlagOrder> order(num_flags);
  for (size_t i = 0, base = 0; i < parts.size(); base += parts[i]->flags.size(), ++i) {
    std::vector<Flag>& flags = parts[i]->flags;
    tbb::parallel_for(tbb::blocked_range<size_t>(0, flags.size(), 4096), [&, base](const tbb::blocked_range<size_t>& r) {
      for (size_t j = r.begin(); j != r.end(); ++j) order[base + j] = FlagOrder::Of(data, &flags[j]);
    });
  }
  // The output's fresh memory is touched while the keys sort.
  tbb::parallel_invoke([&] { tbb::parallel_sort(order.begin(), order.end()); },
                       [&] { out.flags.resize(num_flags); });
  tbb::parallel_for(tbb::blocked_range<size_t>(0, num_flags, 1024), [&](const tbb::blocked_range<size_t>& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) out.flags[i] = std::move(*order[i].flag);
  });
  tbb::parallel_for_each(parts.begin(), parts.end(), [](PersonsPart* part) { std::vector<Flag>().swap(part->flags); });

  // Statistics, counted by region code in parallel and then added up.
  tbb::enumerable_thread_specific<RollPart> roll_parts;
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, static_cast<uint32_t>(data.roll.size()), 4096),
                    [&](const tbb::blocked_range<uint32_t>& range) {
    RollPart& part = roll_parts.local();
    for (uint32_t r = range.begin(); r != range.end(); ++r) {
      // As Judge::RollInScope and Judge::RollTownship, finding the district once.
      const District* d = judge.DistrictOf(r);
      const std::string_view region = data.roll[r].region;
      if (!(d ? RegionWithin(d->township, cfg.scope) : RegionWithin(region, cfg.scope))) {
        part.out_of_scope++;
        continue;
      }
      part.in_scope++;
      const std::string_view t = d ? std::string_view(d->township) : TownshipOf(region);
      if (RegionWithin(t, cfg.scope)) part.townships[t]++;
      if (region.size() == 12 && RegionWithin(region, cfg.scope)) part.villages[region]++;
    }
  });
  tbb::enumerable_thread_specific<FlagsPart> flags_parts;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, out.flags.size(), 4096), [&](const tbb::blocked_range<size_t>& range) {
    FlagsPart& part = flags_parts.local();
    for (size_t i = range.begin(); i != range.end(); ++i) {
      const Flag& f = out.flags[i];
      const int c = static_cast<int>(f.code);
      part.all[c]++;
      if (RegionWithin(f.township, cfg.scope)) part.townships[f.township][c]++;
      if (f.village.size() == 12 && RegionWithin(f.village, cfg.scope)) part.villages[f.village][c]++;
      if (f.code == FlagCode::kMissingEligible) {
        const std::string& reason = f.evidence.reason;
        if (reason == "rights_restored") part.rights_restored++;
        else if (reason == "new_adult") part.new_adult++;
        else if (reason == "moved_in") part.moved_in++;
        else part.other++;
      }
    }
  });

  // Level ranks: 0 scope, 1 county (only for a scope wider than a county:
  // a province-wide run, issue 6), 2 township, 3 village.
  std::map<std::pair<int, std::string>, RegionStats> rows;  // (level rank, code)
  auto row = [&](int level, std::string_view code) -> RegionStats* {
    if (code.empty()) return nullptr;
    auto [it, inserted] = rows.try_emplace({level, std::string(code)});
    if (inserted) {
      it->second.region_code = code;
      it->second.level = level == 0 ? "scope" : level == 1 ? "county" : level == 2 ? "township" : "village";
    }
    return &it->second;
  };
  const bool county_rows = cfg.scope.size() < 6;
  // The county row of a region code within the scope, or nullptr.
  auto county_row = [&](std::string_view code) -> RegionStats* {
    if (!county_rows || code.size() < 6 || !RegionWithin(code, cfg.scope)) return nullptr;
    return row(1, code.substr(0, 6));
  };
  // Rows for each region of `code` (scope, county, township, village when 12 digits).
  auto each = [&](std::string_view code, auto fn) {
    if (!RegionWithin(code, cfg.scope)) return;
    fn(row(0, cfg.scope));
    if (RegionStats* c = county_row(code)) fn(c);
    if (code.size() >= 9) fn(row(2, code.substr(0, 9)));
    if (code.size() == 12) fn(row(3, code));
  };
  row(0, cfg.scope);
  for (const District& d : data.districts) {
    if (RegionWithin(d.township, cfg.scope)) {
      county_row(d.township);
      row(2, d.township);
    }
  }
  for (const PersonsPart& part : persons_parts) {
    out.persons += part.persons;
    out.eligible_persons += part.eligible_persons;
    for (const auto& entry : part.regions) {
      const auto& t = entry.second;  // not a structured binding: clang 14 cannot capture those
      each(entry.first, [&](RegionStats* r) {
        r->eligible_hukou += t.eligible_hukou;
        r->registered_hukou += t.registered_hukou;
        r->eligible_migrant += t.eligible_migrant;
        r->registered_migrant += t.registered_migrant;
      });
    }
  }
  for (const RollPart& part : roll_parts) {
    out.roll_in_scope += part.in_scope;
    out.roll_out_of_scope += part.out_of_scope;
    row(0, cfg.scope)->roll_records += part.in_scope;
    for (const auto& [t, count] : part.townships) {
      if (RegionStats* c = county_row(t)) c->roll_records += count;
      if (t.size() == 9) row(2, t)->roll_records += count;
    }
    for (const auto& [v, count] : part.villages) row(3, v)->roll_records += count;
  }
  for (const FlagsPart& part : flags_parts) {
    RegionStats* scope = row(0, cfg.scope);
    for (int c = 0; c < kNumFlagCodes; ++c) scope->flags[c] += part.all[c];
    for (const auto& [t, counts] : part.townships) {
      RegionStats* county = county_row(t);
      RegionStats* township = t.size() == 9 ? row(2, t) : nullptr;
      for (int c = 0; c < kNumFlagCodes; ++c) {
        if (county) county->flags[c] += counts[c];
        if (township) township->flags[c] += counts[c];
      }
    }
    for (const auto& [v, counts] : part.villages) {
      RegionStats* village = row(3, v);
      for (int c = 0; c < kNumFlagCodes; ++c) village->flags[c] += counts[c];
    }
    out.increase_rights_restored += part.rights_restored;
    out.increase_new_adult += part.new_adult;
    out.increase_moved_in += part.moved_in;
    out.increase_other += part.other;
  }
  for (auto& [key, stats] : rows) out.stats.push_back(std::move(stats));
  return out;
}

}  // namespace rollmatch
