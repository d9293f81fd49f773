#include "bench/generator/reference_data.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

namespace rollmatch::gen {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read reference data file " + path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  if (!lines.empty() && lines[0].rfind("\xEF\xBB\xBF", 0) == 0) lines[0] = lines[0].substr(3);
  return lines;
}

// Minimal CSV split for the reference files: fields may be double-quoted,
// no embedded quotes or newlines.
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

char32_t FirstCp(std::string_view s) {
  auto cps = Utf8Decode(s);
  return cps.empty() ? 0 : cps[0];
}

// Characters typical of men's / women's given names (boost, not exclusive).
const char* kMaleChars = "伟强军勇杰涛斌磊超刚平辉鹏飞鑫波浩宇峰建国志兵龙海林东亮成俊凯雷松健彬江山生德忠武安晨明华文永福荣";
const char* kFemaleChars = "丽娟芳敏静婷娜秀英玲霞燕红梅琳雪慧莉萍倩颖佳琴云凤兰洁欣怡悦婉娇艳妍蓉薇瑶璐露菲晶月珍美爱桂春琪娅";

// Pieces that mark a Tibetan or Kazakh name among the minority candidates;
// the rest are taken as Uyghur.
const char* kTibetan[] = {"次仁", "多杰", "多吉", "洛桑", "扎西", "卓玛", "格桑", "尼玛", "旺堆", "达瓦", "索朗", "平措", "丹增", "嘉措", "强巴", "顿珠", "仲布", "甲热", "布曲吉", "嘉木样", "桑顶"};
const char* kKazakh[] = {"别克", "努尔兰", "叶尔", "加那", "哈孜", "拜"};
// Candidates that are foreign (Arabic / Western) names, not Chinese citizens'.
const char* kForeign[] = {"约翰", "艾力克斯", "艾力士", "贾涅特", "莎娜", "兰德尔", "穆罕默德", "默罕默德", "哈利法", "阿卜杜勒", "阿卜杜拉", "阿卜杜·", "诺夫", "巴耶夫", "娃", "斯玛格", "瓦达格", "哈斯纳", "扎西亚", "德哈尔"};

}  // namespace

