#include "tests/fuzz/fuzz_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <unordered_set>

#include "ingest/feed_builder.h"
#include "ingest/feed_schema.h"
#include "ingest/text_decoder.h"

namespace rollmatch::fuzz {
namespace fs = std::filesystem;

ScratchDir& ScratchDir::Get() {
  static ScratchDir* dir = new ScratchDir();  // never destroyed: used until exit
  return *dir;
}

ScratchDir::ScratchDir() {
  std::error_code ec;
  const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
  std::string tmpl = (base / "rm_fuzz_XXXXXX").string();
  RM_FUZZ_CHECK(::mkdtemp(tmpl.data()) != nullptr);
  path_ = tmpl;
  static const std::string* to_remove = &path_;
  std::atexit([] {
    std::error_code ignored;
    fs::remove_all(*to_remove, ignored);
  });
}

std::string ScratchDir::Write(const std::string& name, std::string_view bytes) {
  const std::string full = path_ + "/" + name;
  const int fd = ::open(full.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  RM_FUZZ_CHECK(fd >= 0);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    RM_FUZZ_CHECK(n > 0);
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return full;
}

bool IsUtf8(std::string_view text) { return IsValidUtf8(text); }

namespace {

bool IsBlank(std::string_view v) {
  size_t i = 0;
  while (i < v.size()) {
    const char c = v[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      ++i;
    } else if (v.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

void ReadAndCheck(Feed feed, const std::string& name, std::string_view bytes, const std::string& encoding) {
  const std::string path = ScratchDir::Get().Write(name, bytes);
  std::vector<Reject> rejects;
  rejects.push_back(Reject{Feed::kRoll, "sentinel", 1, "kept", "x"});  // ReadFeed appends after it
  Result<FeedTable> table = ReadFeed(feed, {FeedFile{name, path, encoding}}, &rejects);
  RM_FUZZ_CHECK(rejects.size() >= 1 && rejects[0].file == "sentinel");
  // Read piece by piece (issue 4), the file gives the same rows, rejects and errors.
  {
    std::vector<Reject> piece_rejects = {rejects[0]};
    Result<FeedTable> pieces = ReadFeed(feed, {FeedFile{name, path, encoding}}, &piece_rejects, 5);
    RM_FUZZ_CHECK(pieces.ok() == table.ok());
    if (!table.ok()) RM_FUZZ_CHECK(pieces.status().message() == table.status().message());
    RM_FUZZ_CHECK(piece_rejects.size() == rejects.size());
    for (size_t i = 0; i < rejects.size() && i < piece_rejects.size(); ++i) {
      RM_FUZZ_CHECK(piece_rejects[i].line == rejects[i].line && piece_rejects[i].reason == rejects[i].reason &&
                    piece_rejects[i].raw == rejects[i].raw);
    }
    if (table.ok() && pieces.ok()) {
      RM_FUZZ_CHECK(pieces->num_rows() == table->num_rows());
      for (uint32_t row = 0; row < table->num_rows() && row < pieces->num_rows(); ++row) {
        RM_FUZZ_CHECK(pieces->pos(row).line == table->pos(row).line);
        for (int f = 0; f < table->num_fields(); ++f) RM_FUZZ_CHECK(pieces->Get(row, f) == table->Get(row, f));
      }
      RM_FUZZ_CHECK(pieces->files()[0].content_hash == table->files()[0].content_hash);
      RM_FUZZ_CHECK(pieces->files()[0].size_bytes == table->files()[0].size_bytes);
    }
  }
  if (!table.ok()) {
    RM_FUZZ_CHECK(rejects.size() == 1);  // a failed read leaves *rejects as it was
    RM_FUZZ_CHECK(table.status().message().rfind(name, 0) == 0);
    return;
  }
  // Physical lines of the file (an upper bound for any line number; not
  // known here for gzip files).
  uint64_t lines = 1;
  for (char c : bytes) lines += (c == '\n' || c == '\r') ? 1 : 0;
  if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) lines = UINT64_MAX;

  const FeedTable& t = *table;
  RM_FUZZ_CHECK(t.files().size() == 1);
  const FileStats& st = t.files()[0];
  RM_FUZZ_CHECK(st.rows_read == st.rows_used + st.rows_rejected);
  RM_FUZZ_CHECK(t.num_rows() == st.rows_used);
  RM_FUZZ_CHECK(rejects.size() - 1 == st.rows_rejected);
  for (size_t i = 1; i < rejects.size(); ++i) {
    const Reject& r = rejects[i];
    RM_FUZZ_CHECK(r.feed == feed);
    RM_FUZZ_CHECK(r.file == name);
    RM_FUZZ_CHECK(r.line >= 1 && r.line <= lines);
    RM_FUZZ_CHECK(!r.reason.empty());
    RM_FUZZ_CHECK(r.raw.size() <= kMaxRejectRawBytes);
    RM_FUZZ_CHECK(IsValidUtf8(r.raw));
  }
  const std::vector<FieldSpec>& fields = FieldsOf(feed);
  RM_FUZZ_CHECK(t.num_fields() == static_cast<int>(fields.size()));
  std::unordered_set<std::string_view> keys;
  uint64_t last_line = 0;
  for (uint32_t row = 0; row < t.num_rows(); ++row) {
    RM_FUZZ_CHECK(t.pos(row).file == 0);
    RM_FUZZ_CHECK(t.pos(row).line > last_line && t.pos(row).line <= lines);
    last_line = t.pos(row).line;
    for (int f = 0; f < t.num_fields(); ++f) {
      const std::string_view v = t.Get(row, f);
      RM_FUZZ_CHECK(v.find('\0') == std::string_view::npos);
      RM_FUZZ_CHECK(IsValidUtf8(v));
      if (fields[static_cast<size_t>(f)].required) RM_FUZZ_CHECK(!IsBlank(v));
    }
    RM_FUZZ_CHECK(keys.insert(TrimAsciiSpace(t.key(row))).second);
  }
}

}  // namespace rollmatch::fuzz
