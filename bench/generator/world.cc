#include "bench/generator/world.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace rollmatch::gen {

// ---------------------------------------------------------------- districts

void DistrictTable::Index() {
  by_code.clear();
  by_region.clear();
  by_township.clear();
  for (size_t i = 0; i < districts.size(); ++i) {
    by_code[districts[i].code] = i;
    by_township[districts[i].township].push_back(i);
    for (const auto& r : districts[i].regions) by_region[r].push_back(i);
  }
}

const District* DistrictTable::Find(const std::string& code) const {
  auto it = by_code.find(code);
  return it == by_code.end() ? nullptr : &districts[it->second];
}

void DistrictTable::Covering(const std::string& region, bool unit, std::vector<size_t>& out) const {
  const std::vector<size_t>* list = nullptr;
  if (region.size() == 12) {
    auto it = by_region.find(region);
    if (it != by_region.end()) list = &it->second;
  } else if (region.size() == 9) {
    auto it = by_township.find(region);
    if (it != by_township.end()) list = &it->second;
  }
  if (!list) return;
  for (size_t i : *list)
    if (districts[i].unit == unit && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
}

// ---------------------------------------------------------------- world

World World::Build(const GenConfig& cfg) {
  World w;
  w.cfg = cfg;
  w.scope_county = cfg.scope.substr(0, 6);
  w.ref = ReferenceData::Load(cfg.data_dir, w.scope_county);
  Rng rng(HashMix(cfg.seed, 0xD157));
  for (const auto& t : w.ref.townships) {
    // The unit district sits in the township's first residents' committee
    // (集镇社区, where the government units are), else its first village.
    std::string unit_village = t.villages[0].code;
    for (const auto& v : t.villages)
      if (v.code[9] == '0' || v.code[9] == '1') {
        unit_village = v.code;
        break;
      }
    int n = 0;
    const size_t max_area = 89;
    size_t i = 0;
    while (i < t.villages.size()) {
      size_t size = static_cast<size_t>(rng.Range(1, 4));
      const size_t left_districts = max_area - static_cast<size_t>(n);
      const size_t left = t.villages.size() - i;
      if (left_districts <= 1) size = left;
      else size = std::max(size, (left + left_districts - 1) / left_districts);
      size = std::min(size, left);
      District d;
      ++n;
      char num[16];
      snprintf(num, sizeof num, "%02d", n);
      d.code = t.code + num;
      d.name = t.name + "第" + std::to_string(n) + "选区";
      d.township = t.code;
      for (size_t k = 0; k < size; ++k) {
        d.regions.push_back(t.villages[i + k].code);
        w.area_of_village[t.villages[i + k].code] = w.districts.districts.size();
      }
      i += size;
      w.districts.districts.push_back(d);
    }
    District u;
    u.code = t.code + "90";
    u.name = t.name + "机关单位选区";
    u.township = t.code;
    u.unit = true;
    u.regions.push_back(unit_village);
    w.unit_village[t.code] = unit_village;
    w.unit_of_township[t.code] = w.districts.districts.size();
    w.districts.districts.push_back(u);
    // 街道 (sub-districts, 0xx) are denser.
    w.township_w.Add(static_cast<double>(t.villages.size()) * (t.code[6] == '0' ? 2.0 : 1.0));
  }
  w.districts.Index();
  uint64_t max_rows = cfg.persons * 2 + 1000;
  int digits = 1;
  while (max_rows >= 10) {
    max_rows /= 10;
    ++digits;
  }
  w.record_id_width = std::max(8, digits);
  return w;
}

std::string World::RecordId(Feed f, uint64_t rid) const {
  char buf[32];
  snprintf(buf, sizeof buf, "%c%0*llu", kFeedPrefix[f], record_id_width, static_cast<unsigned long long>(rid));
  return buf;
}

// ---------------------------------------------------------------- IDs

std::string IdAllocator::Allocate(int region6, int birth, uint8_t gender) {
  const auto& alt = world_.ref.same_province;
  for (int attempt = 0;; ++attempt) {
    int region = region6;
    if (attempt > 0) region = alt[SplitMix64(static_cast<uint64_t>(region6) * 131 + attempt) % alt.size()].code;
    const uint64_t key = ((static_cast<uint64_t>(region) * 100000000ULL + static_cast<uint64_t>(birth)) << 1) | (gender == 1 ? 1 : 0);
    uint32_t& n = used_[key];
    const uint32_t slots = gender == 1 ? 500 : 499;
    if (n >= slots) continue;
    const uint32_t start = static_cast<uint32_t>(HashMix(world_.cfg.seed, key) % slots);
    const uint32_t k = (start + n) % slots;
    ++n;
    return MakeId(region, birth, gender == 1 ? static_cast<int>(1 + 2 * k) : static_cast<int>(2 + 2 * k));
  }
}

void AssignIds(const World& world, Chunk& chunk, IdAllocator& ids, std::array<uint64_t, kNumFeeds>& next_rid) {
  for (auto& p : chunk.persons) {
    p.id = ids.Allocate(p.id_region, p.birth, p.gender);
    for (auto& r : p.roll)
      if (r.v.id_plan == IdPlan::kOtherValid) r.v.id = ids.Allocate(p.id_region, p.birth, p.gender);
  }
  for (int f = 0; f < kNumFeeds; ++f) {
    for (const Row& row : chunk.rows[f]) {
      const uint64_t rid = ++next_rid[f];
      if (row.broken) {
        chunk.broken[row.person].rid = rid;
        continue;
      }
      Person& p = chunk.persons[row.person];
      switch (f) {
        case kHukou: p.hukou[row.index].rid = rid; break;
        case kMigrant: p.migrant[row.index].rid = rid; break;
        case kSocial: p.social[row.index].rid = rid; break;
        case kRoll: p.roll[row.index].rid = rid; break;
        case kRights: p.rights[row.index].rid = rid; break;
      }
    }
  }
}

namespace {

void ResolveOne(const World& w, const Person& p, Ident& v, uint64_t salt) {
  switch (v.id_plan) {
    case IdPlan::kTrue: v.id = p.id; return;
    case IdPlan::kEmpty: v.id.clear(); return;
    case IdPlan::kOtherValid: return;  // allocated by AssignIds
    case IdPlan::kSubstitution:
    case IdPlan::kTransposition: break;
  }
  Rng rng(HashMix(w.cfg.seed ^ 0x1D, p.pid * 64 + salt));
  std::string id = p.id;
  if (v.id_plan == IdPlan::kTransposition) {
    for (int tries = 0; tries < 40; ++tries) {
      const size_t i = rng.Below(16);
      if (id[i] != id[i + 1]) {
        std::swap(id[i], id[i + 1]);
        v.id = id;
        return;
      }
    }
  }
  // One digit typed wrong (never the check character, so the check fails).
  const size_t i = rng.Below(17);
  char d;
  do d = static_cast<char>('0' + rng.Below(10));
  while (d == id[i]);
  id[i] = d;
  v.id = id;
}

}  // namespace

void ResolveIdPlans(const World& world, Chunk& chunk) {
  for (auto& p : chunk.persons) {
    for (size_t i = 0; i < p.hukou.size(); ++i) ResolveOne(world, p, p.hukou[i].v, 0 + i);
    for (size_t i = 0; i < p.migrant.size(); ++i) ResolveOne(world, p, p.migrant[i].v, 8 + i);
    for (size_t i = 0; i < p.social.size(); ++i) ResolveOne(world, p, p.social[i].v, 16 + i);
    for (size_t i = 0; i < p.roll.size(); ++i) ResolveOne(world, p, p.roll[i].v, 24 + i);
    for (size_t i = 0; i < p.rights.size(); ++i) ResolveOne(world, p, p.rights[i].v, 32 + i);
  }
}

// ---------------------------------------------------------------- chunks

namespace {

bool StartsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string ShortVillage(const std::string& name) {
  static const std::pair<const char*, const char*> kSuffix[] = {
      {"村村委会", "村"}, {"村村民委员会", "村"}, {"社区居委会", "社区"}, {"村民委员会", "村"},
      {"村委会", "村"},   {"居委会", "社区"},     {"委员会", ""}};
  for (const auto& [suf, rep] : kSuffix) {
    const std::string s(suf);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
      return name.substr(0, name.size() - s.size()) + rep;
  }
  return name;
}

class ChunkGen {
 public:
  ChunkGen(const World& w, Chunk& c)
      : w_(w), ref_(w.ref), cfg_(w.cfg), c_(c), rng_(HashMix(w.cfg.seed, c.index + 1)) {
    e_ = cfg_.election_day;
    p_ = cfg_.previous_election_day;
    e_days_ = DaysFromYmd(e_);
    full_ = cfg_.noise == NoiseLevel::kFull;
    cosmetic_ = cfg_.noise != NoiseLevel::kNone;
    county_ = std::stoi(w.scope_county);
    const int y = YearOf(e_) - 18;
    boundary_ = IsValidYmd(Ymd(y, MonthOf(e_), DayOf(e_))) ? Ymd(y, MonthOf(e_), DayOf(e_)) : Ymd(y, 2, 28);
    for (const auto& t : ref_.townships)
      for (const auto& v : t.villages) village_township_[v.code] = &t;
  }

  void Run();

 private:
  struct Member {
    int age = 0;
    uint8_t gender = 1;
    int role = 0;  // 0 head, 1 spouse, 2 child, 3 grandparent
  };

  void Count(Count k, uint64_t n = 1) { c_.counts[k] += n; }
  int DateBetween(int from, int to) {
    const int64_t a = DaysFromYmd(from), b = DaysFromYmd(to);
    if (b <= a) return from;
    return YmdFromDays(a + static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(b - a + 1))));
  }
  int BirthForAge(int age) {
    return YmdFromDays(e_days_ - static_cast<int64_t>(age) * 365 - age / 4 - static_cast<int64_t>(rng_.Below(365)));
  }
  int AgeAt(int birth) const {
    int a = YearOf(e_) - YearOf(birth);
    if (MonthOf(e_) * 100 + DayOf(e_) < MonthOf(birth) * 100 + DayOf(birth)) --a;
    return a;
  }
  int AdultAge() {
    const double u = rng_.Uniform();
    if (u < 0.15) return static_cast<int>(rng_.Range(22, 29));
    if (u < 0.35) return static_cast<int>(rng_.Range(30, 39));
    if (u < 0.57) return static_cast<int>(rng_.Range(40, 49));
    if (u < 0.77) return static_cast<int>(rng_.Range(50, 59));
    if (u < 0.90) return static_cast<int>(rng_.Range(60, 69));
    return static_cast<int>(rng_.Range(70, 88));
  }
  const Township& PickTownship() { return ref_.townships[w_.township_w.Pick(rng_)]; }
  const Township& OtherTownship(const Township& t) {
    if (ref_.townships.size() == 1) return t;
    for (;;) {
      const Township& o = PickTownship();
      if (o.code != t.code) return o;
    }
  }
  const Village& PickVillage(const Township& t) { return t.villages[rng_.Below(t.villages.size())]; }
  const OtherCounty& PickCounty(double p_city, double p_province) {
    const double u = rng_.Uniform();
    if (u < p_city && !ref_.same_city.empty()) return rng_.Pick(ref_.same_city);
    if (u < p_city + p_province && !ref_.same_province.empty()) return rng_.Pick(ref_.same_province);
    return ref_.other_province[ref_.other_province_w.Pick(rng_)];
  }
  // A village code where known (province 32), else a township code.
  std::string RegionIn(const OtherCounty& c) {
    if (!c.villages.empty()) return rng_.Pick(c.villages);
    return rng_.Pick(c.townships);
  }
  std::string Surname(int* len) {
    const std::string& s = ref_.surnames[ref_.surname_w.Pick(rng_)];
    *len = static_cast<int>(Utf8Decode(s).size());
    return s;
  }
  std::string Given(uint8_t gender, bool two, char32_t first = 0) {
    const int g = gender == 2 ? 1 : 0;
    std::string out;
    if (!two) {
      Utf8Append(out, ref_.name_chars[ref_.single_w[g].Pick(rng_)]);
      return out;
    }
    Utf8Append(out, first ? first : ref_.name_chars[ref_.first_w[g].Pick(rng_)]);
    Utf8Append(out, ref_.name_chars[ref_.second_w[g].Pick(rng_)]);
    return out;
  }
  bool TwoCharGiven(int age) { return rng_.Chance(age >= 50 ? 0.7 : 0.85); }
  std::string Address(const std::string& region) {
    auto it = village_township_.find(region.substr(0, std::min<size_t>(12, region.size())));
    std::string a = ref_.county_name;
    if (it != village_township_.end()) {
      const Township& t = *it->second;
      a += t.name;
      for (const auto& v : t.villages)
        if (v.code == region) a += ShortVillage(v.name);
    } else {
      for (const auto& t : ref_.townships)
        if (t.code == region) a += t.name;
    }
    return a + std::to_string(rng_.Range(1, 220)) + "号";
  }
  std::string TownshipOf(const std::string& region) const { return region.substr(0, 9); }
  const Township* InCountyTownship(const std::string& region) const {
    for (const auto& t : ref_.townships)
      if (StartsWith(region, t.code)) return &t;
    return nullptr;
  }
  std::string DistrictVillage(size_t d) { return rng_.Pick(w_.districts.districts[d].regions); }
  int LastMonth(int ymd, int back_months) {
    int y = YearOf(ymd), m = MonthOf(ymd) - back_months;
    while (m <= 0) {
      m += 12;
      --y;
    }
    return y * 100 + m;
  }
  Ident TrueIdent(const Person& p) {
    Ident v;
    v.name = p.name;
    v.birth = p.birth;
    v.gender = p.gender;
    return v;
  }

  // Same-sound / similar-shape slip in one given-name character.
  bool SlipName(const Person& p, std::string& name, bool shape) {
    if (p.surname_len == 0) return false;
    auto cps = Utf8Decode(name);
    if (static_cast<int>(cps.size()) <= p.surname_len) return false;
    const auto& table = shape ? ref_.same_stroke : ref_.same_pinyin;
    std::vector<size_t> positions;
    for (size_t i = p.surname_len; i < cps.size(); ++i)
      if (table.count(cps[i])) positions.push_back(i);
    if (positions.empty()) return false;
    const size_t i = rng_.Pick(positions);
    const auto& alts = table.at(cps[i]);
    cps[i] = rng_.Pick(alts);
    std::string slipped = Utf8Encode(cps);
    if (slipped == p.name || std::find(p.former.begin(), p.former.end(), slipped) != p.former.end()) return false;
    name = slipped;
    return true;
  }
  // One digit off, or day and month swapped; always a valid, different date.
  int WrongBirth(int birth) {
    for (int tries = 0; tries < 20; ++tries) {
      int y = YearOf(birth), m = MonthOf(birth), d = DayOf(birth);
      switch (rng_.Below(4)) {
        case 0: d += rng_.Chance(0.5) ? 1 : -1; break;
        case 1: y += rng_.Chance(0.5) ? 1 : -1; break;
        case 2: m += rng_.Chance(0.5) ? 1 : -1; break;
        case 3: std::swap(d, m); break;
      }
      const int v = Ymd(y, m, d);
      if (v != birth && IsValidYmd(v) && v < e_) return v;
    }
    return birth;
  }
  // Picks one event of a planted rate and an added clerical rate (full noise).
  // Returns 0 none, 1 planted, 2 clerical.
  int Fire(double planted, double clerical) {
    const double u = rng_.Uniform();
    if (u < planted) return 1;
    if (full_ && u < planted + clerical) return 2;
    return 0;
  }

  // Registered once, correctly, with clean records: fit to be one of a pair of
  // different persons sharing name and birth date (its records already exist).
  static bool CleanlyRegistered(const Person& o) {
    if (o.hukou.size() != 1 || o.hukou[0].status != HukouStatus::kNormal || !o.rights.empty() || o.roll.size() != 1) return false;
    auto clean = [&](const Ident& v) { return v.id_plan == IdPlan::kTrue && v.name == o.name && v.birth == o.birth && v.gender == o.gender; };
    if (!clean(o.roll[0].v)) return false;
    for (const auto& m : o.migrant)
      if (!clean(m.v)) return false;
    for (const auto& s : o.social)
      if (s.v.id_plan != IdPlan::kTrue || s.v.name != o.name) return false;
    return true;
  }
  void Household(Kind kind, int size);
  void Commuter();
  void Ghost();
  void Records(Person& p, const std::string& hukou_village, const std::string& home, const std::string& migrant_hukou,
               bool residence9);
  void AddSocial(Person& p, const std::string& home, bool in_scope, bool deceased);
  void AddRights(Person& p);
  void Register(Person& p);
  RollRec& AddRoll(Person& p, size_t district, const std::string& region, Basis basis, int date);
  void PlantDetails(Person& p, RollRec& r);
  void ClericalIdent(Person& p, Ident& v, bool migrant);
  void BuildRows();

  const World& w_;
  const ReferenceData& ref_;
  const GenConfig& cfg_;
  Chunk& c_;
  Rng rng_;
  int e_ = 0, p_ = 0, county_ = 0, boundary_ = 0;
  int64_t e_days_ = 0;
  bool full_ = false, cosmetic_ = false;
  uint64_t households_ = 0;
  int rights_planted_ = 0;
  std::map<std::string, const Township*> village_township_;
  std::map<std::string, uint32_t> last_adult_in_village_;
};

