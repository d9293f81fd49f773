#pragma once
// RM_DCHECK(cond) << "why": a broken invariant is a bug. In debug builds it
// prints the message and aborts; in release builds the condition is not
// evaluated. Never use it for bad input (that is a reject or a Status).

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace rollmatch::internal {

class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* cond) {
    stream_ << file << ":" << line << ": RM_DCHECK(" << cond << ") failed: ";
  }
  [[noreturn]] ~CheckFailure() {
    std::cerr << stream_.str() << std::endl;
    std::abort();
  }
  std::ostream& stream() { return stream_; }

 private:
  std::ostringstream stream_;
};

struct Voidify {
  void operator&(std::ostream&) {}
};

}  // namespace rollmatch::internal

#define RM_CHECK(cond) \
  (cond) ? (void)0 : ::rollmatch::internal::Voidify() & ::rollmatch::internal::CheckFailure(__FILE__, __LINE__, #cond).stream()

#ifdef NDEBUG
#define RM_DCHECK(cond) \
  true ? (void)0 : ::rollmatch::internal::Voidify() & ::rollmatch::internal::CheckFailure(__FILE__, __LINE__, #cond).stream()
#else
#define RM_DCHECK(cond) RM_CHECK(cond)
#endif
