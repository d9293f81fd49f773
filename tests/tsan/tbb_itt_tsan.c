/* An ITT collector for ThreadSanitizer builds (ROLLMATCH_TSAN).
 *
 * oneTBB's scheduler lives in libtbb, which is not instrumented: ThreadSanitizer cannot see that a task
 * spawned on one thread and run on another, or a parallel_for and the wait for it, are ordered, and
 * reports races on every value a task reads. libtbb announces these orderings through the ITT API
 * (Intel's instrumentation interface) when a collector is loaded: it loads the library named by
 * INTEL_LIBITTNOTIFY64 (set by tsan_support.cc) and calls these functions, which pass them on to
 * ThreadSanitizer. The headers add their own notices with TBB_USE_PROFILING_TOOLS=2. */

void __tsan_acquire(void* addr);
void __tsan_release(void* addr);

/* An ITT API version 1 collector: the functions are looked up by name. */
void __itt_api_version(void) {}
void __itt_sync_releasing(void* addr) { __tsan_release(addr); }
void __itt_sync_acquired(void* addr) { __tsan_acquire(addr); }
void __itt_sync_prepare(void* addr) { (void)addr; }
void __itt_sync_cancel(void* addr) { (void)addr; }
void __itt_sync_destroy(void* addr) { (void)addr; }
void __itt_sync_create(void* addr, const char* type, const char* name, int attributes) {
  (void)addr;
  (void)type;
  (void)name;
  (void)attributes;
}