void ChunkGen::Run() {
  c_.persons.reserve(c_.n_persons);
  while (c_.persons.size() < c_.n_persons) {
    const uint64_t left = c_.n_persons - c_.persons.size();
    const double u = rng_.Uniform();
    if (u < 0.0015) {
      Ghost();
      continue;
    }
    if (u < 0.0215) {
      Commuter();
      continue;
    }
    static const double kSize[] = {0.16, 0.26, 0.26, 0.17, 0.10, 0.05};
    double s = rng_.Uniform();
    int size = 1;
    for (int i = 0; i < 6; ++i) {
      if (s < kSize[i]) {
        size = i + 1;
        break;
      }
      s -= kSize[i];
      size = i + 2;
    }
    size = static_cast<int>(std::min<uint64_t>(std::min(size, 6), left));
    const double k = rng_.Uniform();
    Kind kind = k < 0.86 ? Kind::kLocal : k < 0.90 ? Kind::kSplit : k < 0.93 ? Kind::kAway : Kind::kMigrant;
    if (kind == Kind::kSplit && ref_.townships.size() < 2) kind = Kind::kLocal;
    Household(kind, size);
  }
  BuildRows();
}

void ChunkGen::Household(Kind kind, int size) {
  Count(c_households);
  const uint64_t hh = c_.index * cfg_.chunk_persons + households_++;
  const Township& ht = PickTownship();
  const std::string hukou_village = PickVillage(ht).code;
  std::string home = hukou_village, migrant_hukou;
  const OtherCounty* origin = nullptr;
  bool residence9 = false;
  if (kind == Kind::kSplit) {
    home = PickVillage(OtherTownship(ht)).code;
  } else if (kind == Kind::kAway) {
    home = RegionIn(PickCounty(0.5, 0.3));
  } else if (kind == Kind::kMigrant) {
    origin = &PickCounty(0.25, 0.30);
    migrant_hukou = RegionIn(*origin);
    residence9 = rng_.Chance(0.03);
  }
  const bool minority = !ref_.dot_names.empty() && rng_.Chance(kind == Kind::kMigrant ? 0.03 : 0.002);
  std::string other_ethnic;
  if (!minority && rng_.Chance(0.015)) {
    static const int kIdx[] = {2, 10, 1, 5, 14, 7, 6, 9, 21, 8};  // 回 满 蒙古 苗 土家 壮 彝 朝鲜 畲 布依
    other_ethnic = ref_.ethnic_groups[kIdx[rng_.Below(10)]];
  }

  // Roles and ages.
  std::vector<Member> members;
  int head_age;
  if (size == 1) {
    head_age = kind == Kind::kMigrant ? static_cast<int>(rng_.Range(19, 50))
                                      : (rng_.Chance(0.4) ? static_cast<int>(rng_.Range(65, 95)) : static_cast<int>(rng_.Range(19, 64)));
  } else {
    head_age = kind == Kind::kMigrant ? static_cast<int>(rng_.Range(22, 55)) : AdultAge();
  }
  members.push_back({head_age, static_cast<uint8_t>(size == 1 ? (rng_.Chance(0.5) ? 1 : 2) : (rng_.Chance(0.85) ? 1 : 2)), 0});
  if (size >= 2) {
    members.push_back({std::clamp(head_age + static_cast<int>(rng_.Range(-6, 3)), 19, 100),
                       static_cast<uint8_t>(members[0].gender == 1 ? 2 : 1), 1});
  }
  int slots = size - 2;
  if (slots >= 1 && size >= 4 && head_age < 58 && rng_.Chance(0.5)) {
    members.push_back({std::min(100, head_age + static_cast<int>(rng_.Range(24, 32))), static_cast<uint8_t>(rng_.Chance(0.6) ? 2 : 1), 3});
    --slots;
  }
  for (int i = 0; i < slots; ++i) {
    const int hi = std::max(0, head_age - 21), lo = std::max(0, head_age - 40);
    members.push_back({static_cast<int>(rng_.Range(lo, std::max(lo, hi))), static_cast<uint8_t>(rng_.Chance(0.52) ? 1 : 2), 2});
  }

  // Names.
  int fam_len = 1;
  const std::string family = Surname(&fam_len);
  int children = 0;
  for (const auto& m : members) children += m.role == 2;
  char32_t gen_char = 0;
  if (!minority && children >= 2 && rng_.Chance(0.5)) {
    gen_char = ref_.name_chars[ref_.first_w[rng_.Below(2)].Pick(rng_)];
    Count(c_generational_sibling_names);
  }
  std::string father_piece, mother_surname;
  int mother_len = 1;
  const size_t first = c_.persons.size();
  for (const auto& m : members) {
    Person p;
    p.pid = c_.index * cfg_.chunk_persons + c_.persons.size();
    p.household = hh;
    p.kind = kind;
    p.gender = m.gender;
    p.birth = BirthForAge(m.age);
    if (m.role == 2 && rng_.Chance(0.004)) {
      p.birth = AddDays(boundary_, rng_.Range(-3, 3));
      Count(c_born_near_18_boundary);
    }
    if (rng_.Chance(0.0006) || (m.role == 2 && rng_.Chance(0.0015))) {
      int y = m.role == 2 && m.age >= 16 && m.age <= 20 ? YearOf(boundary_) : YearOf(p.birth);
      while (!IsLeap(y)) --y;
      p.birth = Ymd(y, 2, 29);
      if (p.birth < e_) Count(c_born_29_feb);
      else p.birth = BirthForAge(m.age);
    }
    if (minority) {
      if (m.role == 2 && !father_piece.empty()) {
        p.name = rng_.Pick(ref_.dot_given) + "\xC2\xB7" + father_piece;
      } else {
        const size_t i = rng_.Below(ref_.dot_names.size());
        p.name = ref_.dot_names[i];
        if (m.role <= 1 && m.gender == 1) father_piece = p.name.substr(0, p.name.find("\xC2\xB7"));
        if (m.role == 0) other_ethnic = ref_.dot_ethnicity[i];
      }
      p.surname_len = 0;
      p.ethnicity = other_ethnic;
      Count(c_minority_dot_names);
    } else {
      std::string surname = family;
      int len = fam_len;
      const bool male_line = (m.role == 0 && m.gender == 1) || (m.role == 1 && m.gender == 1) || m.role == 2;
      if (!male_line || m.role == 3) surname = Surname(&len);
      if (m.role <= 1 && m.gender == 2) {
        mother_surname = surname;
        mother_len = len;
      }
      if (m.role == 2 && !mother_surname.empty() && rng_.Chance(0.08)) {
        surname = mother_surname;
        len = mother_len;
      }
      const bool two = gen_char && m.role == 2 ? true : TwoCharGiven(m.age);
      p.name = surname + Given(m.gender, two, m.role == 2 ? gen_char : 0);
      p.surname_len = len;
      p.ethnicity = other_ethnic.empty() ? ref_.ethnic_groups[0] : other_ethnic;
      if (!other_ethnic.empty()) Count(c_other_ethnic_han_names);
      // 曾用名 are recorded in the hukou only.
      if (kind != Kind::kMigrant && m.age >= 18 && rng_.Chance(m.age > 50 ? 0.06 : 0.03)) {
        const int n = rng_.Chance(0.1) ? 2 : 1;
        for (int k = 0; k < n; ++k) {
          std::string f = surname + Given(m.gender, TwoCharGiven(m.age));
          if (f != p.name && std::find(p.former.begin(), p.former.end(), f) == p.former.end()) p.former.push_back(f);
        }
        if (!p.former.empty()) Count(c_former_names);
      }
    }
    // Where the ID was first issued.
    if (kind == Kind::kMigrant) {
      p.id_region = rng_.Chance(0.95) ? origin->code : PickCounty(0.2, 0.3).code;
    } else if (rng_.Chance(0.85) || m.role == 2) {
      p.id_region = county_;
    } else {
      p.id_region = PickCounty(0.4, 0.35).code;
      Count(c_id_region_elsewhere);
    }
    c_.persons.push_back(std::move(p));
  }
  // Different persons sharing name and birth date, with different IDs.
  if (!minority && kind == Kind::kLocal && size >= 2 && rng_.Chance(0.003)) {
    Person& a = c_.persons[first];
    Person& b = c_.persons[first + 1];
    if (AgeAt(a.birth) >= 25) {
      b.name = a.name;
      b.surname_len = a.surname_len;
      b.birth = a.birth;
      b.gender = a.gender;
      b.former.clear();
      a.no_errors = b.no_errors = true;
      Count(c_same_name_birth_same_household);
    }
  }
  if (!minority && kind == Kind::kLocal) {
    Person& a = c_.persons[first];
    auto it = last_adult_in_village_.find(hukou_village);
    if (it != last_adult_in_village_.end() && rng_.Chance(0.004) && AgeAt(a.birth) >= 25 && !a.no_errors) {
      Person& o = c_.persons[it->second];
      if (o.household != a.household && !o.no_errors && o.surname_len > 0 && AgeAt(o.birth) >= 25 && CleanlyRegistered(o)) {
        a.name = o.name;
        a.surname_len = o.surname_len;
        a.birth = o.birth;
        a.gender = o.gender;
        a.former.clear();
        a.no_errors = o.no_errors = true;
        Count(c_same_name_birth_same_village);
      }
    }
    last_adult_in_village_[hukou_village] = static_cast<uint32_t>(first);
  }
  for (size_t i = first; i < c_.persons.size(); ++i) {
    Person& p = c_.persons[i];
    switch (kind) {
      case Kind::kLocal: Count(c_persons_local); break;
      case Kind::kSplit: Count(c_persons_split_in_county); break;
      case Kind::kAway: Count(c_persons_living_elsewhere); break;
      case Kind::kMigrant: Count(c_persons_migrant); break;
      default: break;
    }
    Records(p, hukou_village, home, migrant_hukou, residence9);
    Register(p);
  }
}

