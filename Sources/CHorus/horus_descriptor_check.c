/*
 * horus_descriptor_check.c -- see horus_descriptor_check.h.
 *
 * Every quantity derived from the descriptor is range-checked before it is used in
 * arithmetic, and the arithmetic that remains is done with overflow builtins, so no
 * field values can make the computed extent wrap around into the slot.
 */
#include "horus_descriptor_check.h"
#include "horus_pool_table.h"

#include <string.h>

#define HORUS_STRIDE_LIMIT ((int64_t)1 << 40)

int horus_dtype_size(uint8_t dtype) {
  static const uint8_t sizes[12] = {1, 1, 2, 2, 4, 4, 8, 8, 2, 4, 8, 1};
  return dtype < 12 ? sizes[dtype] : 0;
}

/* Image encodings (ImageEncoding in Swift, same order): channels and dtype. */
static const uint8_t image_channels[10] = {3, 3, 4, 4, 1, 1, 1, 1, 1, 1};
static const uint8_t image_dtype[10] = {
    HORUS_DTYPE_U8, HORUS_DTYPE_U8, HORUS_DTYPE_U8, HORUS_DTYPE_U8, HORUS_DTYPE_U8,
    HORUS_DTYPE_U16, HORUS_DTYPE_U8, HORUS_DTYPE_U8, HORUS_DTYPE_U8, HORUS_DTYPE_U8};
/* Point formats (PointFormat): xyz, xyzi, xyzrgb -- fields per point, float32. */
static const uint8_t point_fields[3] = {3, 4, 4};
/* Depth units (DepthUnit): meters as float32, millimeters as uint16. */
static const uint8_t depth_dtype[2] = {HORUS_DTYPE_F32, HORUS_DTYPE_U16};

static int32_t fail(horus_dcheck_result *r, int32_t code, int32_t dim) {
  r->code = code;
  r->dim = dim;
  return code;
}

/* Whether the 24-byte frame id holds a NUL (three 8-byte words, the classic
 * has-zero-byte test; no libc call on the hot path). */
