#include "engine/province/fingerprints.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/core/region.h"
#include "engine/normalize/citizen_id.h"
#include "engine/report/writers.h"

namespace rollmatch {

namespace {

constexpr const char* kHeader = "fingerprint,key_id,county,township,record_id";
constexpr size_t kFingerprintChars = 52;  // 256 bits in base32
constexpr size_t kKeyIdChars = 13;        // 64 bits in base32

// RFC 4648 base32, lower case, no padding. Not hex: 64 hex digits often
// hold 15 decimal digits in a row, which any scan for ID numbers (and a
// reader) would take for one; base32 letters and the digits 2–7 almost never do.
std::string Base32(const unsigned char* bytes, size_t n) {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    buffer = (buffer << 8) | bytes[i];
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

bool IsValid18(std::string_view id) {
  if (id.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  return HasValidCheckCharacter(id);
}

// A record_id that a reader would take for an ID number (15 or more digits in a row).
bool LooksLikeIdNumber(std::string_view s) { return MaskIdNumbersInText(s) != s; }

bool IsBase32(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
         });
}

bool IsDigits(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A CSV field of ours: no quoting needed unless it holds , " or a line end.
std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// Splits one CSV line (RFC 4180 quoting, no embedded line ends).
std::vector<std::string> SplitCsv(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Status::IoError(path + ": cannot create file");
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.flush();
  if (!f) return Status::IoError(path + ": write failed (disk full?)");
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read the secret file");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t'))
    s.pop_back();
  if (s.size() < 16) {
    return Status::InvalidArgument(path + ": the secret is " + std::to_string(s.size()) +
                                   " bytes; use at least 16 (e.g. `openssl rand -hex 32 > province.key`)");
  }
  return s;
}

std::string KeyId(const std::string& secret) {
  const std::string text = "rollmatch fingerprint key id|" + secret;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(text.data(), text.size(), md, &n, EVP_sha256(), nullptr);
  return Base32(md, 8).substr(0, kKeyIdChars);
}

std::string IdFingerprint(const std::string& secret, const std::string& id18) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(id18.data()), id18.size(), md, &n);
  return Base32(md, n);
}

Result<FingerprintExport> ComputeFingerprints(const Analysis& a, const std::string& scope,
                                              const std::string& secret) {
  const Dataset& data = a.data;
  const Resolution& res = a.resolution;
  // Each person's authoritative valid ID: hukou, then migrant, then social records.
  std::vector<std::string> auth(res.num_persons);
  for (Feed f : {Feed::kHukou, Feed::kMigrant, Feed::kSocial}) {
    const uint32_t n = data.num_records(f);
    for (uint32_t row = 0; row < n; ++row) {
      const PersonId p = res.person({f, row});
      if (p >= auth.size() || !auth[p].empty()) continue;
      const CitizenId& id = data.person_fields({f, row}).id;
      if (id.valid() && IsValid18(id.text())) auth[p] = id.text();
    }
  }
  const std::string key_id = KeyId(secret);
  FingerprintExport out;
  for (uint32_t row = 0; row < data.roll.size(); ++row) {
    const RollRecord& r = data.roll[row];
    // In scope (spec/rules.md §4): the district's township, else the region code.
    const District* d = data.FindDistrict(r.district_code);
    const std::string township(d ? std::string_view(d->township) : r.region.substr(0, std::min<size_t>(9, r.region.size())));
    if (!RegionWithin(township, scope) || township.size() < 6) continue;
    out.registrations_in_scope++;
    const std::string_view record_id = data.record_id({Feed::kRoll, row});
    if (LooksLikeIdNumber(record_id)) {
      return Status::InvalidArgument(
          "roll record " + MaskIdNumbersInText(record_id) +
          ": its record_id looks like an ID number and would leave the county in clear; "
          "fingerprints need record ids that are not ID numbers");
    }
    const PersonId p = res.person({Feed::kRoll, row});
    std::string id = p < auth.size() ? auth[p] : std::string();
    if (id.empty() && r.id.valid() && IsValid18(r.id.text())) id = r.id.text();
    if (id.empty()) {
      out.without_valid_id++;
      continue;
    }
    out.rows.push_back(
        {IdFingerprint(secret, id), key_id, township.substr(0, 6), township, std::string(record_id)});
  }
  std::sort(out.rows.begin(), out.rows.end(), [](const Fingerprint& x, const Fingerprint& y) {
    return std::tie(x.township, x.record_id) < std::tie(y.township, y.record_id);
  });
  return out;
}

Status WriteFingerprints(const std::string& path, const std::vector<Fingerprint>& rows) {
  std::string text = std::string(kHeader) + "\n";
  for (const Fingerprint& f : rows) {
    text += f.fingerprint + "," + f.key_id + "," + f.county + "," + f.township + "," + CsvField(f.record_id) +
            "\n";
  }
  return WriteText(path, text);
}

Result<std::vector<Fingerprint>> ReadFingerprints(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read");
  std::string line;
  if (!std::getline(in, line) || (line != kHeader && line != std::string(kHeader) + "\r")) {
    return Status::InvalidArgument(path + ":1: not a fingerprint file (header " + kHeader + ")");
  }
  std::vector<Fingerprint> rows;
  for (size_t n = 2; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> c = SplitCsv(line);
    if (c.size() != 5 || !IsBase32(c[0], kFingerprintChars) || !IsBase32(c[1], kKeyIdChars) ||
        !IsDigits(c[2], 6) || !IsDigits(c[3], 9) || c[3].compare(0, 6, c[2]) != 0 || c[4].empty()) {
      return Status::InvalidArgument(
          path + ":" + std::to_string(n) +
          ": not a fingerprint row (fingerprint,key_id,county,township,record_id)");
    }
    rows.push_back({c[0], c[1], c[2], c[3], c[4]});
  }
  return rows;
}

Result<CrosscheckResult> Crosscheck(const std::vector<std::string>& files) {
  CrosscheckResult result;
  std::string key_id, key_file;
  std::map<std::string, std::string> file_of_county;
  // fingerprint → (county → rows)
  std::map<std::string, std::map<std::string, std::vector<const Fingerprint*>>> seen;
  std::vector<std::vector<Fingerprint>> all;
  all.reserve(files.size());
  for (const std::string& file : files) {
    RM_ASSIGN_OR_RETURN(std::vector<Fingerprint> rows, ReadFingerprints(file));
    std::set<std::string> counties;
    for (const Fingerprint& f : rows) {
      if (key_id.empty()) {
        key_id = f.key_id;
        key_file = file;
      } else if (f.key_id != key_id) {
        return Status::InvalidArgument(file + ": made with another secret (key id " + f.key_id + ", " +
                                       key_file + " has " + key_id +
                                       "); every county must use the province's secret");
      }
      counties.insert(f.county);
    }
    for (const std::string& c : counties) {
      auto [it, inserted] = file_of_county.emplace(c, file);
      if (!inserted) {
        return Status::InvalidArgument("county " + c + " is in both " + it->second + " and " + file +
                                       " (overlapping inputs)");
      }
    }
    all.push_back(std::move(rows));
  }
  for (const auto& rows : all) {
    for (const Fingerprint& f : rows) {
      seen[f.fingerprint][f.county].push_back(&f);
      result.registrations[f.county]++;
    }
  }
  for (const auto& [fp, by_county] : seen) {
    if (by_county.size() < 2) continue;
    result.persons++;
    for (const auto& [county, rows] : by_county) {
      std::vector<std::string> others;
      for (const auto& [other, unused] : by_county) {
        if (other != county) others.push_back(other);
      }
      for (const Fingerprint* f : rows) {
        result.by_county[county].push_back({f->record_id, f->township, fp.substr(0, 16), others});
      }
    }
  }
  for (auto& [county, rows] : result.by_county) {
    std::sort(rows.begin(), rows.end(),
              [](const CrossCountyRow& x, const CrossCountyRow& y) { return x.record_id < y.record_id; });
  }
  return result;
}

Status WriteCrosscheck(const std::string& dir, const CrosscheckResult& result) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError(dir + ": cannot create the folder: " + ec.message());
  for (const auto& [county, rows] : result.by_county) {
    std::string text = "record_id,township,case_id,other_counties\n";
    for (const CrossCountyRow& r : rows) {
      std::string others;
      for (const std::string& o : r.other_counties) others += (others.empty() ? "" : ";") + o;
      text += CsvField(r.record_id) + "," + r.township + "," + r.case_id + "," + others + "\n";
    }
    RM_RETURN_IF_ERROR(WriteText(dir + "/" + county + ".csv", text));
  }
  std::string summary = "county,registrations,concerned\n";
  for (const auto& [county, n] : result.registrations) {
    auto it = result.by_county.find(county);
    summary += county + "," + std::to_string(n) + "," +
               std::to_string(it == result.by_county.end() ? 0 : it->second.size()) + "\n";
  }
  return WriteText(dir + "/summary.csv", summary);
}

}  // namespace rollmatch
