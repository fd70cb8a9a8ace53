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

#endif
