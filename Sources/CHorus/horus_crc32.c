/* CRC-32 (zlib polynomial): PCLMULQDQ folding on x86-64, slicing-by-8 elsewhere. See horus_crc32.h. */
#include "horus_crc32.h"
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define HORUS_CRC_X86 1
#endif

static uint32_t crc_tables[8][256];
static int crc_ready; /* 0 = not yet, 1 = ready */
static int crc_clmul;
static int crc_vclmul;

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
    crc_tables[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = crc_tables[0][i];
    for (int k = 1; k < 8; k++) {
      c = crc_tables[0][c & 0xFF] ^ (c >> 8);
      crc_tables[k][i] = c;
    }
  }
#ifdef HORUS_CRC_X86
  __builtin_cpu_init();
  crc_clmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  crc_vclmul = crc_clmul && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("vpclmulqdq");
  if (getenv("HORUS_CRC32_NO_VPCLMUL")) crc_vclmul = 0;
#endif
  __atomic_store_n(&crc_ready, 1, __ATOMIC_RELEASE);
}

static inline void crc_ensure(void) {
  /* Racing initialisations compute identical tables; harmless. */
  if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE)) crc_init();
}

/* Inverted-state update with tables (c is ~crc). */
static uint32_t crc_tables_update(uint32_t c, const unsigned char *p, size_t n) {
  while (n && ((uintptr_t)p & 7)) { c = crc_tables[0][(c ^ *p++) & 0xFF] ^ (c >> 8); n--; }
  while (n >= 8) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + 4, 4);
    lo ^= c;
    c = crc_tables[7][lo & 0xFF] ^ crc_tables[6][(lo >> 8) & 0xFF] ^ crc_tables[5][(lo >> 16) & 0xFF] ^
        crc_tables[4][lo >> 24] ^ crc_tables[3][hi & 0xFF] ^ crc_tables[2][(hi >> 8) & 0xFF] ^
        crc_tables[1][(hi >> 16) & 0xFF] ^ crc_tables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) c = crc_tables[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c;
}

#ifdef HORUS_CRC_X86
/* Folds the remaining 16-byte blocks (len a multiple of 16) into the 128-bit remainder x1,
 * then reduces it to the 32-bit (inverted-state) CRC. Stores the blocks to dst if not NULL. */
__attribute__((target("pclmul,sse4.1")))
static inline uint32_t crc_clmul_finish(__m128i x1, const unsigned char *buf, size_t len, unsigned char *dst) {
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
  const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124LL);
  const __m128i poly = _mm_set_epi64x(0x01f7011641LL, 0x01db710641LL);
  __m128i x0 = k3k4, x2, x3, x5;
  while (len >= 16) {
    x2 = _mm_loadu_si128((const __m128i *)buf);
    if (dst) { _mm_storeu_si128((__m128i *)dst, x2); dst += 16; }
    x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
    buf += 16;
    len -= 16;
  }

  /* 128 -> 64 bits. */
  x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
  x3 = _mm_setr_epi32(~0, 0, ~0, 0);
  x1 = _mm_srli_si128(x1, 8);
  x1 = _mm_xor_si128(x1, x2);
  x0 = k5k0;
  x2 = _mm_srli_si128(x1, 4);
  x1 = _mm_and_si128(x1, x3);
  x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
  x1 = _mm_xor_si128(x1, x2);

  /* Barrett reduction to 32 bits. */
  x0 = poly;
  x2 = _mm_and_si128(x1, x3);
  x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
  x2 = _mm_and_si128(x2, x3);
  x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
  x1 = _mm_xor_si128(x1, x2);
  return (uint32_t)_mm_extract_epi32(x1, 1);
}

/* Folds len bytes (len >= 64, multiple of 16) into the inverted state c. If dst is not
 * NULL the bytes are also stored to dst (copy + checksum in one pass). */
__attribute__((target("pclmul,sse4.1")))
static uint32_t crc_clmul_update(uint32_t c, const unsigned char *buf, size_t len, unsigned char *dst) {
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596LL, 0x0154442bd4LL);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
  __m128i x0, x1, x2, x3, x4, x5, x6, x7, x8, y5, y6, y7, y8;

  x1 = _mm_loadu_si128((const __m128i *)(buf + 0x00));
  x2 = _mm_loadu_si128((const __m128i *)(buf + 0x10));
  x3 = _mm_loadu_si128((const __m128i *)(buf + 0x20));
  x4 = _mm_loadu_si128((const __m128i *)(buf + 0x30));
  if (dst) {
    _mm_storeu_si128((__m128i *)(dst + 0x00), x1);
    _mm_storeu_si128((__m128i *)(dst + 0x10), x2);
    _mm_storeu_si128((__m128i *)(dst + 0x20), x3);
    _mm_storeu_si128((__m128i *)(dst + 0x30), x4);
    dst += 64;
  }
  x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)c));
  x0 = k1k2;
  buf += 64;
  len -= 64;

  while (len >= 64) {
    x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
    x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
    x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
    x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
    x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
    x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
    x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
    y5 = _mm_loadu_si128((const __m128i *)(buf + 0x00));
    y6 = _mm_loadu_si128((const __m128i *)(buf + 0x10));
    y7 = _mm_loadu_si128((const __m128i *)(buf + 0x20));
    y8 = _mm_loadu_si128((const __m128i *)(buf + 0x30));
    if (dst) {
      _mm_storeu_si128((__m128i *)(dst + 0x00), y5);
      _mm_storeu_si128((__m128i *)(dst + 0x10), y6);
      _mm_storeu_si128((__m128i *)(dst + 0x20), y7);
      _mm_storeu_si128((__m128i *)(dst + 0x30), y8);
      dst += 64;
    }
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), y5);
    x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), y6);
    x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), y7);
    x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), y8);
    buf += 64;
    len -= 64;
  }

  /* Fold 512 bits into 128. */
  x0 = k3k4;
  x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
  x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
  x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
  x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
  x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
  x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);

  return crc_clmul_finish(x1, buf, len, dst);
}

