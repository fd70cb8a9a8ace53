/*
 * horus_descriptor_copy.h -- the 144-byte copy of a descriptor between a ring entry and
 * private memory, inlined into the Swift hot paths (header-only). A libc memcpy call of
 * that size costs about 45 instructions and a call; this is nine 16-byte moves.
 */
#ifndef HORUS_DESCRIPTOR_COPY_H
#define HORUS_DESCRIPTOR_COPY_H

#include <stdint.h>

#include "horus_descriptor.h"

/** Copies the sizeof(horus_descriptor) bytes at src to dst (neither needs alignment; they
 *  must not overlap). Nine explicit 16-byte vector moves: the compiler keeps them inline
 *  instead of recognizing a loop or a large fixed copy and calling memcpy. */
static inline __attribute__((always_inline)) void horus_descriptor_copy(void *restrict dst, const void *restrict src) {
  typedef uint8_t horus_chunk16 __attribute__((vector_size(16), aligned(1)));
  _Static_assert(sizeof(horus_descriptor) == 9 * 16, "a descriptor is nine 16-byte chunks");
  const horus_chunk16 *s = (const horus_chunk16 *)src;
  horus_chunk16 *d = (horus_chunk16 *)dst;
  const horus_chunk16 c0 = s[0], c1 = s[1], c2 = s[2], c3 = s[3], c4 = s[4], c5 = s[5], c6 = s[6], c7 = s[7], c8 = s[8];
  d[0] = c0; d[1] = c1; d[2] = c2; d[3] = c3; d[4] = c4; d[5] = c5; d[6] = c6; d[7] = c7; d[8] = c8;
}

#endif