void ChunkGen::ClericalIdent(Person& p, Ident& v, bool migrant) {
  if (!full_ || p.no_errors) return;
  const double u = rng_.Uniform();
  const double miss = migrant ? 0.015 : 0.02;
  if (u < 0.01) {
    v.id_plan = IdPlan::kSubstitution;
    Count(migrant ? c_clerical_migrant_id_substitution : c_clerical_social_id_substitution);
  } else if (u < 0.015) {
    v.id_plan = IdPlan::kTransposition;
    Count(migrant ? c_clerical_migrant_id_transposition : c_clerical_social_id_transposition);
  } else if (u < 0.015 + miss) {
    v.id_plan = IdPlan::kEmpty;
    Count(migrant ? c_clerical_migrant_id_missing : c_clerical_social_id_missing);
  }
  if (v.id_plan != IdPlan::kTrue) {
    // A record whose ID is missing or mistyped still carries the birth date and
    // gender: nobody has to read them out of a broken ID.
    if (!v.birth) v.birth = p.birth;
    if (!v.gender) v.gender = p.gender;
  }
  // A record never loses both its ID and its exact name.
  if (v.id_plan != IdPlan::kEmpty && rng_.Chance(0.01) && SlipName(p, v.name, false))
    Count(migrant ? c_clerical_migrant_name_homophone : c_clerical_social_name_homophone);
  if (v.id_plan != IdPlan::kEmpty && v.birth && rng_.Chance(0.005)) {
    const int b = WrongBirth(v.birth);
    if (b != v.birth) {
      v.birth = b;
      Count(migrant ? c_clerical_migrant_birth : c_clerical_social_birth);
    }
  }
}

