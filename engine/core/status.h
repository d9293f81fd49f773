#pragma once
// Status and Result<T>: how a bad *run* (missing file, unreadable config,
// reject ratio exceeded, disk full) travels up to the CLI. Bad *records* are
// data (rejects), not Status; broken invariants are RM_DCHECK.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rollmatch {

class Status {
 public:
  enum class Code { kOk = 0, kInvalidArgument, kNotFound, kIoError, kCorrupt, kLimitExceeded, kInternal };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Corrupt(std::string msg) { return Status(Code::kCorrupt, std::move(msg)); }
  static Status LimitExceeded(std::string msg) { return Status(Code::kLimitExceeded, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // A one-line human message, e.g. "not found: hukou.jsonl: No such file".
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}              // NOLINT(runtime/explicit)
  Result(Status status) : status_(std::move(status)) {       // NOLINT(runtime/explicit)
    assert(!status_.ok() && "Result built from an OK status without a value");
  }
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace rollmatch

#define RM_RETURN_IF_ERROR(expr)               \
  do {                                         \
    ::rollmatch::Status rm_status_ = (expr);   \
    if (!rm_status_.ok()) return rm_status_;   \
  } while (0)

#define RM_CONCAT_INNER_(a, b) a##b
#define RM_CONCAT_(a, b) RM_CONCAT_INNER_(a, b)
#define RM_ASSIGN_OR_RETURN(lhs, expr) RM_ASSIGN_OR_RETURN_IMPL_(RM_CONCAT_(rm_result_, __LINE__), lhs, expr)
#define RM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