ReferenceData ReferenceData::Load(const std::string& dir, const std::string& county6) {
  ReferenceData ref;
  ref.county_code = county6;
  const std::string prov = county6.substr(0, 2), city = county6.substr(0, 4);

  // ---- Divisions ----
  std::map<std::string, std::string> province_names = {{"11", "北京市"}, {"12", "天津市"}, {"13", "河北省"}, {"14", "山西省"}, {"15", "内蒙古自治区"}, {"21", "辽宁省"}, {"22", "吉林省"}, {"23", "黑龙江省"}, {"31", "上海市"}, {"32", "江苏省"}, {"33", "浙江省"}, {"34", "安徽省"}, {"35", "福建省"}, {"36", "江西省"}, {"37", "山东省"}, {"41", "河南省"}, {"42", "湖北省"}, {"43", "湖南省"}, {"44", "广东省"}, {"45", "广西壮族自治区"}, {"46", "海南省"}, {"50", "重庆市"}, {"51", "四川省"}, {"52", "贵州省"}, {"53", "云南省"}, {"54", "西藏自治区"}, {"61", "陕西省"}, {"62", "甘肃省"}, {"63", "青海省"}, {"64", "宁夏回族自治区"}, {"65", "新疆维吾尔自治区"}};
  ref.province_name = province_names.count(prov) ? province_names[prov] : "";
  std::map<int, OtherCounty> counties;
  {
    auto lines = ReadLines(dir + "/admin-divisions/areas.csv");
    for (size_t i = 1; i < lines.size(); ++i) {
      auto f = CsvFields(lines[i]);
      if (f.size() < 4 || f[0].size() != 6) continue;
      if (f[0] == county6) {
        ref.county_name = f[1];
        continue;
      }
      if (f[0][4] == '7') continue;  // NBS-only development zones: not GB/T 2260
      OtherCounty c;
      c.code = std::stoi(f[0]);
      c.name = f[1];
      counties[c.code] = c;
    }
  }
  if (ref.county_name.empty()) throw std::runtime_error("scope county " + county6 + " not in data/admin-divisions/areas.csv");
  std::map<std::string, size_t> township_index;
  {
    auto lines = ReadLines(dir + "/admin-divisions/streets.csv");
    for (size_t i = 1; i < lines.size(); ++i) {
      auto f = CsvFields(lines[i]);
      if (f.size() < 3 || f[0].size() != 9) continue;
      const std::string& code = f[0];
      if (code.compare(0, 6, county6) == 0) {
        if (code[6] == '4' || code[6] == '5') continue;  // prisons, farms, development zones
        township_index[code] = ref.townships.size();
        ref.townships.push_back(Township{code, f[1], {}});
      } else {
        auto it = counties.find(std::stoi(code.substr(0, 6)));
        if (it != counties.end() && code[6] != '4' && code[6] != '5') it->second.townships.push_back(code);
      }
    }
  }
  {
    auto lines = ReadLines(dir + "/admin-divisions/villages_32.csv");
    for (size_t i = 1; i < lines.size(); ++i) {
      auto f = CsvFields(lines[i]);
      if (f.size() < 3 || f[0].size() != 12) continue;
      auto t = township_index.find(f[2]);
      if (t != township_index.end()) {
        ref.townships[t->second].villages.push_back(Village{f[0], f[1]});
      } else if (f[0][6] != '4' && f[0][6] != '5') {
        auto it = counties.find(std::stoi(f[0].substr(0, 6)));
        if (it != counties.end()) it->second.villages.push_back(f[0]);
      }
    }
  }
  std::erase_if(ref.townships, [](const Township& t) { return t.villages.empty(); });
  if (ref.townships.empty()) throw std::runtime_error("no villages for county " + county6 + " in data/admin-divisions/villages_32.csv (only province 32 is kept)");
  for (auto& t : ref.townships) std::sort(t.villages.begin(), t.villages.end(), [](auto& a, auto& b) { return a.code < b.code; });
  std::sort(ref.townships.begin(), ref.townships.end(), [](auto& a, auto& b) { return a.code < b.code; });
  // Usual source provinces of migrants into southern Jiangsu weigh more.
  const std::map<std::string, double> kSource = {{"34", 8}, {"41", 5}, {"51", 4}, {"52", 3}, {"36", 2}, {"37", 2}, {"42", 2}, {"43", 2}, {"50", 2}, {"13", 1}};
  for (auto& [code, c] : counties) {
    if (c.townships.empty()) continue;
    const std::string cp = std::to_string(code).substr(0, 2), cc = std::to_string(code).substr(0, 4);
    if (cc == city) {
      ref.same_city.push_back(c);
    } else if (cp == prov) {
      ref.same_province.push_back(c);
    } else {
      ref.other_province.push_back(c);
      auto w = kSource.find(cp);
      ref.other_province_w.Add(w == kSource.end() ? 0.3 : w->second);
    }
  }
  if (ref.same_city.empty()) ref.same_city = ref.same_province;

  // ---- Traditional → simplified, as a normalizer sees it ----
  std::unordered_map<char32_t, std::vector<char32_t>> ts;
  for (const auto& line : ReadLines(dir + "/chars/TSCharacters.txt")) {
    if (line.empty() || line[0] == '#') continue;
    auto f = SplitView(line, '\t');
    if (f.size() < 2) continue;
    std::vector<char32_t> vals;
    for (auto v : SplitView(f[1], ' '))
      if (!v.empty()) vals.push_back(FirstCp(v));
    ts[FirstCp(f[0])] = vals;
  }
  UErrorCode icu_status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> hant_hans(icu::Transliterator::createInstance("Hant-Hans", UTRANS_FORWARD, icu_status));
  if (U_FAILURE(icu_status)) hant_hans.reset();
  auto icu_simplified = [&](char32_t c) -> char32_t {
    if (!hant_hans) return c;
    icu::UnicodeString u(static_cast<UChar32>(c));
    hant_hans->transliterate(u);
    return u.countChar32() == 1 ? static_cast<char32_t>(u.char32At(0)) : 0;
  };
  // A character normalization leaves as it is (not a traditional or variant form).
  auto stable = [&](char32_t c) {
    auto it = ts.find(c);
    if (it != ts.end() && !it->second.empty() && it->second[0] != c) return false;
    return icu_simplified(c) == c;
  };
  auto stable_text = [&](const std::string& text) {
    for (char32_t c : Utf8Decode(text))
      if (!stable(c)) return false;
    return true;
  };

  // ---- Names ----
  {
    auto lines = ReadLines(dir + "/names/surnames.csv");
    for (size_t i = 1; i < lines.size(); ++i) {
      auto f = CsvFields(lines[i]);
      if (f.size() < 2 || f[0].empty() || !stable_text(f[0])) continue;
      ref.surnames.push_back(f[0]);
      ref.surname_w.Add(std::stod(f[1]));
    }
  }
  std::set<char32_t> male_set, female_set;
  for (char32_t c : Utf8Decode(kMaleChars)) male_set.insert(c);
  for (char32_t c : Utf8Decode(kFemaleChars)) female_set.insert(c);
  std::set<char32_t> name_char_set;
  {
    auto lines = ReadLines(dir + "/names/given_name_chars.csv");
    for (size_t i = 1; i < lines.size(); ++i) {
      auto f = CsvFields(lines[i]);
      if (f.size() < 4) continue;
      const char32_t c = FirstCp(f[0]);
      if (!stable(c)) continue;  // traditional forms in the news names
      const double s = std::stod(f[1]), a = std::stod(f[2]), b = std::stod(f[3]);
      ref.name_chars.push_back(c);
      if (s + a + b >= 2) name_char_set.insert(c);
      for (int g = 0; g < 2; ++g) {
        double k = 1.0;
        if (male_set.count(c)) k = g == 0 ? 3.0 : 0.15;
        if (female_set.count(c)) k = g == 1 ? 3.0 : 0.15;
        ref.single_w[g].Add(s * k);
        ref.first_w[g].Add(a * k);
        ref.second_w[g].Add(b * k);
      }
    }
  }
  {
    auto lines = ReadLines(dir + "/names/minority_dot_names.tsv");
    std::set<std::string> given;
    for (size_t i = 1; i < lines.size(); ++i) {
      const std::string name = lines[i].substr(0, lines[i].find('\t'));
      const std::string dot = "\xC2\xB7";
      const size_t p = name.find(dot);
      if (p == std::string::npos || name.find(dot, p + 2) != std::string::npos) continue;  // exactly two parts
      bool bad = false;
      for (char ch : name)
        if (static_cast<unsigned char>(ch) < 0x80) bad = true;  // Latin letters
      for (const char* f : kForeign)
        if (name.find(f) != std::string::npos) bad = true;
      const std::string first = name.substr(0, p), second = name.substr(p + 2);
      if (!stable_text(name)) bad = true;
      if (bad || Utf8Decode(first).size() < 2 || Utf8Decode(second).size() < 2) continue;
      ref.dot_names.push_back(name);
      std::string eth = "维吾尔族";
      for (const char* t : kTibetan)
        if (name.find(t) != std::string::npos) eth = "藏族";
      for (const char* k : kKazakh)
        if (name.find(k) != std::string::npos) eth = "哈萨克族";
      ref.dot_ethnicity.push_back(eth);
      given.insert(first);
    }
    ref.dot_given.assign(given.begin(), given.end());
  }
  {
    auto lines = ReadLines(dir + "/ethnic_groups.csv");
    for (size_t i = 1; i < lines.size(); ++i) {
      auto f = CsvFields(lines[i]);
      if (f.size() >= 2) ref.ethnic_groups.push_back(f[1]);
    }
    if (ref.ethnic_groups.size() != 56) throw std::runtime_error("data/ethnic_groups.csv: expected 56 groups");
  }

  // ---- Confusion sets ----
  {
    auto lines = ReadLines(dir + "/chars/same_pinyin.txt");
    for (const auto& line : lines) {
      if (line.empty() || line[0] == '#') continue;
      auto f = SplitView(line, '\t');
      if (f.size() < 2) continue;
      const char32_t c = FirstCp(f[0]);
      if (!name_char_set.count(c)) continue;
      std::vector<char32_t> alts;
      for (char32_t a : Utf8Decode(f[1]))
        if (a != c && name_char_set.count(a)) alts.push_back(a);
      if (!alts.empty()) ref.same_pinyin[c] = alts;
    }
  }
  {
    auto lines = ReadLines(dir + "/chars/same_stroke.txt");
    for (const auto& line : lines) {
      std::vector<char32_t> group;
      for (auto piece : SplitView(line, '\t')) {
        const char32_t c = FirstCp(piece);
        if (c && name_char_set.count(c)) group.push_back(c);
      }
      for (char32_t c : group)
        for (char32_t a : group)
          if (a != c) ref.same_stroke[c].push_back(a);
    }
  }

  // ---- Simplified → traditional ----
  for (const auto& line : ReadLines(dir + "/chars/STCharacters.txt")) {
    if (line.empty() || line[0] == '#') continue;
    auto f = SplitView(line, '\t');
    if (f.size() < 2) continue;
    const char32_t s = FirstCp(f[0]);
    const char32_t t = FirstCp(SplitView(f[1], ' ')[0]);
    if (t == 0 || t == s) continue;
    auto it = ts.find(t);
    if (it == ts.end() || it->second.size() != 1 || it->second[0] != s) continue;
    const char32_t back = icu_simplified(t);
    if (back != s && back != t) continue;
    ref.to_traditional[s] = t;
  }
  return ref;
}

}  // namespace rollmatch::gen