void ChunkGen::Records(Person& p, const std::string& hukou_village, const std::string& home_in,
                       const std::string& migrant_hukou, bool residence9) {
  const int age = AgeAt(p.birth);
  std::string home = home_in;
  bool deceased = false, moved_out = false, residing_here = false;
  if (p.kind == Kind::kLocal || p.kind == Kind::kSplit || p.kind == Kind::kAway) {
    HukouRec h;
    h.v = TrueIdent(p);
    h.former = p.former;
    h.region = hukou_village;
    h.address = Address(hukou_village);
    if (p.id_region != county_ && age >= 18) {
      const int adult = BirthdayAt(p.birth, 18);
      h.status_date = (p_ && rng_.Chance(0.35)) ? DateBetween(AddDays(p_, 1), AddDays(e_, -20)) : DateBetween(adult, p_ ? p_ : AddDays(e_, -400));
      if (h.status_date < adult) h.status_date = adult;
    } else if (rng_.Chance(0.02) && age >= 1) {
      h.status_date = DateBetween(std::max(p.birth, Ymd(2000, 1, 1)), AddDays(e_, -20));
    }
    const double pd = age > 75 ? 0.06 : age >= 60 ? 0.015 : 0.001;
    const double pm = (age >= 20 && age <= 45) ? 0.05 : 0.004;
    const double u = rng_.Uniform();
    if (!p.no_errors && u < pd) {
      h.status = HukouStatus::kDeceased;
      h.status_date = DateBetween(std::max(Ymd(2015, 1, 1), p.birth), AddDays(e_, -15));
      deceased = true;
      Count(c_hukou_deceased);
    } else if (!p.no_errors && age >= 16 && u < pd + pm) {
      h.status = HukouStatus::kMovedOut;
      h.status_date = DateBetween(std::max(Ymd(2012, 1, 1), BirthdayAt(p.birth, 16)), AddDays(e_, -15));
      moved_out = true;
      Count(c_hukou_moved_out);
      if (rng_.Chance(0.08)) {
        residing_here = true;
        Count(c_moved_out_residing_here);
      } else {
        home = RegionIn(PickCounty(0.4, 0.3));
      }
    }
    if (h.status == HukouStatus::kNormal && p_ && h.status_date > p_) Count(c_hukou_moved_in_since_previous);
    p.hukou.push_back(std::move(h));
  }
  // Migrant / residence records.
  auto add_migrant = [&](const std::string& hukou_region, const std::string& residence, int expiry_mode) {
    MigrantRec m;
    m.v = TrueIdent(p);
    m.hukou_region = hukou_region;
    m.residence_region = residence;
    m.address = StartsWith(residence, w_.scope_county) ? Address(residence) : "";
    m.registered = DateBetween(std::max(Ymd(2012, 1, 1), p.birth), AddDays(e_, -20));
    if (expiry_mode == 0) {
      m.expiry = 0;
    } else {
      const double u = rng_.Uniform();
      if (expiry_mode == 2 && u < 0.10) {
        m.expiry = AddDays(e_, -rng_.Range(2, 700));
        Count(c_migrant_expired);
      } else if (expiry_mode == 2 && u < 0.115) {
        m.expiry = AddDays(e_, -1);
        Count(c_migrant_expired);
        Count(c_migrant_expiry_day_before);
      } else if (expiry_mode == 2 && u < 0.13) {
        m.expiry = e_;
        Count(c_migrant_expiry_on_day);
      } else if (u < 0.30) {
        m.expiry = 0;
      } else {
        m.expiry = AddDays(e_, rng_.Range(1, 1500));
      }
      if (m.expiry && m.registered > AddDays(m.expiry, -365)) m.registered = std::max(p.birth, AddDays(m.expiry, -365 * 3));
    }
    ClericalIdent(p, m.v, true);
    p.migrant.push_back(std::move(m));
  };
  if (p.kind == Kind::kMigrant) {
    std::string residence = residence9 ? home.substr(0, 9) : home;
    if (residence9) Count(c_residence_9_digit);
    add_migrant(migrant_hukou, residence, 2);
  } else if (p.kind == Kind::kSplit && !moved_out && !deceased) {
    add_migrant(hukou_village, home, rng_.Chance(0.85) ? 0 : 2);
  } else if (p.kind == Kind::kAway && !moved_out && !deceased && rng_.Chance(0.4)) {
    add_migrant(hukou_village, home, 1);
  } else if (residing_here) {
    const Township& t = PickTownship();
    home = PickVillage(t).code;
    add_migrant(RegionIn(PickCounty(0.5, 0.3)), home, 1);
  }
  // Social insurance for working ages.
  if (age >= 18 && age <= 62) {
    const bool home_in_scope = StartsWith(home, w_.scope_county);
    const double ps = p.kind == Kind::kAway || (moved_out && !residing_here) ? 0.3 : 0.65;
    if (rng_.Chance(ps)) AddSocial(p, home, home_in_scope && p.kind != Kind::kAway, deceased);
  }
  if (age >= 18 && !deceased && !p.no_errors && rng_.Chance(0.003)) AddRights(p);
}

