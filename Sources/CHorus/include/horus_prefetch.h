/*
 * horus_prefetch.h -- cache-line prefetch hints for the topic hot paths (header-only,
 * inlined into Swift callers). A prefetch never faults and never changes memory: it
 * only starts moving a line toward this core early, so several cross-core misses
 * overlap instead of being paid one after the other.
 */
#ifndef HORUS_PREFETCH_H
#define HORUS_PREFETCH_H

/** Start fetching the line at p for reading. */
static inline __attribute__((always_inline)) void horus_prefetch_read(const void *p) {
  __builtin_prefetch(p, 0, 3);
}

/** Start fetching the line at p with intent to write (exclusive ownership).
 *  On x86-64 this is PREFETCHW, written out: with the baseline x86-64 target,
 *  __builtin_prefetch(p, 1, 3) compiles to PREFETCHT0, a read prefetch that brings the
 *  line in shared, so the write that follows pays a second cross-core round trip to
 *  take ownership. (0F 0D /1 is a hint: CPUs without PRFCHW execute it as a no-op.) */
static inline __attribute__((always_inline)) void horus_prefetch_write(const void *p) {
#if defined(__x86_64__)
  __asm__ __volatile__("prefetchw %0" : : "m"(*(const char *)p));
#else
  __builtin_prefetch(p, 1, 3);
#endif
}

/** Spin-wait hint (x86 PAUSE, arm YIELD): a polling loop backs off a little, so a
 *  writer's ownership request for the polled line is not contended on every cycle. */
static inline __attribute__((always_inline)) void horus_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

#endif
