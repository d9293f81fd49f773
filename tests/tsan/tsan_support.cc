// Linked into every executable of a ThreadSanitizer build (ROLLMATCH_TSAN).
//
// oneTBB's scheduler and its small-object pool live in libtbb, which is not
// instrumented, so ThreadSanitizer cannot see that a task spawned on one
// thread and run on another, or a parallel_for and the wait for it, are
// ordered; nor that pool memory freed by one thread and reused by another is
// ordered. This file:
//  - loads the ITT collector tbb_itt_tsan.c, through which libtbb and the
//    headers (TBB_USE_PROFILING_TOOLS=2) announce task ordering to TSan;
//  - wraps libtbb's small-object pool: freeing releases the memory, taking
//    it acquires it;
//  - wraps libtbb's waits: a wait that returns acquires its wait_context's
//    count, which each finished task decrements after its ITT notice;
//  - suppresses what is left inside oneTBB's own header code (a race whose
//    top frame is rollmatch code is still reported).

#include <dlfcn.h>
#include <oneapi/tbb/detail/_small_object_pool.h>
#include <oneapi/tbb/detail/_task.h>

#include <cstdint>
#include <cstdlib>

extern "C" {

void __tsan_acquire(void* addr);
void __tsan_release(void* addr);

// Referenced by the linker (-u) so that this file is linked in.
int rm_tsan_support_anchor = 0;

const char* __tsan_default_suppressions() { return "race_top:tbb::detail::\n"; }

}  // extern "C"

namespace {

// Runs before main(), so before oneTBB starts and reads the variables.
// Values already set in the environment win.
struct LoadIttCollector {
  LoadIttCollector() {
    ::setenv("INTEL_LIBITTNOTIFY64", RM_TSAN_ITT_LIBRARY, 0);
    ::setenv("INTEL_ITTNOTIFY_GROUPS", "sync", 0);
  }
} load_itt_collector;

template <typename F>
F Next(const char* mangled) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, mangled));
}

void AcquireWaitCount(tbb::detail::d1::wait_context& w) {
  // wait_context: std::uint64_t m_version_and_traits; std::atomic<std::uint64_t> m_ref_count.
  static_assert(sizeof(tbb::detail::d1::wait_context) == 2 * sizeof(std::uint64_t));
  __tsan_acquire(reinterpret_cast<char*>(&w) + sizeof(std::uint64_t));
}

}  // namespace

namespace tbb::detail::r1 {

void* allocate(d1::small_object_pool*& pool, std::size_t bytes, const d1::execution_data& ed) {
  using Fn = void* (*)(d1::small_object_pool*&, std::size_t, const d1::execution_data&);
  static const Fn next =
      Next<Fn>("_ZN3tbb6detail2r18allocateERPNS0_2d117small_object_poolEmRKNS2_14execution_dataE");
  void* p = next(pool, bytes, ed);
  __tsan_acquire(p);
  return p;
}

void* allocate(d1::small_object_pool*& pool, std::size_t bytes) {
  using Fn = void* (*)(d1::small_object_pool*&, std::size_t);
  static const Fn next = Next<Fn>("_ZN3tbb6detail2r18allocateERPNS0_2d117small_object_poolEm");
  void* p = next(pool, bytes);
  __tsan_acquire(p);
  return p;
}

void deallocate(d1::small_object_pool& pool, void* p, std::size_t bytes, const d1::execution_data& ed) {
  using Fn = void (*)(d1::small_object_pool&, void*, std::size_t, const d1::execution_data&);
  static const Fn next =
      Next<Fn>("_ZN3tbb6detail2r110deallocateERNS0_2d117small_object_poolEPvmRKNS2_14execution_dataE");
  __tsan_release(p);
  next(pool, p, bytes, ed);
}

void deallocate(d1::small_object_pool& pool, void* p, std::size_t bytes) {
  using Fn = void (*)(d1::small_object_pool&, void*, std::size_t);
  static const Fn next = Next<Fn>("_ZN3tbb6detail2r110deallocateERNS0_2d117small_object_poolEPvm");
  __tsan_release(p);
  next(pool, p, bytes);
}

void wait(d1::wait_context& w, d1::task_group_context& ctx) {
  using Fn = void (*)(d1::wait_context&, d1::task_group_context&);
  static const Fn next = Next<Fn>("_ZN3tbb6detail2r14waitERNS0_2d112wait_contextERNS2_18task_group_contextE");
  next(w, ctx);
  AcquireWaitCount(w);
}

void execute_and_wait(d1::task& t, d1::task_group_context& t_ctx, d1::wait_context& w,
                      d1::task_group_context& w_ctx) {
  using Fn = void (*)(d1::task&, d1::task_group_context&, d1::wait_context&, d1::task_group_context&);
  static const Fn next = Next<Fn>(
      "_ZN3tbb6detail2r116execute_and_waitERNS0_2d14taskERNS2_18task_group_contextERNS2_12wait_contextES6_");
  next(t, t_ctx, w, w_ctx);
  AcquireWaitCount(w);
}

}  // namespace tbb::detail::r1
