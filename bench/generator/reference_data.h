#pragma once
// The real reference data the generator builds its world from: the scope
// county's townships and villages (NBS 2023), other counties for migrants and
// ID regions, surnames and given-name characters, minority dot names,
// same-sound / similar-shape confusion sets and simplified→traditional
// characters. Everything is read from the repository's data/ folder.

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/generator/gen_util.h"

namespace rollmatch::gen {

struct Village {
  std::string code;  // 12 digits
  std::string name;  // e.g. 埭头村村委会
};

struct Township {
  std::string code;  // 9 digits
  std::string name;
  std::vector<Village> villages;
};

// A county outside the scope, with its township codes (9 digits) and, for
// province 32, its village codes (12 digits).
struct OtherCounty {
  int code = 0;
  std::string name;
  std::vector<std::string> townships;
  std::vector<std::string> villages;
};

struct ReferenceData {
  // Loads everything; throws std::runtime_error naming the file on failure.
  // county6 is the scope county (first 6 digits of the scope).
  static ReferenceData Load(const std::string& data_dir, const std::string& county6);

  // ---- The scope county ----
  std::string county_code;  // 6 digits
  std::string county_name;  // 溧阳市
  std::string city_name;
  std::string province_name;
  std::vector<Township> townships;  // real townships, special areas (4xx) left out

  // ---- Elsewhere ----
  std::vector<OtherCounty> same_city;      // counties of the same prefecture
  std::vector<OtherCounty> same_province;  // other counties of the province
  std::vector<OtherCounty> other_province; // counties of other provinces (ID regions, migrants)
  WeightedTable other_province_w;          // heavier for the usual source provinces of migrants

  // ---- Names ----
  std::vector<std::string> surnames;
  WeightedTable surname_w;
  std::vector<char32_t> name_chars;
  // Position tables by gender (0 male, 1 female): single-character given name,
  // first and second character of a two-character given name.
  WeightedTable single_w[2], first_w[2], second_w[2];
  std::vector<std::string> dot_given;  // first parts of minority names (本人名)
  std::vector<std::string> dot_names;  // full names 本人名·父名
  std::vector<std::string> dot_ethnicity;  // 民族 guessed from the name pieces, parallel to dot_names
  std::vector<std::string> ethnic_groups;  // GB/T 3304 order, [0] = 汉族

  // ---- Typos and scripts ----
  // Same syllable and same tone, restricted to given-name characters.
  std::unordered_map<char32_t, std::vector<char32_t>> same_pinyin;
  // Similar shape, restricted to given-name characters.
  std::unordered_map<char32_t, std::vector<char32_t>> same_stroke;
  // Simplified → traditional, only where the traditional form maps back to
  // exactly this simplified character (OpenCC TSCharacters, checked with ICU).
  std::unordered_map<char32_t, char32_t> to_traditional;
};

}  // namespace rollmatch::gen