void ChunkGen::AddSocial(Person& p, const std::string& home, bool in_scope, bool deceased) {
  static const char* kUnits[] = {"人民政府", "中心小学", "卫生院", "派出所", "财政所", "初级中学"};
  static const char* kTrades[] = {"机械", "纺织", "电子", "建材", "食品", "化工", "物流", "农业", "电缆", "包装"};
  static const char* kForms[] = {"有限公司", "股份有限公司", "厂", "有限责任公司"};
  auto make = [&](bool scope, SocialStatus status, int last_paid) {
    SocialRec s;
    s.v = TrueIdent(p);
    if (rng_.Chance(0.3)) s.v.birth = 0;
    if (rng_.Chance(0.1)) s.v.gender = 0;
    s.status = status;
    s.last_paid = last_paid;
    if (scope) {
      const Township* ht = InCountyTownship(home);
      const Township& t = (ht && rng_.Chance(0.65)) ? *ht : PickTownship();
      if (rng_.Chance(0.08)) {
        s.insured_region = w_.unit_village.at(t.code);
        s.employer = ref_.county_name + t.name + kUnits[rng_.Below(6)];
        Count(c_social_unit_region);
      } else {
        s.insured_region = PickVillage(t).code;
        std::string brand;
        Utf8Append(brand, ref_.name_chars[ref_.first_w[0].Pick(rng_)]);
        Utf8Append(brand, ref_.name_chars[ref_.second_w[0].Pick(rng_)]);
        s.employer = ref_.county_name + brand + kTrades[rng_.Below(10)] + kForms[rng_.Below(4)];
      }
      if (rng_.Chance(0.02)) {
        s.insured_region = t.code;
        Count(c_social_9_digit);
      }
    } else {
      s.insured_region = RegionIn(PickCounty(0.5, 0.3));
      std::string brand;
      Utf8Append(brand, ref_.name_chars[ref_.first_w[0].Pick(rng_)]);
      Utf8Append(brand, ref_.name_chars[ref_.second_w[0].Pick(rng_)]);
      s.employer = brand + kTrades[rng_.Below(10)] + kForms[rng_.Below(4)];
      Count(c_social_outside_scope);
    }
    ClericalIdent(p, s.v, false);
    p.social.push_back(std::move(s));
  };
  if (rng_.Chance(0.10)) make(rng_.Chance(0.7), SocialStatus::kTerminated, LastMonth(e_, static_cast<int>(rng_.Range(24, 96))));
  SocialStatus status = SocialStatus::kActive;
  int last = LastMonth(e_, static_cast<int>(rng_.Range(1, 2)));
  const double u = rng_.Uniform();
  if (deceased) {
    status = SocialStatus::kTerminated;
    last = LastMonth(e_, static_cast<int>(rng_.Range(12, 60)));
  } else if (u < 0.07) {
    status = SocialStatus::kSuspended;
    last = LastMonth(e_, static_cast<int>(rng_.Range(3, 18)));
  } else if (u < 0.15) {
    status = SocialStatus::kTerminated;
    last = LastMonth(e_, static_cast<int>(rng_.Range(12, 60)));
  }
  make(in_scope, status, last);
}

