#include "engine/cli/run_display.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "engine/report/writers.h"

namespace rollmatch::cli {

namespace {

std::string WallClock() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

std::string Minutes(double seconds) {
  if (seconds < 0) seconds = 0;
  const auto s = static_cast<long>(seconds + 0.5);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

std::string Thousands(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

std::string LogText(std::string_view message) {
  std::string line;
  for (char c : message) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      line += fmt::format("\\x{:02X}", u);
    } else {
      line.push_back(c);
    }
  }
  return MaskIdNumbersInText(line);
}

RunDisplay::RunDisplay(bool quiet, bool verbose, bool terminal,
                       std::vector<std::pair<std::string, double>> expected)
    : quiet_(quiet), verbose_(verbose), terminal_(terminal && !quiet), expected_(std::move(expected)) {
  run_start_ = stage_start_ = Clock::now();
  if (terminal_) ticker_ = std::thread([this] { Tick(); });
}

RunDisplay::~RunDisplay() { Finish(); }

void RunDisplay::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    ClearLocked();
  }
  cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

ProgressFn RunDisplay::Callback() {
  if (quiet_) return ProgressFn();
  return [this](std::string_view stage, std::string_view message) { OnProgress(stage, message); };
}

double RunDisplay::ExpectedSeconds(const std::string& stage) const {
  for (const auto& [name, seconds] : expected_) {
    if (name == stage) return seconds;
  }
  return -1;
}

void RunDisplay::OnProgress(std::string_view stage, std::string_view message) {
  std::lock_guard<std::mutex> lock(mu_);
  ClearLocked();
  if (message == "start") {
    stage_ = std::string(stage);
    stage_start_ = Clock::now();
    if (verbose_) fmt::print(stderr, "[{}] {:<10} start\n", WallClock(), stage);
  } else {
    const double took = std::chrono::duration<double>(Clock::now() - stage_start_).count();
    if (stage == "ingest") rows_ = std::strtoull(std::string(message).c_str(), nullptr, 10);
    fmt::print(stderr, "[{}] {:<10} {}{}\n", WallClock(), stage, LogText(message),
               terminal_ ? fmt::format(" ({:.1f} s)", took) : "");
    done_stages_.emplace_back(stage);
    stage_.clear();
  }
  std::fflush(stderr);
  if (terminal_) DrawLocked();
}

void RunDisplay::Tick() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::milliseconds(250));
    if (stop_) break;
    DrawLocked();
  }
}

void RunDisplay::ClearLocked() {
  if (!drawn_) return;
  std::fputs("\r\x1b[2K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

void RunDisplay::DrawLocked() {
  if (!terminal_ || stage_.empty() || stop_) return;
  const auto now = Clock::now();
  const double in_stage = std::chrono::duration<double>(now - stage_start_).count();
  const double total = std::chrono::duration<double>(now - run_start_).count();
  const double expected = ExpectedSeconds(stage_);
  constexpr int kWidth = 24;
  std::string line = fmt::format("{:<10} ", stage_);
  std::string left = "time left unknown (first run)";
  if (expected > 0) {
    const double fraction = std::min(0.99, in_stage / expected);
    const int filled = static_cast<int>(fraction * kWidth);
    line += "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
    line += fmt::format("{:3.0f}% ", 100 * fraction);
    // The rest of this stage and every stage not yet started, as last night.
    double rest = std::max(0.0, expected - in_stage);
    bool seen = false;
    for (const auto& [name, seconds] : expected_) {
      if (seen) rest += seconds;
      if (name == stage_) seen = true;
    }
    left = "~" + Minutes(rest) + " left";
  } else {
    static const char kSpin[] = "|/-\\";
    line += fmt::format("[{}] ", kSpin[static_cast<int>(total * 4) % 4]);
  }
  line += Minutes(total) + " spent, " + left;
  if (rows_ > 0 && total > 0)
    line += fmt::format(", {} rows/s", Thousands(static_cast<uint64_t>(rows_ / total)));
  std::fputs(("\r\x1b[2K" + line).c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

std::function<void(std::string_view)> TestPauseHookFromEnvironment() {
  const char* env = std::getenv("ROLLMATCH_TEST_PAUSE_AT");
  if (env == nullptr || *env == '\0') return {};
  std::string point = env;
  double seconds = 3600;
  if (const size_t colon = point.find(':'); colon != std::string::npos) {
    seconds = std::atof(point.c_str() + colon + 1);
    point.resize(colon);
  }
  return [point, seconds](std::string_view at) {
    if (at != point) return;
    fmt::print(stderr, "rollmatch: test pause at {} (pid {})\n", at, ::getpid());
    std::fflush(stderr);
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
}

}  // namespace rollmatch::cli