/* Like crc_clmul_update with 256-bit VPCLMULQDQ: four ymm accumulators fold 128 bytes per
 * iteration (len >= 128, multiple of 16). Constants: x^(1024+32) and x^(1024-32) mod P,
 * bit-reflected and shifted left by one, as for the 512-bit fold. */
__attribute__((target("avx2,vpclmulqdq,pclmul,sse4.1")))
static uint32_t crc_vclmul_update(uint32_t c, const unsigned char *buf, size_t len, unsigned char *dst) {
  const __m256i k = _mm256_set_epi64x(0x014a7fe880LL, 0x01e88ef372LL, 0x014a7fe880LL, 0x01e88ef372LL);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
  __m256i a0 = _mm256_loadu_si256((const __m256i *)(buf + 0x00));
  __m256i a1 = _mm256_loadu_si256((const __m256i *)(buf + 0x20));
  __m256i a2 = _mm256_loadu_si256((const __m256i *)(buf + 0x40));
  __m256i a3 = _mm256_loadu_si256((const __m256i *)(buf + 0x60));
  if (dst) {
    _mm256_storeu_si256((__m256i *)(dst + 0x00), a0);
    _mm256_storeu_si256((__m256i *)(dst + 0x20), a1);
    _mm256_storeu_si256((__m256i *)(dst + 0x40), a2);
    _mm256_storeu_si256((__m256i *)(dst + 0x60), a3);
    dst += 128;
  }
  a0 = _mm256_xor_si256(a0, _mm256_set_epi32(0, 0, 0, 0, 0, 0, 0, (int)c));
  buf += 128;
  len -= 128;
  while (len >= 128) {
    __m256i b0 = _mm256_loadu_si256((const __m256i *)(buf + 0x00));
    __m256i b1 = _mm256_loadu_si256((const __m256i *)(buf + 0x20));
    __m256i b2 = _mm256_loadu_si256((const __m256i *)(buf + 0x40));
    __m256i b3 = _mm256_loadu_si256((const __m256i *)(buf + 0x60));
    if (dst) {
      _mm256_storeu_si256((__m256i *)(dst + 0x00), b0);
      _mm256_storeu_si256((__m256i *)(dst + 0x20), b1);
      _mm256_storeu_si256((__m256i *)(dst + 0x40), b2);
      _mm256_storeu_si256((__m256i *)(dst + 0x60), b3);
      dst += 128;
    }
    a0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_clmulepi64_epi128(a0, k, 0x00), _mm256_clmulepi64_epi128(a0, k, 0x11)), b0);
    a1 = _mm256_xor_si256(_mm256_xor_si256(_mm256_clmulepi64_epi128(a1, k, 0x00), _mm256_clmulepi64_epi128(a1, k, 0x11)), b1);
    a2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_clmulepi64_epi128(a2, k, 0x00), _mm256_clmulepi64_epi128(a2, k, 0x11)), b2);
    a3 = _mm256_xor_si256(_mm256_xor_si256(_mm256_clmulepi64_epi128(a3, k, 0x00), _mm256_clmulepi64_epi128(a3, k, 0x11)), b3);
    buf += 128;
    len -= 128;
  }
  /* Eight 128-bit lanes in stream order; fold each into the next by 128 bits. */
  __m128i lanes[8] = {
    _mm256_castsi256_si128(a0), _mm256_extracti128_si256(a0, 1),
    _mm256_castsi256_si128(a1), _mm256_extracti128_si256(a1, 1),
    _mm256_castsi256_si128(a2), _mm256_extracti128_si256(a2, 1),
    _mm256_castsi256_si128(a3), _mm256_extracti128_si256(a3, 1),
  };
  __m128i x = lanes[0];
  for (int i = 1; i < 8; i++) {
    x = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k3k4, 0x00), _mm_clmulepi64_si128(x, k3k4, 0x11)), lanes[i]);
  }
  return crc_clmul_finish(x, buf, len, dst);
}
#endif

uint32_t horus_crc32_update(uint32_t crc, const void *data, size_t len) {
  crc_ensure();
  const unsigned char *p = (const unsigned char *)data;
  uint32_t c = ~crc;
#ifdef HORUS_CRC_X86
  if (crc_clmul && len >= 64) {
    size_t bulk = len & ~(size_t)15;
    c = (crc_vclmul && bulk >= 256) ? crc_vclmul_update(c, p, bulk, NULL) : crc_clmul_update(c, p, bulk, NULL);
    p += bulk;
    len -= bulk;
  }
#endif
  return ~crc_tables_update(c, p, len);
}

uint32_t horus_crc32_copy(uint32_t crc, void *dst, const void *src, size_t len) {
  crc_ensure();
#ifdef HORUS_CRC_X86
  if (crc_clmul && len >= 64) {
    const unsigned char *p = (const unsigned char *)src;
    unsigned char *d = (unsigned char *)dst;
    size_t bulk = len & ~(size_t)15;
    uint32_t c = (crc_vclmul && bulk >= 256) ? crc_vclmul_update(~crc, p, bulk, d) : crc_clmul_update(~crc, p, bulk, d);
    memcpy(d + bulk, p + bulk, len - bulk);
    return ~crc_tables_update(c, p + bulk, len - bulk);
  }
#endif
  memcpy(dst, src, len);
  return ~crc_tables_update(~crc, (const unsigned char *)src, len);
}

int horus_crc32_accelerated(void) {
  crc_ensure();
  return crc_vclmul ? 2 : crc_clmul;
}
