#pragma once
// The synthetic world: persons in households, the records every feed holds
// about them (with planted situations and clerical errors), and the chunks the
// generator works in. A chunk is a deterministic slice of the world: its
// content depends only on (seed, chunk index), so chunks are generated in
// parallel and written in order.

#include <array>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <string>
#include <vector>

#include "bench/generator/gen_util.h"
#include "bench/generator/reference_data.h"

namespace rollmatch::gen {

enum class NoiseLevel : uint8_t { kNone, kCosmetic, kFull };

struct GenConfig {
  uint64_t persons = 10000;
  uint64_t seed = 1;
  NoiseLevel noise = NoiseLevel::kNone;
  std::string scope = "320481";
  int election_day = 20261215;
  int previous_election_day = 20211115;  // 0 = not set
  bool gzip = false;
  std::string out_dir;
  std::string data_dir;
  uint32_t chunk_persons = 16384;
};

// Feeds with rows; districts are written once, apart.
enum Feed : uint8_t { kHukou, kMigrant, kSocial, kRoll, kRights, kNumFeeds };
inline const char* const kFeedNames[kNumFeeds] = {"hukou", "migrant", "social", "roll", "rights"};
inline const char kFeedPrefix[kNumFeeds] = {'H', 'M', 'S', 'R', 'Q'};

// ---- Counters for summary.json: planted situations and noise kinds. ----
#define RM_GEN_COUNTS(X)                                                                              \
  X(households) X(persons_local) X(persons_split_in_county) X(persons_living_elsewhere)                 \
  X(persons_migrant) X(persons_commuter) X(persons_ghost) X(hukou_deceased) X(hukou_moved_out)          \
  X(moved_out_residing_here) X(hukou_moved_in_since_previous) X(minority_dot_names)                     \
  X(other_ethnic_han_names) X(former_names) X(generational_sibling_names) X(born_29_feb)                \
  X(born_near_18_boundary) X(id_region_elsewhere) X(migrant_expired) X(migrant_expiry_day_before)     \
  X(migrant_expiry_on_day) X(residence_9_digit) X(social_unit_region) X(social_9_digit)                \
  X(social_outside_scope) X(rights_covering) X(rights_ended_day_before) X(rights_ending_on_day)        \
  X(rights_starting_on_day) X(rights_starting_after) X(rights_ended_earlier) X(not_registered_local)   \
  X(not_registered_migrant) X(reg_hukou) X(reg_residence) X(reg_unit) X(reg_deceased) X(reg_moved_out)   \
  X(reg_moved_out_at_old_hukou_while_residing) X(reg_underage) X(reg_no_rights)                        \
  X(reg_expired_migrant) X(reg_commuter) X(reg_wrong_district) X(reg_unknown_district)                 \
  X(reg_out_of_scope) X(dup_hukou_and_residence) X(dup_same_township) X(ghost_registration)            \
  X(details_name_homophone) X(details_name_shape) X(details_birth) X(details_gender)                   \
  X(details_id_substitution) X(details_id_transposition) X(details_id_other_valid) X(details_id_empty)  \
  X(reg_under_former_name) X(same_name_birth_same_household) X(same_name_birth_same_village)            \
  X(clerical_roll_id_substitution) X(clerical_roll_id_transposition) X(clerical_roll_name_homophone)   \
  X(clerical_roll_name_shape) X(clerical_roll_birth) X(clerical_roll_gender)                           \
  X(clerical_migrant_id_substitution) X(clerical_migrant_id_transposition) X(clerical_migrant_id_missing) \
  X(clerical_migrant_name_homophone) X(clerical_migrant_birth) X(clerical_social_id_substitution)       \
  X(clerical_social_id_transposition) X(clerical_social_id_missing) X(clerical_social_name_homophone)   \
  X(clerical_social_birth)                                                                            \
  X(noise_id_fullwidth) X(noise_id_lowercase_x) X(noise_id_spaces) X(noise_id_15_digit)                 \
  X(noise_id_json_number) X(noise_name_spaces) X(noise_name_ideographic_space)                          \
  X(noise_name_traditional) X(noise_name_dot_variant) X(noise_date_compact) X(noise_date_slash)         \
  X(noise_gender_digit) X(noise_gender_letter) X(noise_status_chinese) X(noise_status_empty)            \
  X(noise_optional_empty) X(noise_former_separator) X(noise_month_compact)                              \
  X(broken_json) X(broken_too_few_columns) X(broken_empty_required) X(broken_invalid_bytes)

enum Count : uint16_t {
#define RM_GEN_ENUM(name) c_##name,
  RM_GEN_COUNTS(RM_GEN_ENUM)
#undef RM_GEN_ENUM
      kNumCounts
};
inline const char* const kCountNames[kNumCounts] = {
#define RM_GEN_NAME(name) #name,
    RM_GEN_COUNTS(RM_GEN_NAME)
#undef RM_GEN_NAME
};
using Counters = std::array<uint64_t, kNumCounts>;

// ---- Records ----

// How a record's ID number relates to its person's true ID; resolved once IDs
// are allocated (they are allocated in order, after generation).
enum class IdPlan : uint8_t { kTrue, kSubstitution, kTransposition, kOtherValid, kEmpty };

// The identity fields of a record as a perfect normalizer would read them:
// id is 18 upper-case characters (valid or not) or "", name is simplified with
// U+00B7 as the only dot and no spaces, birth is yyyymmdd or 0, gender 1 male,
// 2 female, 0 unknown. Rendering adds only cosmetic noise on top.
struct Ident {
  std::string id;
  std::string name;
  int birth = 0;
  uint8_t gender = 0;
  IdPlan id_plan = IdPlan::kTrue;
};

enum class HukouStatus : uint8_t { kNormal, kDeceased, kMovedOut };
enum class SocialStatus : uint8_t { kActive, kSuspended, kTerminated };
enum class RightsKind : uint8_t { kDeprived, kSuspended, kIncapacitated };
enum class Basis : uint8_t { kHukou, kResidence, kUnit };

struct HukouRec {
  uint64_t rid = 0;
  Ident v;
  std::vector<std::string> former;
  std::string region;  // 12 digits
  HukouStatus status = HukouStatus::kNormal;
  int status_date = 0;
  std::string address;
};
struct MigrantRec {
  uint64_t rid = 0;
  Ident v;
  std::string hukou_region;
  std::string residence_region;  // 12 or 9 digits
  int registered = 0;
  int expiry = 0;  // 0 = none
  std::string address;
};
struct SocialRec {
  uint64_t rid = 0;
  Ident v;
  std::string insured_region;
  std::string employer;
  SocialStatus status = SocialStatus::kActive;
  int last_paid = 0;  // yyyymm
};
struct RightsRec {
  uint64_t rid = 0;
  Ident v;
  RightsKind kind = RightsKind::kDeprived;
  int from = 0, to = 0;  // 0 = open
};
struct RollRec {
  uint64_t rid = 0;
  Ident v;
  std::string district;
  std::string region;
  Basis basis = Basis::kHukou;
  int registered = 0;
};

// 人户分离 kinds: where a person's hukou is and where they live.
enum class Kind : uint8_t {
  kLocal,      // hukou in the county, lives there
  kSplit,      // hukou in one township of the county, lives in another
  kAway,       // hukou in the county, lives in another county
  kMigrant,    // hukou elsewhere, lives in the county (居住证)
  kCommuter,   // hukou elsewhere, lives elsewhere, works in the county
  kGhost,      // exists only as a registration nobody else knows
};

struct Person {
  uint64_t pid = 0;
  uint64_t household = 0;
  Kind kind = Kind::kLocal;
  std::string name;  // true, canonical
  int surname_len = 1;  // code points; 0 for dot names
  std::vector<std::string> former;
  uint8_t gender = 1;
  int birth = 0;
  std::string ethnicity;
  int id_region = 0;
  std::string id;  // allocated after generation
  bool no_errors = false;  // planted pairs keep clean registrations
  std::vector<HukouRec> hukou;
  std::vector<MigrantRec> migrant;
  std::vector<SocialRec> social;
  std::vector<RightsRec> rights;
  std::vector<RollRec> roll;
};

// One row of a feed file in file order: a record of a person, or a broken row.
struct Row {
  uint32_t person = 0;  // index in Chunk::persons, or index in Chunk::broken
  uint16_t index = 0;   // index in the person's records of that feed
  bool broken = false;
};

enum class BrokenKind : uint8_t { kJson, kTooFewColumns, kEmptyRequired, kInvalidBytes };
struct BrokenRow {
  Feed feed;
  BrokenKind kind;
  uint64_t rid = 0;
  uint64_t local_line = 0;  // filled while rendering
};

// An electoral district (选区).
struct District {
  std::string code;
  std::string name;
  std::string township;
  bool unit = false;
  std::vector<std::string> regions;
};

// Districts of the scope, with the look-ups the generator and the oracle need.
struct DistrictTable {
  std::vector<District> districts;
  std::map<std::string, size_t> by_code;
  std::map<std::string, std::vector<size_t>> by_region;    // 12-digit code → covering districts
  std::map<std::string, std::vector<size_t>> by_township;  // 9-digit code → its districts
  void Index();
  const District* Find(const std::string& code) const;
  // Districts of the given kind covering a 12-digit region, or every district
  // of the kind in the township of a 9-digit one.
  void Covering(const std::string& region, bool unit, std::vector<size_t>& out) const;
};

// Everything shared read-only by all chunks.
struct World {
  GenConfig cfg;
  ReferenceData ref;
  DistrictTable districts;
  std::map<std::string, size_t> area_of_village;   // village → its area district
  std::map<std::string, std::string> unit_village; // township → village of its unit district
  std::map<std::string, size_t> unit_of_township;  // township → unit district
  WeightedTable township_w;                         // where households live
  std::string scope_county;                         // first 6 digits of the scope
  int record_id_width = 8;

  static World Build(const GenConfig& cfg);
  std::string RecordId(Feed f, uint64_t rid) const;
};

// A slice of the world.
struct Chunk {
  uint64_t index = 0;
  uint64_t n_persons = 0;
  std::vector<Person> persons;
  std::vector<Row> rows[kNumFeeds];
  std::vector<BrokenRow> broken;
  Counters counts{};
};

// Fills chunk.persons, chunk.rows and chunk.broken (record ids and citizen
// IDs are left for AssignIds).
void GenerateChunk(const World& world, Chunk& chunk);

// Allocates citizen IDs, unique across the world, in chunk order.
class IdAllocator {
 public:
  explicit IdAllocator(const World& world) : world_(world) {}
  std::string Allocate(int region6, int birth, uint8_t gender);

 private:
  const World& world_;
  std::unordered_map<uint64_t, uint32_t> used_;  // looked up only, never iterated
};

// Serial step: citizen IDs and record ids, in file order.
void AssignIds(const World& world, Chunk& chunk, IdAllocator& ids, std::array<uint64_t, kNumFeeds>& next_rid);

// Parallel step after AssignIds: turns the ID plans into ID values.
void ResolveIdPlans(const World& world, Chunk& chunk);

}  // namespace rollmatch::gen
