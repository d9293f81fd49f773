#include "engine/pipeline/flag_history.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <cstdint>
#include <fstream>
#include <string_view>

#include "engine/core/hash.h"
#include "engine/normalize/citizen_id.h"
#include "engine/report/json_writer.h"

namespace rollmatch {

namespace {

bool IsValid18(std::string_view id) {
  if (id.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  return HasValidCheckCharacter(id);
}

}  // namespace

void AssignPersonKeys(const Dataset& data, const Resolution& resolution, std::vector<Flag>* flags) {
  std::vector<Flag>& all = *flags;
  std::vector<uint8_t> valid(all.size());
  tbb::parallel_for(size_t{0}, all.size(), [&](size_t i) { valid[i] = IsValid18(all[i].summary.id_number); });
  // Persons without a valid ID: the smallest feed:record_id of their
  // records, found in one pass over the records with a slot per person.
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> slot;
  std::vector<std::string> smallest;
  for (size_t i = 0; i < all.size(); ++i) {
    if (valid[i]) continue;
    if (slot.empty()) slot.assign(resolution.num_persons, kNone);
    const PersonId p = all[i].person;
    if (p < slot.size() && slot[p] == kNone) {
      slot[p] = static_cast<uint32_t>(smallest.size());
      smallest.emplace_back();
    }
  }
  if (!smallest.empty()) {
    for (int fi = 0; fi < kNumPersonFeeds; ++fi) {
      const Feed feed = static_cast<Feed>(fi);
      const std::vector<PersonId>& person_of = resolution.person_of[fi];
      for (uint32_t row = 0; row < person_of.size(); ++row) {
        const PersonId p = person_of[row];
        if (p >= slot.size() || slot[p] == kNone) continue;
        std::string ref = std::string(FeedName(feed)) + ":" + std::string(data.record_id({feed, row}));
        std::string& best = smallest[slot[p]];
        if (best.empty() || ref < best) best = std::move(ref);
      }
    }
  }
  tbb::parallel_for(size_t{0}, all.size(), [&](size_t i) {
    Flag& f = all[i];
    if (valid[i]) {
      f.person_key = "i" + HashHex(Hash64("rollmatch-person|" + f.summary.id_number));
    } else {
      const uint32_t k = f.person < slot.size() ? slot[f.person] : kNone;
      f.person_key = "r" + HashHex(Hash64("rollmatch-person|" + (k == kNone ? std::string() : smallest[k])));
    }
  });
}

Result<FlagHistoryMarks> MarkFlagsAgainstHistory(StateDb& state, const std::string& run_id,
                                                 const std::string& run_date, std::vector<Flag>* flags) {
  FlagHistoryMarks marks;
  RM_ASSIGN_OR_RETURN(marks.previous_run, state.LastRunId());
  RM_ASSIGN_OR_RETURN(auto history, state.LoadFlagHistory());
  for (Flag& f : *flags) {
    auto it = history.empty() ? history.end() : history.find(f.flag_id);
    if (it == history.end()) {
      f.first_run = run_id;
      f.first_seen = run_date;
      f.is_new = true;
    } else {
      f.first_run = it->second.first_run;
      f.first_seen = it->second.first_seen;
      f.is_new = marks.previous_run.empty() || it->second.last_run != marks.previous_run;
    }
    if (f.is_new) marks.new_flags++;
  }
  if (!marks.previous_run.empty()) {
    std::vector<std::string_view> current;
    current.reserve(flags->size());
    for (const Flag& f : *flags) current.push_back(f.flag_id);
    tbb::parallel_sort(current.begin(), current.end());
    RM_ASSIGN_OR_RETURN(marks.resolved, state.ResolvedSince(marks.previous_run, current));
  }
  return marks;
}

std::vector<FlagHistoryRow> FlagHistoryRows(const std::vector<Flag>& flags) {
  std::vector<FlagHistoryRow> rows(flags.size());
  tbb::parallel_for(size_t{0}, flags.size(), [&](size_t i) {
    const Flag& f = flags[i];
    rows[i] = {f.flag_id, std::string(FlagCodeName(f.code)), f.township, f.person_key};
  });
  tbb::parallel_sort(rows.begin(), rows.end(),
                     [](const FlagHistoryRow& a, const FlagHistoryRow& b) { return a.flag_id < b.flag_id; });
  return rows;
}

Status WriteResolvedFlagsJsonl(const std::string& path, const std::vector<ResolvedFlag>& resolved) {
  std::string text;
  for (const ResolvedFlag& r : resolved) {
    JsonWriter w(&text);
    w.BeginObject();
    w.KeyString("flag_id", r.flag_id);
    w.KeyString("code", r.code);
    w.KeyString("township", r.township);
    w.KeyString("person_key", r.person_key);
    w.KeyString("first_seen", r.first_seen);
    w.KeyString("last_seen", r.last_seen);
    w.EndObject();
    text.push_back('\n');
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Status::IoError(path + ": cannot create file");
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.flush();
  if (!f) return Status::IoError(path + ": write failed (disk full?)");
  return Status::Ok();
}

}  // namespace rollmatch
