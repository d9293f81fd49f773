#include "engine/core/status.h"

namespace rollmatch {

std::string Status::ToString() const {
  const char* prefix = "";
  switch (code_) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: prefix = "invalid argument"; break;
    case Code::kNotFound: prefix = "not found"; break;
    case Code::kIoError: prefix = "I/O error"; break;
    case Code::kCorrupt: prefix = "corrupt input"; break;
    case Code::kLimitExceeded: prefix = "limit exceeded"; break;
    case Code::kInternal: prefix = "internal error"; break;
  }
  return std::string(prefix) + ": " + message_;
}

}  // namespace rollmatch