void ChunkGen::AddRights(Person& p) {
  auto add = [&](RightsKind kind, int from, int to) {
    RightsRec r;
    r.v = TrueIdent(p);
    r.v.birth = 0;
    r.v.gender = 0;
    r.kind = kind;
    r.from = from;
    r.to = to;
    const bool covers = (from == 0 || from <= e_) && (to == 0 || e_ <= to);
    if (covers) Count(c_rights_covering);
    if (to && to == AddDays(e_, -1)) Count(c_rights_ended_day_before);
    if (to == e_) Count(c_rights_ending_on_day);
    if (from == e_) Count(c_rights_starting_on_day);
    if (from > e_) Count(c_rights_starting_after);
    if (to && to < AddDays(e_, -1)) Count(c_rights_ended_earlier);
    p.rights.push_back(r);
  };
  double k = rng_.Uniform(), u = rng_.Uniform();
  if (c_.index == 0 && rights_planted_ < 12) {
    // Chunk 0 shows every kind and date variant at least once.
    static const double kShow[12][2] = {{0.1, 0.1}, {0.1, 0.6}, {0.1, 0.72}, {0.1, 0.8}, {0.1, 0.85}, {0.1, 0.9},
                                        {0.1, 0.95}, {0.6, 0.1}, {0.6, 0.7}, {0.6, 0.95}, {0.9, 0.1}, {0.9, 0.9}};
    k = kShow[rights_planted_][0];
    u = kShow[rights_planted_][1];
    ++rights_planted_;
  }
  if (k < 0.55) {
    int from, to;
    if (u < 0.55) {
      from = AddDays(e_, -rng_.Range(200, 2000));
      to = AddDays(e_, rng_.Range(30, 1800));
    } else if (u < 0.70) {
      to = AddDays(e_, -rng_.Range(30, 1500));
      from = AddDays(to, -rng_.Range(365, 2000));
    } else if (u < 0.76) {
      to = AddDays(e_, -1);
      from = AddDays(to, -rng_.Range(365, 1500));
    } else if (u < 0.82) {
      to = e_;
      from = AddDays(e_, -rng_.Range(365, 1500));
    } else if (u < 0.87) {
      from = e_;
      to = AddDays(e_, rng_.Range(365, 1500));
    } else if (u < 0.93) {
      from = AddDays(e_, 1);
      to = AddDays(from, rng_.Range(365, 1500));
    } else {
      from = AddDays(e_, -rng_.Range(100, 1000));
      to = 0;
    }
    add(RightsKind::kDeprived, from, to);
  } else if (k < 0.75) {
    if (u < 0.6) {
      add(RightsKind::kSuspended, AddDays(e_, -rng_.Range(10, 300)), 0);
    } else if (u < 0.9) {
      const int from = AddDays(e_, -rng_.Range(300, 900));
      add(RightsKind::kSuspended, from, AddDays(from, rng_.Range(30, 200)));
    } else {
      add(RightsKind::kSuspended, AddDays(e_, rng_.Range(1, 10)), 0);
    }
  } else {
    if (u < 0.85) {
      add(RightsKind::kIncapacitated, rng_.Chance(0.5) ? 0 : AddDays(e_, -rng_.Range(100, 5000)), 0);
    } else {
      const int to = AddDays(e_, -rng_.Range(1, 500));
      add(RightsKind::kIncapacitated, AddDays(to, -rng_.Range(200, 2000)), to);
    }
  }
  if (rng_.Chance(0.05)) {
    const int to = AddDays(e_, -rng_.Range(800, 3000));
    add(RightsKind::kDeprived, AddDays(to, -rng_.Range(365, 1500)), to);
  }
}

RollRec& ChunkGen::AddRoll(Person& p, size_t district, const std::string& region, Basis basis, int date) {
  RollRec r;
  r.v = TrueIdent(p);
  r.district = w_.districts.districts[district].code;
  r.region = region;
  r.basis = basis;
  r.registered = date;
  p.roll.push_back(std::move(r));
  return p.roll.back();
}

