/*
 * horus_descriptor_check.h -- validation of an untrusted descriptor against the
 * local geometry of an attached pool, before any pointer is formed.
 *
 * This is the one validator of descriptor fields (Swift's Descriptor.decode calls it
 * and turns a failure code into an error message). It touches nothing in shared
 * memory: the pool geometry is the process-local copy made when the pool was attached
 * (validated then), so a hostile descriptor or a hostile pool header cannot steer it.
 * What it cannot check is the slot's live state (generation, allocated length): the
 * caller does that when it takes the reference.
 */
#ifndef HORUS_DESCRIPTOR_CHECK_H
#define HORUS_DESCRIPTOR_CHECK_H

#include <stdint.h>
#include "horus_descriptor.h"
#include "horus_pool_layout.h"

/** Process-local geometry of an attached pool (addresses valid in this process only). */
typedef struct horus_pool_geometry {
  uint32_t pool_id;
  uint32_t class_count;                          /* 1...HORUS_POOL_MAX_CLASSES */
  uint64_t slot_count;                           /* total slots over all classes */
  uint64_t class_first[HORUS_POOL_MAX_CLASSES];  /* global index of each class's first slot */
  uint64_t class_size[HORUS_POOL_MAX_CLASSES];   /* bytes per slot of each class */
  unsigned char *class_data[HORUS_POOL_MAX_CLASSES]; /* data of each class's first slot */
} horus_pool_geometry;

/** Which check refused a descriptor (HORUS_DCHECK_OK: none). */
typedef enum {
  HORUS_DCHECK_OK = 0,
  HORUS_DCHECK_MAGIC,
  HORUS_DCHECK_VERSION,
  HORUS_DCHECK_KIND,            /* unknown kind */
  HORUS_DCHECK_WRONG_KIND,      /* a valid kind, not the expected one */
  HORUS_DCHECK_DTYPE,
  HORUS_DCHECK_NDIM,
  HORUS_DCHECK_FLAGS,
  HORUS_DCHECK_RESERVED,
  HORUS_DCHECK_BEYOND_NDIM,     /* shape/stride set at index `dim` >= ndim */
  HORUS_DCHECK_FRAME_ID,        /* no NUL in frame_id */
  HORUS_DCHECK_ENCODING,        /* unknown (or nonzero for a tensor) encoding */
  HORUS_DCHECK_ENCODING_SHAPE,  /* shape/dtype do not match the encoding */
  HORUS_DCHECK_UNKNOWN_POOL,    /* no pool geometry given */
  HORUS_DCHECK_SLOT,            /* slot >= slot_count */
  HORUS_DCHECK_BYTE_LENGTH,     /* byte_length > slot capacity */
  HORUS_DCHECK_OFFSET,          /* offset > byte_length */
  HORUS_DCHECK_OFFSET_ALIGN,    /* offset not a multiple of the element size */
  HORUS_DCHECK_STRIDE_RANGE,    /* |strides[dim]| >= 2^40 */
  HORUS_DCHECK_OVERFLOW,        /* shape[dim] x strides[dim] x itemsize overflows */
  HORUS_DCHECK_OUTSIDE,         /* some index reaches outside [0, byte_length) */
} horus_dcheck_code;

/** What a check learned: on failure, where it failed; on success, the slot's data
 *  address. The caller forms its view from the descriptor it passed in (its own copy,
 *  now known good), so nothing else is copied out. */
typedef struct horus_dcheck_result {
  int32_t code;            /* horus_dcheck_code */
  int32_t dim;             /* dimension of a per-dimension failure, else -1 */
  uint64_t capacity;       /* capacity of the descriptor's slot (once the slot is known) */
  unsigned char *data;     /* start of the slot's data (on success) */
  void *pool;              /* horus_descriptor_check_attached: the pool's object, if attached */
} horus_dcheck_result;

/** Element size of a known dtype, 0 for an unknown one. */
int horus_dtype_size(uint8_t dtype);

/**
 * Checks every field of `d` (expected_kind: a horus_kind, or -1 for any) against
 * `pool` (NULL: the descriptor's pool is not attached). Returns result.code.
 */
int32_t horus_descriptor_check(const horus_descriptor *d, int32_t expected_kind,
                               const horus_pool_geometry *pool, horus_dcheck_result *result);

/**
 * horus_descriptor_check against the attached pool the descriptor names (looked up in
 * horus_pool_table; result->pool is its object, NULL if none is attached).
 */
int32_t horus_descriptor_check_attached(const horus_descriptor *d, int32_t expected_kind,
                                        horus_dcheck_result *result);

#endif
