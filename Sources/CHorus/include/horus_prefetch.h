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

/** Start fetching the line at p with intent to write (exclusive ownership). */
static inline __attribute__((always_inline)) void horus_prefetch_write(const void *p) {
  __builtin_prefetch(p, 1, 3);
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