void ChunkGen::Register(Person& p) {
  const std::string& S = cfg_.scope;
  const bool alive = p.hukou.empty() || p.hukou[0].status != HukouStatus::kDeceased;
  const int b18 = BirthdayAt(p.birth, 18);
  const bool of_age = b18 <= e_;
  bool rights_ok = true, rights_ended = false;
  for (const auto& r : p.rights) {
    if ((r.from == 0 || r.from <= e_) && (r.to == 0 || e_ <= r.to)) rights_ok = false;
    if (r.to && r.to < e_) rights_ended = true;
  }
  const HukouRec* h = nullptr;
  for (const auto& x : p.hukou)
    if (x.status == HukouStatus::kNormal && StartsWith(x.region, S)) h = &x;
  const MigrantRec* res = nullptr;
  for (const auto& m : p.migrant)
    if (StartsWith(m.residence_region, S) && (m.expiry == 0 || m.expiry >= e_)) res = &m;
  std::vector<size_t> acceptable;
  if (h) w_.districts.Covering(h->region, false, acceptable);
  if (res) w_.districts.Covering(res->residence_region, false, acceptable);
  const SocialRec* unit_social = nullptr;
  for (const auto& s : p.social) {
    if (s.status != SocialStatus::kActive || !StartsWith(s.insured_region, S)) continue;
    const size_t before = acceptable.size();
    w_.districts.Covering(s.insured_region, true, acceptable);
    if (acceptable.size() > before) unit_social = &s;
  }
  const bool eligible = of_age && alive && rights_ok && (h || res);
  const bool moved_in = h && p_ && h->status_date > p_;
  const bool new_adult = p_ && b18 > p_;
  const int old_date = p_ ? DateBetween(AddDays(p_, -40), AddDays(p_, -5)) : DateBetween(AddDays(e_, -400), AddDays(e_, -300));
  const int new_date = DateBetween(AddDays(e_, -60), AddDays(e_, -10));
  const int date = (new_adult || moved_in) ? new_date : old_date;
  auto area_of = [&](const std::string& region) -> size_t {
    if (region.size() == 12) return w_.area_of_village.at(region);
    std::vector<size_t> ds;
    w_.districts.Covering(region, false, ds);
    return rng_.Pick(ds);
  };
  auto village_for = [&](size_t d, const std::string& region) { return region.size() == 12 ? region : DistrictVillage(d); };

  if (eligible && h) {
    double p_miss = 0.02;
    if (new_adult) p_miss = 0.10;
    if (moved_in) p_miss = 0.08;
    if (rights_ended) p_miss = 0.35;
    if (p.kind == Kind::kAway) p_miss = 0.20;
    if (p.no_errors) p_miss = 0;
    if (rng_.Chance(p_miss)) {
      Count(c_not_registered_local);
      if (p.kind == Kind::kAway && rng_.Chance(0.5)) {
        // Registered where they live, in another county: out of scope.
        const size_t before = p.roll.size();
        AddRoll(p, area_of(h->region), h->region, Basis::kResidence, date);
        const auto& mig = p.migrant;
        std::string region = mig.empty() ? RegionIn(PickCounty(0.5, 0.3)) : mig[0].residence_region;
        p.roll[before].region = region;
        p.roll[before].district = region.substr(0, 9) + "01";
        Count(c_reg_out_of_scope);
      }
      return;
    }
    size_t d = area_of(h->region);
    std::string region = h->region;
    Basis basis = Basis::kHukou;
    bool dup_residence = false;
    if (res) {
      const double u = rng_.Uniform();
      if (u < 0.45) {
        d = area_of(res->residence_region);
        region = village_for(d, res->residence_region);
        basis = Basis::kResidence;
      } else if (u < 0.50 && !p.no_errors) {
        dup_residence = true;
      }
    }
    if (unit_social && basis == Basis::kHukou && rng_.Chance(0.4)) {
      d = w_.unit_of_township.at(TownshipOf(unit_social->insured_region));
      region = w_.districts.districts[d].regions[0];
      basis = Basis::kUnit;
    }
    bool unknown = false;
    if (!p.no_errors && rng_.Chance(0.004)) {
      // A district that is not one of the person's acceptable ones.
      const std::string& t = w_.districts.districts[d].township;
      std::vector<size_t> cands;
      const bool same = rng_.Chance(0.7);
      for (size_t i = 0; i < w_.districts.districts.size(); ++i) {
        const auto& x = w_.districts.districts[i];
        if (x.unit || std::find(acceptable.begin(), acceptable.end(), i) != acceptable.end()) continue;
        if ((x.township == t) == same) cands.push_back(i);
      }
      if (!cands.empty()) {
        d = rng_.Pick(cands);
        region = DistrictVillage(d);
        Count(c_reg_wrong_district);
      }
    } else if (!p.no_errors && rng_.Chance(0.0006)) {
      unknown = true;
    }
    switch (basis) {
      case Basis::kHukou: Count(c_reg_hukou); break;
      case Basis::kResidence: Count(c_reg_residence); break;
      case Basis::kUnit: Count(c_reg_unit); break;
    }
    RollRec& r = AddRoll(p, d, region, basis, date);
    if (unknown) {
      r.district = w_.districts.districts[d].township + "99";
      Count(c_reg_unknown_district);
    }
    if (dup_residence) {
      const size_t d2 = area_of(res->residence_region);
      AddRoll(p, d2, village_for(d2, res->residence_region), Basis::kResidence, rng_.Chance(0.1) ? date : new_date);
      Count(c_dup_hukou_and_residence);
    } else if (!p.no_errors && rng_.Chance(0.001)) {
      const std::string& t = w_.districts.districts[d].township;
      size_t d2 = d;
      if (rng_.Chance(0.5)) {
        const auto& list = w_.districts.by_township.at(t);
        d2 = rng_.Pick(list);
        if (w_.districts.districts[d2].unit) d2 = d;
      }
      AddRoll(p, d2, d2 == d ? region : DistrictVillage(d2), Basis::kHukou, rng_.Chance(0.2) ? date : new_date);
      Count(c_dup_same_township);
    }
  } else if (eligible) {
    // Lives here on a residence permit, hukou elsewhere (or moved out).
    const bool moved_out_here = !p.hukou.empty();
    const double u = rng_.Uniform();
    if (moved_out_here && u < 0.3) {
      const size_t d = area_of(p.hukou[0].region);
      AddRoll(p, d, p.hukou[0].region, Basis::kHukou, old_date);
      Count(c_reg_moved_out_at_old_hukou_while_residing);
    } else if (u < (moved_out_here ? 0.7 : 0.25)) {
      const size_t d = area_of(res->residence_region);
      AddRoll(p, d, village_for(d, res->residence_region), Basis::kResidence, new_date);
      Count(c_reg_residence);
    } else {
      Count(c_not_registered_migrant);
    }
  } else if (!p.hukou.empty() && !alive) {
    if (rng_.Chance(p_ && p.hukou[0].status_date > p_ ? 0.4 : 0.03)) {
      AddRoll(p, area_of(p.hukou[0].region), p.hukou[0].region, Basis::kHukou, old_date);
      Count(c_reg_deceased);
    }
  } else if (!rights_ok) {
    if ((h || res) && rng_.Chance(0.5)) {
      const std::string& region = h ? h->region : res->residence_region;
      const size_t d = area_of(region);
      AddRoll(p, d, village_for(d, region), h ? Basis::kHukou : Basis::kResidence, old_date);
      Count(c_reg_no_rights);
    }
  } else if (!of_age) {
    const bool near = b18 <= AddDays(e_, 365);
    const bool edge = std::llabs(DaysFromYmd(p.birth) - DaysFromYmd(boundary_)) <= 3;
    if ((h || res) && rng_.Chance(edge ? 0.5 : near ? 0.04 : 0.0)) {
      const std::string& region = h ? h->region : res->residence_region;
      const size_t d = area_of(region);
      AddRoll(p, d, village_for(d, region), h ? Basis::kHukou : Basis::kResidence, new_date);
      Count(c_reg_underage);
    }
  } else if (!p.hukou.empty() && p.hukou[0].status == HukouStatus::kMovedOut) {
    if (rng_.Chance(0.25)) {
      AddRoll(p, area_of(p.hukou[0].region), p.hukou[0].region, Basis::kHukou, old_date);
      Count(c_reg_moved_out);
    }
  } else if (!p.migrant.empty() && StartsWith(p.migrant[0].residence_region, S)) {
    if (rng_.Chance(0.15)) {
      const size_t d = area_of(p.migrant[0].residence_region);
      AddRoll(p, d, village_for(d, p.migrant[0].residence_region), Basis::kResidence, old_date);
      Count(c_reg_expired_migrant);
    }
  }
  for (auto& r : p.roll) PlantDetails(p, r);
  // A person without hukou whose registration has a mistyped ID keeps one
  // clean ID elsewhere, the suggested correction.
  if (p.hukou.empty()) {
    bool typo = false;
    for (const auto& r : p.roll)
      typo |= r.v.id_plan == IdPlan::kSubstitution || r.v.id_plan == IdPlan::kTransposition;
    if (typo) {
      for (auto& m : p.migrant) m.v.id_plan = IdPlan::kTrue;
      for (auto& s : p.social) s.v.id_plan = IdPlan::kTrue;
    }
  }
}

void ChunkGen::PlantDetails(Person& p, RollRec& r) {
  if (p.no_errors || p.kind == Kind::kGhost) return;
  const bool has_hukou = !p.hukou.empty();
  // Registrations whose ID number is wrong or missing are planted only with
  // full noise: an exact-ID lookup cannot see through them, so without them
  // (noise none/cosmetic) exact-ID resolution must reproduce the truth.
  if (int f = full_ ? Fire(0.0015, 0.008) : 0) {
    r.v.id_plan = IdPlan::kSubstitution;
    Count(f == 1 ? c_details_id_substitution : c_clerical_roll_id_substitution);
  } else if ((f = full_ ? Fire(0.001, 0.004) : 0)) {
    r.v.id_plan = IdPlan::kTransposition;
    Count(f == 1 ? c_details_id_transposition : c_clerical_roll_id_transposition);
  } else if (full_ && has_hukou && rng_.Chance(0.0006)) {
    r.v.id_plan = IdPlan::kOtherValid;
    Count(c_details_id_other_valid);
  } else if (full_ && has_hukou && rng_.Chance(0.0008)) {
    r.v.id_plan = IdPlan::kEmpty;
    Count(c_details_id_empty);
  }
  // A registration without an ID keeps its name, birth date and gender exact:
  // they are all that is left to find the person by.
  const bool id_missing = r.v.id_plan == IdPlan::kEmpty;
  bool named = false;
  if (has_hukou && !p.former.empty() && rng_.Chance(0.2)) {
    r.v.name = rng_.Pick(p.former);
    Count(c_reg_under_former_name);
    named = true;
  }
  if (!named && !id_missing) {
    int f = Fire(0.003, 0.01);
    if (f && SlipName(p, r.v.name, false)) Count(f == 1 ? c_details_name_homophone : c_clerical_roll_name_homophone);
    else if ((f = Fire(0.001, 0.003)) && SlipName(p, r.v.name, true)) Count(f == 1 ? c_details_name_shape : c_clerical_roll_name_shape);
  }
  bool birth_changed = false, gender_changed = false;
  if (int f = id_missing ? 0 : Fire(0.002, 0.005)) {
    const int b = WrongBirth(r.v.birth);
    if (b != r.v.birth) {
      r.v.birth = b;
      birth_changed = true;
      Count(f == 1 ? c_details_birth : c_clerical_roll_birth);
    }
  }
  if (int f = id_missing ? 0 : Fire(0.0005, 0.001)) {
    r.v.gender = r.v.gender == 1 ? 2 : 1;
    gender_changed = true;
    Count(f == 1 ? c_details_gender : c_clerical_roll_gender);
  }
  if (cosmetic_ && r.v.id_plan == IdPlan::kTrue) {
    // Optional fields left empty, only where the ID itself is right.
    if (!birth_changed && rng_.Chance(0.02)) {
      r.v.birth = 0;
      Count(c_noise_optional_empty);
    }
    if (!gender_changed && rng_.Chance(0.01)) {
      r.v.gender = 0;
      Count(c_noise_optional_empty);
    }
  }
}