static inline __attribute__((always_inline)) int has_nul(const char *frame_id) {
  int found = 0;
  for (int w = 0; w < HORUS_FRAME_ID_CAPACITY / 8; w++) {
    uint64_t v;
    memcpy(&v, frame_id + 8 * w, 8);
    found |= ((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL) != 0;
  }
  return found;
}

static inline __attribute__((always_inline)) int32_t check_encoding(const horus_descriptor *d) {
  switch (d->kind) {
  case HORUS_KIND_TENSOR:
    return d->encoding == 0 ? HORUS_DCHECK_OK : HORUS_DCHECK_ENCODING;
  case HORUS_KIND_IMAGE:
    if (d->encoding >= sizeof image_channels) return HORUS_DCHECK_ENCODING;
    return d->ndim == 3 && d->shape[2] == image_channels[d->encoding] && d->dtype == image_dtype[d->encoding]
               ? HORUS_DCHECK_OK : HORUS_DCHECK_ENCODING_SHAPE;
  case HORUS_KIND_POINT_CLOUD:
    if (d->encoding >= sizeof point_fields) return HORUS_DCHECK_ENCODING;
    return d->ndim == 2 && d->shape[1] == point_fields[d->encoding] && d->dtype == HORUS_DTYPE_F32
               ? HORUS_DCHECK_OK : HORUS_DCHECK_ENCODING_SHAPE;
  default: /* HORUS_KIND_DEPTH_IMAGE (kind was checked before) */
    if (d->encoding >= sizeof depth_dtype) return HORUS_DCHECK_ENCODING;
    return d->ndim == 2 && d->dtype == depth_dtype[d->encoding] ? HORUS_DCHECK_OK : HORUS_DCHECK_ENCODING_SHAPE;
  }
}

int32_t horus_descriptor_check(const horus_descriptor *d, int32_t expected_kind,
                               const horus_pool_geometry *pool, horus_dcheck_result *r) {
  r->code = HORUS_DCHECK_OK;
  r->dim = -1;
  r->capacity = 0;
  r->data = 0;
  r->pool = 0;

  /* Fields that need no pool. */
  if (d->magic != HORUS_DESCRIPTOR_MAGIC) return fail(r, HORUS_DCHECK_MAGIC, -1);
  if (d->version != HORUS_DESCRIPTOR_VERSION) return fail(r, HORUS_DCHECK_VERSION, -1);
  if (d->kind > HORUS_KIND_DEPTH_IMAGE) return fail(r, HORUS_DCHECK_KIND, -1);
  if (expected_kind >= 0 && d->kind != expected_kind) return fail(r, HORUS_DCHECK_WRONG_KIND, -1);
  const int64_t itemsize = horus_dtype_size(d->dtype);
  if (itemsize == 0) return fail(r, HORUS_DCHECK_DTYPE, -1);
  const int ndim = d->ndim;
  if (ndim > HORUS_MAX_DIMS) return fail(r, HORUS_DCHECK_NDIM, -1);
  if (d->flags & ~HORUS_DESC_FLAG_READ_ONLY) return fail(r, HORUS_DCHECK_FLAGS, -1);
  if (d->reserved0 != 0) return fail(r, HORUS_DCHECK_RESERVED, -1);
  /* Everything beyond ndim must be zero: one branch-free pass, the index only on failure. */
  uint64_t beyond = 0;
  for (int i = 0; i < HORUS_MAX_DIMS; i++)
    beyond |= (i >= ndim) ? ((uint64_t)d->shape[i] | (uint64_t)d->strides[i]) : 0;
  if (beyond != 0) {
    for (int i = ndim; i < HORUS_MAX_DIMS; i++)
      if (d->shape[i] != 0 || d->strides[i] != 0) return fail(r, HORUS_DCHECK_BEYOND_NDIM, i);
  }
  if (!has_nul(d->frame_id)) return fail(r, HORUS_DCHECK_FRAME_ID, -1);
  const int32_t enc = check_encoding(d);
  if (enc != HORUS_DCHECK_OK) return fail(r, enc, -1);

  /* The slot and its capacity, from the local geometry. */
  if (pool == 0) return fail(r, HORUS_DCHECK_UNKNOWN_POOL, -1);
  if ((uint64_t)d->slot >= pool->slot_count) return fail(r, HORUS_DCHECK_SLOT, -1);
  int k = (int)pool->class_count - 1;
  while (k > 0 && pool->class_first[k] > d->slot) k--;
  r->capacity = pool->class_size[k];
  if (d->byte_length > r->capacity) return fail(r, HORUS_DCHECK_BYTE_LENGTH, -1);
  if (d->offset > d->byte_length) return fail(r, HORUS_DCHECK_OFFSET, -1);
  if ((d->offset & (uint64_t)(itemsize - 1)) != 0) /* itemsize is a power of two */ return fail(r, HORUS_DCHECK_OFFSET_ALIGN, -1);

  /* Geometry: the lowest and highest byte any index reaches must lie in [0, length).
   * Every term is bounded (extent < 2^32, |stride| < 2^40, itemsize <= 8, offset and
   * length <= slot capacity), and the sums are overflow-checked anyway. */
  const int64_t length = (int64_t)d->byte_length;
  int64_t lo = (int64_t)d->offset, hi = lo;
  int empty = 0;
  for (int i = 0; i < ndim; i++) {
    const int64_t n = d->shape[i], s = d->strides[i];
    if (s <= -HORUS_STRIDE_LIMIT || s >= HORUS_STRIDE_LIMIT) return fail(r, HORUS_DCHECK_STRIDE_RANGE, i);
    if (n == 0) { empty = 1; continue; }
    int64_t span, bytes;
    if (__builtin_mul_overflow(n - 1, s, &span) || __builtin_mul_overflow(span, itemsize, &bytes))
      return fail(r, HORUS_DCHECK_OVERFLOW, i);
    if (bytes < 0) {
      if (__builtin_add_overflow(lo, bytes, &lo)) return fail(r, HORUS_DCHECK_OVERFLOW, i);
    } else {
      if (__builtin_add_overflow(hi, bytes, &hi)) return fail(r, HORUS_DCHECK_OVERFLOW, i);
    }
    if (lo < 0 || hi > length) return fail(r, HORUS_DCHECK_OUTSIDE, i);
  }
  if (!empty && (lo < 0 || hi + itemsize > length)) return fail(r, HORUS_DCHECK_OUTSIDE, -1);

  r->data = pool->class_data[k] + (uint64_t)(d->slot - pool->class_first[k]) * pool->class_size[k];
  return HORUS_DCHECK_OK;
}

int32_t horus_descriptor_check_attached(const horus_descriptor *d, int32_t expected_kind,
                                        horus_dcheck_result *r) {
  void *pool;
  const horus_pool_geometry *g = horus_pool_table_find(d->pool_id, &pool);
  const int32_t code = horus_descriptor_check(d, expected_kind, g, r);
  r->pool = pool;
  return code;
}
