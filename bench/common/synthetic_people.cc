#include "bench/common/synthetic_people.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#ifndef ROLLMATCH_DATA_DIR
#error "ROLLMATCH_DATA_DIR must be defined (bench/common/CMakeLists.txt)"
#endif

namespace rollmatch::bench {

void CheckFailed(const char* file, int line, const std::string& what) {
  std::fprintf(stderr, "%s:%d: benchmark answer check failed: %s\n", file, line, what.c_str());
  std::fflush(stderr);
  std::abort();
}

namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) CheckFailed(__FILE__, __LINE__, "cannot read " + path + " (the repository's data/)");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> Split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else if (c != '"') {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

// Splits UTF-8 text into code points (as strings).
std::vector<std::string> CodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    const unsigned char c = s[i];
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

}  // namespace

char CheckCharacter(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

std::string IsoDate(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

const SyntheticPeople& SyntheticPeople::Get() {
  static const SyntheticPeople* people = [] {
    auto* p = new SyntheticPeople();
    const std::string dir = ROLLMATCH_DATA_DIR;
    {
      std::vector<double> w;
      auto lines = ReadLines(dir + "/names/surnames.csv");
      for (size_t i = 1; i < lines.size(); ++i) {
        auto f = Split(lines[i], ',');
        if (f.size() < 2 || f[0].empty()) continue;
        p->surnames_.items.push_back(f[0]);
        w.push_back(std::stod(f[1]));
      }
      p->surnames_.dist = std::discrete_distribution<size_t>(w.begin(), w.end());
    }
    {
      std::vector<double> ws, wf, w2;
      auto lines = ReadLines(dir + "/names/given_name_chars.csv");
      for (size_t i = 1; i < lines.size(); ++i) {
        auto f = Split(lines[i], ',');
        if (f.size() < 4 || f[0].empty()) continue;
        p->given_single_.items.push_back(f[0]);
        ws.push_back(std::stod(f[1]));
        wf.push_back(std::stod(f[2]));
        w2.push_back(std::stod(f[3]));
      }
      p->given_first_.items = p->given_second_.items = p->given_single_.items;
      p->given_single_.dist = std::discrete_distribution<size_t>(ws.begin(), ws.end());
      p->given_first_.dist = std::discrete_distribution<size_t>(wf.begin(), wf.end());
      p->given_second_.dist = std::discrete_distribution<size_t>(w2.begin(), w2.end());
    }
    {
      auto lines = ReadLines(dir + "/names/minority_dot_names.tsv");
      for (size_t i = 1; i < lines.size(); ++i) {
        auto f = Split(lines[i], '\t');
        if (!f[0].empty()) p->minority_names_.push_back(f[0]);
      }
    }
    {
      auto lines = ReadLines(dir + "/admin-divisions/villages_32.csv");
      for (size_t i = 1; i < lines.size(); ++i) {
        auto f = Split(lines[i], ',');
        if (f[0].size() != 12) continue;
        if (f[0].compare(0, 6, "320481") == 0)
          p->villages_.push_back(f[0]);
        else if (i % 7 == 0)
          p->other_villages_.push_back(f[0]);
      }
    }
    {
      // Traditional forms that OpenCC maps both ways uniquely.
      std::map<std::string, std::vector<std::string>> st, ts;
      for (auto [file, m] :
           {std::pair{"/chars/STCharacters.txt", &st}, std::pair{"/opencc/TSCharacters.txt", &ts}}) {
        for (const std::string& line : ReadLines(dir + file)) {
          if (line.empty() || line[0] == '#') continue;
          auto f = Split(line, '\t');
          if (f.size() < 2) continue;
          std::istringstream vs(f[1]);
          std::string v;
          while (vs >> v) (*m)[f[0]].push_back(v);
        }
      }
      for (const auto& [s, ts_list] : st) {
        if (ts_list.size() != 1 || ts_list[0] == s) continue;
        auto it = ts.find(ts_list[0]);
        if (it == ts.end() || it->second.size() != 1 || it->second[0] != s) continue;
        p->traditional_.emplace_back(s, ts_list[0]);
      }
    }
    RM_BENCH_CHECK(p->surnames_.items.size() > 500 && p->given_single_.items.size() > 1000 &&
                       p->villages_.size() > 100 && p->traditional_.size() > 1000,
                   "data/ tables look truncated");
    return p;
  }();
  return *people;
}

std::string SyntheticPeople::Name(Rng& rng, bool male) const {
  std::uniform_real_distribution<double> u(0, 1);
  if (u(rng) < 0.003) return minority_names_[rng() % minority_names_.size()];
  std::string name = surnames_.Draw(rng);
  (void)male;  // the table's weights already lean; kept for a later gendered table
  if (u(rng) < 0.25) {
    name += given_single_.Draw(rng);
  } else {
    name += given_first_.Draw(rng);
    name += given_second_.Draw(rng);
  }
  return name;
}

std::string SyntheticPeople::OtherGivenChar(Rng& rng) const { return given_second_.Draw(rng); }

SyntheticPerson SyntheticPeople::Person(Rng& rng) const {
  SyntheticPerson p;
  std::uniform_real_distribution<double> u(0, 1);
  p.male = (rng() & 1) != 0;
  p.name = Name(rng, p.male);
  if (u(rng) < 0.05) p.former = Name(rng, p.male);
  p.year = 1930 + static_cast<int>(rng() % 79);
  p.month = 1 + static_cast<int>(rng() % 12);
  const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (p.year % 4 == 0 && p.year % 100 != 0) || p.year % 400 == 0;
  p.day = 1 + static_cast<int>(rng() % (dim[p.month - 1] + (p.month == 2 && leap)));
  p.village = villages_[rng() % villages_.size()];
  const std::string& issued = u(rng) < 0.15 ? other_villages_[rng() % other_villages_.size()] : p.village;
  char first17[18];
  const int seq = static_cast<int>(rng() % 500) * 2 + (p.male ? 1 : 0);
  std::snprintf(first17, sizeof first17, "%.6s%04d%02d%02d%03d", issued.c_str(), p.year, p.month, p.day, seq);
  p.id = std::string(first17, 17) + CheckCharacter(first17);
  return p;
}

std::vector<SyntheticPerson> SyntheticPeople::People(size_t n, uint64_t seed) const {
  Rng rng(seed);
  std::vector<SyntheticPerson> out;
  out.reserve(n);
  uint64_t household = 0;
  while (out.size() < n) {
    SyntheticPerson head = Person(rng);
    const size_t size = 1 + rng() % 5;
    const std::string hh = "H" + std::to_string(++household);
    head.household = hh;
    const std::string surname = CodePoints(head.name).front();
    out.push_back(head);
    for (size_t k = 1; k < size && out.size() < n; ++k) {
      SyntheticPerson m = Person(rng);
      if (k >= 2 && m.name.find("\xC2\xB7") == std::string::npos) {
        // Children keep the head's surname (first code point; compound surnames aside).
        m.name = surname + m.name.substr(CodePoints(m.name).front().size());
      }
      m.village = head.village;
      m.household = hh;
      out.push_back(std::move(m));
    }
  }
  return out;
}

std::string SyntheticPeople::MessyName(Rng& rng, std::string_view name, double rate) const {
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::string> cps = CodePoints(name);
  if (u(rng) < rate) {
    for (std::string& c : cps) {
      auto it = std::lower_bound(traditional_.begin(), traditional_.end(),
                                 std::pair<std::string, std::string>(c, ""));
      if (it != traditional_.end() && it->first == c) c = it->second;
    }
  }
  for (std::string& c : cps) {
    if (c == "\xC2\xB7" && u(rng) < 0.5) {
      static const char* kDots[] = {"\xE2\x80\xA2", "\xE3\x83\xBB", "\xE2\x80\xA7", "\xEF\xBC\x8E", "."};
      c = kDots[rng() % 5];
    }
  }
  std::string out;
  if (u(rng) < rate) out += ' ';
  for (size_t i = 0; i < cps.size(); ++i) {
    out += cps[i];
    if (i + 1 < cps.size() && u(rng) < rate / 2) out += (rng() & 1) ? " " : "\xE3\x80\x80";  // U+3000
  }
  if (u(rng) < rate) out += "\xE3\x80\x80";
  return out;
}

std::string SyntheticPeople::MessyId(Rng& rng, const std::string& id, double rate) {
  std::uniform_real_distribution<double> u(0, 1);
  std::string s = id;
  if (s.compare(6, 2, "19") == 0 && u(rng) < rate) s = s.substr(0, 6) + s.substr(8, 9);  // 15 digits
  if (!s.empty() && s.back() == 'X' && u(rng) < 0.3) s.back() = 'x';
  if (u(rng) < rate) s = " " + s.substr(0, 6) + " " + s.substr(6) + " ";
  if (u(rng) < rate) {
    std::string fw;
    for (char c : s) {
      if (c >= '0' && c <= '9') {
        // U+FF10..U+FF19: EF BC 90..99
        fw += "\xEF\xBC";
        fw += static_cast<char>(0x90 + (c - '0'));
      } else {
        fw += c;
      }
    }
    s = fw;
  }
  return s;
}

}  // namespace rollmatch::bench
