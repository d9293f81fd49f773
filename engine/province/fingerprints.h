#pragma once
// Cross-county duplicates without ID numbers in clear (issue 6).
//
// Each county exports, per in-scope registration, a fingerprint: the
// HMAC-SHA-256 of the person's normalized 18-character ID keyed with a
// secret that the province holds and hands to its counties; the province
// collects the files and finds the fingerprints registered in two or more
// counties (people registered both at their hukou county and where they
// live: 人户分离 across counties), and gives each county the list of its
// registrations concerned, by record_id, so each resolves them with its own
// data. No ID number leaves a county.
//
// Why keyed: an ID number has little entropy. Its 6-digit region and 8-digit
// birth date are guessable, leaving 3 sequence digits and a check
// character that follows from the rest, so about 10^3 values per county and
// birth date and some 10^7–10^8 per county in all: an unkeyed hash (SHA-256
// of the ID) is reversed by hashing every candidate in seconds. With the
// key, no one without it can compute a single candidate's fingerprint.
// The secret must stay at the province and the counties' run machines, never
// beside the exported files. Each file carries a key id (a hash of the
// secret) so that files made with different secrets are refused rather
// than silently never matching.
//
// Which ID: the person's authoritative ID (hukou first, then migrant and
// social records, as spec/rules.md §1), else the registration's own ID when
// it is valid; registrations without a valid ID are counted and left out.

#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/pipeline/pipeline.h"

namespace rollmatch {

// One in-scope registration's fingerprint.
struct Fingerprint {
  std::string fingerprint;  // 52 characters: HMAC-SHA-256 in base32 (lower case, no padding)
  std::string key_id;       // 13 characters: 64 bits of a hash of the secret, base32
  std::string county;       // 6 digits
  std::string township;     // 9 digits
  std::string record_id;    // the roll record
};

// Reads the province's secret: the file's bytes without trailing white
// space; at least 16 bytes.
Result<std::string> ReadSecretFile(const std::string& path);

// The key id of a secret (64 bits of SHA-256, domain-separated, base32).
std::string KeyId(const std::string& secret);

// HMAC-SHA-256 of `id18` keyed with `secret`, in base32 (52 characters).
std::string IdFingerprint(const std::string& secret, const std::string& id18);

// What an export found.
struct FingerprintExport {
  std::vector<Fingerprint> rows;
  uint64_t registrations_in_scope = 0;
  uint64_t without_valid_id = 0;
};

// The fingerprints of every in-scope registration of an analysed county.
// Fails when a record_id looks like an ID number (it would leave in clear).
Result<FingerprintExport> ComputeFingerprints(const Analysis& analysis, const std::string& scope,
                                              const std::string& secret);

// CSV: fingerprint,key_id,county,township,record_id (UTF-8, LF).
Status WriteFingerprints(const std::string& path, const std::vector<Fingerprint>& rows);
Result<std::vector<Fingerprint>> ReadFingerprints(const std::string& path);

// The registrations of one county that share a fingerprint with another
// county's registration.
struct CrossCountyRow {
  std::string record_id;
  std::string township;
  std::string case_id;  // the fingerprint's first 16 characters: the same person in every county's list
  std::vector<std::string> other_counties;
};

struct CrosscheckResult {
  std::map<std::string, std::vector<CrossCountyRow>> by_county;  // county → rows (sorted by record_id)
  std::map<std::string, uint64_t> registrations;                 // county → rows read
  uint64_t persons = 0;  // fingerprints registered in two or more counties
};

// Finds the fingerprints registered in two or more counties. Refuses files
// of different key ids and a county present in two files.
Result<CrosscheckResult> Crosscheck(const std::vector<std::string>& files);

// DIR/<county>.csv for every county concerned (record_id,township,case_id,
// other_counties; other counties separated by ';'), and DIR/summary.csv
// (county,registrations,concerned) for every county read.
Status WriteCrosscheck(const std::string& dir, const CrosscheckResult& result);

}  // namespace rollmatch