void ChunkGen::Commuter() {
  Person p;
  p.pid = c_.index * cfg_.chunk_persons + c_.persons.size();
  p.household = c_.index * cfg_.chunk_persons + households_++;
  p.kind = Kind::kCommuter;
  p.gender = rng_.Chance(0.55) ? 1 : 2;
  p.birth = BirthForAge(static_cast<int>(rng_.Range(22, 58)));
  int len = 1;
  p.name = Surname(&len) + Given(p.gender, TwoCharGiven(40));
  p.surname_len = len;
  p.ethnicity = ref_.ethnic_groups[0];
  const OtherCounty& origin = PickCounty(0.6, 0.4);
  p.id_region = origin.code;
  Count(c_persons_commuter);
  AddSocial(p, "", true, false);
  // Keep the commuter's last record active and in the county.
  SocialRec& s = p.social.back();
  if (!StartsWith(s.insured_region, cfg_.scope)) {
    const Township& t = PickTownship();
    s.insured_region = PickVillage(t).code;
  }
  s.status = SocialStatus::kActive;
  s.last_paid = LastMonth(e_, 1);
  if (rng_.Chance(0.05) && StartsWith(s.insured_region, cfg_.scope)) {
    std::vector<size_t> ds;
    w_.districts.Covering(s.insured_region, true, ds);
    if (ds.empty()) w_.districts.Covering(s.insured_region, false, ds);
    if (!ds.empty()) {
      const size_t d = ds[0];
      AddRoll(p, d, s.insured_region.size() == 12 ? s.insured_region : DistrictVillage(d),
              w_.districts.districts[d].unit ? Basis::kUnit : Basis::kHukou, DateBetween(AddDays(e_, -60), AddDays(e_, -10)));
      Count(c_reg_commuter);
    }
  }
  for (auto& r : p.roll) PlantDetails(p, r);
  c_.persons.push_back(std::move(p));
}

void ChunkGen::Ghost() {
  Person p;
  p.pid = c_.index * cfg_.chunk_persons + c_.persons.size();
  p.household = c_.index * cfg_.chunk_persons + households_++;
  p.kind = Kind::kGhost;
  p.gender = rng_.Chance(0.5) ? 1 : 2;
  p.birth = BirthForAge(static_cast<int>(rng_.Range(20, 80)));
  int len = 1;
  p.name = Surname(&len) + Given(p.gender, TwoCharGiven(40));
  p.surname_len = len;
  p.id_region = rng_.Chance(0.8) ? county_ : PickCounty(0.5, 0.3).code;
  Count(c_persons_ghost);
  const District* d = nullptr;
  size_t di = 0;
  do {
    di = rng_.Below(w_.districts.districts.size());
    d = &w_.districts.districts[di];
  } while (d->unit);
  AddRoll(p, di, rng_.Pick(d->regions), Basis::kHukou,
          p_ ? DateBetween(AddDays(p_, -40), AddDays(p_, -5)) : DateBetween(AddDays(e_, -60), AddDays(e_, -10)));
  Count(c_ghost_registration);
  c_.persons.push_back(std::move(p));
}

void ChunkGen::BuildRows() {
  for (uint32_t i = 0; i < c_.persons.size(); ++i) {
    const Person& p = c_.persons[i];
    for (uint16_t k = 0; k < p.hukou.size(); ++k) c_.rows[kHukou].push_back({i, k, false});
    for (uint16_t k = 0; k < p.migrant.size(); ++k) c_.rows[kMigrant].push_back({i, k, false});
    for (uint16_t k = 0; k < p.social.size(); ++k) c_.rows[kSocial].push_back({i, k, false});
    for (uint16_t k = 0; k < p.roll.size(); ++k) c_.rows[kRoll].push_back({i, k, false});
    for (uint16_t k = 0; k < p.rights.size(); ++k) c_.rows[kRights].push_back({i, k, false});
  }
  // Roll rows in no particular person order (registrations were typed in
  // district by district, over years).
  auto& roll = c_.rows[kRoll];
  for (size_t i = roll.size(); i > 1; --i) std::swap(roll[i - 1], roll[rng_.Below(i)]);
  if (!cosmetic_) return;
  // Deliberately unreadable extra rows, about 0.05% of each feed.
  for (int f = 0; f < kNumFeeds; ++f) {
    std::vector<Row> out;
    out.reserve(c_.rows[f].size() + 8);
    const bool force = c_.index == 0 && c_.rows[f].size() >= 200;
    const size_t force_at = c_.rows[f].size() / 2;
    for (size_t i = 0; i < c_.rows[f].size(); ++i) {
      out.push_back(c_.rows[f][i]);
      if ((force && i == force_at) || rng_.Chance(0.0005)) {
        BrokenRow b;
        b.feed = static_cast<Feed>(f);
        const bool forced = force && i == force_at;
        const double u = rng_.Uniform();
        if (forced) {
          // Chunk 0 shows every kind of broken row at least once.
          b.kind = f == kHukou ? BrokenKind::kJson : f == kMigrant ? BrokenKind::kInvalidBytes
                 : f == kRoll ? BrokenKind::kTooFewColumns : BrokenKind::kEmptyRequired;
        } else if (f == kHukou || f == kSocial) {
          b.kind = u < 0.6 ? BrokenKind::kJson : BrokenKind::kEmptyRequired;
        } else if (f == kMigrant) {
          b.kind = u < 0.35 ? BrokenKind::kTooFewColumns : u < 0.65 ? BrokenKind::kEmptyRequired : BrokenKind::kInvalidBytes;
        } else {
          b.kind = u < 0.5 ? BrokenKind::kTooFewColumns : BrokenKind::kEmptyRequired;
        }
        switch (b.kind) {
          case BrokenKind::kJson: Count(c_broken_json); break;
          case BrokenKind::kTooFewColumns: Count(c_broken_too_few_columns); break;
          case BrokenKind::kEmptyRequired: Count(c_broken_empty_required); break;
          case BrokenKind::kInvalidBytes: Count(c_broken_invalid_bytes); break;
        }
        out.push_back({static_cast<uint32_t>(c_.broken.size()), 0, true});
        c_.broken.push_back(b);
      }
    }
    c_.rows[f] = std::move(out);
  }
}

}  // namespace

void GenerateChunk(const World& world, Chunk& chunk) {
  ChunkGen gen(world, chunk);
  gen.Run();
}

}  // namespace rollmatch::gen
