/*
 * horus_crc32.h -- CRC-32 with the IEEE 802.3 / zlib polynomial (reflected 0xEDB88320),
 * as MCAP requires for chunk, data-section and summary checksums.
 *
 * On x86-64 CPUs with PCLMULQDQ (checked at run time; VPCLMULQDQ + AVX2 folds 256 bits
 * per instruction where available) bulk data is folded with
 * carry-less multiplication (Intel, "Fast CRC Computation for Generic Polynomials
 * Using PCLMULQDQ Instruction", 2009); short inputs and the tails use slicing-by-8
 * tables. Note SSE4.2's crc32 instruction computes CRC-32C, a different polynomial.
 */
#ifndef HORUS_CRC32_H
#define HORUS_CRC32_H

#include <stddef.h>
#include <stdint.h>

/** Continues the running CRC `crc` (0 to start; the value a previous call returned)
 *  over `len` bytes at `data`. Same values as zlib's crc32(crc, data, len). */
uint32_t horus_crc32_update(uint32_t crc, const void *data, size_t len);

/** Copies `len` bytes from `src` to `dst` and returns the CRC continued over them,
 *  reading each source byte once (copy and checksum in one pass). */
uint32_t horus_crc32_copy(uint32_t crc, void *dst, const void *src, size_t len);

/** 2 if the 256-bit VPCLMULQDQ (AVX2) path is in use on this CPU, 1 if the 128-bit
 *  PCLMULQDQ path, 0 if tables only. HORUS_CRC32_NO_VPCLMUL=1 disables the 256-bit path. */
int horus_crc32_accelerated(void);

#endif
