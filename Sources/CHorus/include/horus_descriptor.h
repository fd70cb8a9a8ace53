/*
 * horus_descriptor.h -- the fixed-size message that travels through topic
 * rings in place of the payload. 144 bytes, plain data, no pointers.
 *
 * Layout (offset: field):
 *   0   magic         'H','D' (0x4448 little-endian)
 *   2   version       HORUS_DESCRIPTOR_VERSION
 *   3   kind          horus_kind: tensor, image, point cloud, depth image
 *   4   pool_id       32-bit id of the pool (FNV-1a of the pool's shm name)
 *   8   slot          global slot index inside the pool
 *   12  generation    the slot's generation when this sample was allocated
 *   16  offset        byte offset of element [0,...,0] from the slot's data start
 *   24  byte_length   bytes of the slot this sample owns, from the data start
 *   32  dtype         horus_dtype
 *   33  ndim          0...HORUS_MAX_DIMS
 *   34  encoding      image encoding / point-cloud format / depth unit (by kind)
 *   35  flags         HORUS_DESC_FLAG_*
 *   36  reserved0     zero
 *   40  shape[6]      extent per dimension (uint32)
 *   64  strides[6]    stride per dimension, in elements (int64, may be negative)
 *   112 timestamp_ns  sample time, nanoseconds
 *   120 frame_id[24]  NUL-terminated coordinate frame name
 */
#ifndef HORUS_DESCRIPTOR_H
#define HORUS_DESCRIPTOR_H

#include <stdint.h>

#define HORUS_DESCRIPTOR_MAGIC 0x4448u
#define HORUS_DESCRIPTOR_VERSION 1u
#define HORUS_MAX_DIMS 6
#define HORUS_FRAME_ID_CAPACITY 24

typedef enum {
  HORUS_KIND_TENSOR = 0,
  HORUS_KIND_IMAGE = 1,
  HORUS_KIND_POINT_CLOUD = 2,
  HORUS_KIND_DEPTH_IMAGE = 3,
} horus_kind;

typedef enum {
  HORUS_DTYPE_U8 = 0,
  HORUS_DTYPE_I8 = 1,
  HORUS_DTYPE_U16 = 2,
  HORUS_DTYPE_I16 = 3,
  HORUS_DTYPE_U32 = 4,
  HORUS_DTYPE_I32 = 5,
  HORUS_DTYPE_U64 = 6,
  HORUS_DTYPE_I64 = 7,
  HORUS_DTYPE_F16 = 8,
  HORUS_DTYPE_F32 = 9,
  HORUS_DTYPE_F64 = 10,
  HORUS_DTYPE_BOOL = 11,
} horus_dtype;

#define HORUS_DESC_FLAG_READ_ONLY 0x01u

typedef struct horus_descriptor {
  uint16_t magic;
  uint8_t version;
  uint8_t kind;
  uint32_t pool_id;
  uint32_t slot;
  uint32_t generation;
  uint64_t offset;
  uint64_t byte_length;
  uint8_t dtype;
  uint8_t ndim;
  uint8_t encoding;
  uint8_t flags;
  uint32_t reserved0;
  uint32_t shape[HORUS_MAX_DIMS];
  int64_t strides[HORUS_MAX_DIMS];
  uint64_t timestamp_ns;
  char frame_id[HORUS_FRAME_ID_CAPACITY];
} horus_descriptor;

_Static_assert(sizeof(horus_descriptor) == 144, "horus_descriptor must be 144 bytes");

#endif
