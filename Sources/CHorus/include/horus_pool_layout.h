/*
 * horus_pool_layout.h -- the layout of a shared-memory pool segment.
 *
 * A pool segment is, in order:
 *   horus_pool_header            (4096 bytes reserved)
 *   horus_pool_process[P]        registered processes (pid + start time), P = process_capacity
 *   uint32_t counts[P][S]        references held by each process on each slot, S = total_slots
 *   horus_pool_slot[S]           per-slot header: refcount, generation, free-list link
 *   data of size class 0, 1, ... each 4096-aligned, slot_count * slot_size bytes
 *
 * Fields marked (atomic) are only accessed through atomic operations. Everything a
 * process reads from another process's header is validated before use.
 */
#ifndef HORUS_POOL_LAYOUT_H
#define HORUS_POOL_LAYOUT_H

#include <stdint.h>

#define HORUS_POOL_MAGIC 0x314C4F4F5053524FULL /* "ORSPOOL1" */
#define HORUS_POOL_LAYOUT_VERSION 1u
#define HORUS_POOL_MAX_CLASSES 8
#define HORUS_POOL_NAME_CAPACITY 64
#define HORUS_POOL_HEADER_BYTES 4096

/** One size class: slots of one size, with a lock-free free list. */
typedef struct horus_pool_class {
  uint64_t slot_size;   /* bytes per slot, multiple of 64 */
  uint32_t slot_count;  /* slots in this class */
  uint32_t first_slot;  /* global index of this class's first slot */
  uint64_t data_offset; /* segment offset of slot first_slot's data */
  uint64_t free_head;   /* (atomic) tag << 32 | (slot index + 1); 0 = empty */
  uint32_t in_use;      /* (atomic) slots currently allocated */
  uint32_t high_water;  /* (atomic) most slots ever in use at once */
  uint64_t reserved[3];
} horus_pool_class;

/** The segment header, written once by the creator while it holds the segment's flock. */
typedef struct horus_pool_header {
  uint64_t magic;
  uint32_t layout_version;
  uint32_t pool_id;
  uint64_t segment_size;
  uint32_t class_count;
  uint32_t total_slots;
  uint32_t process_capacity;
  uint32_t reserved0;
  uint64_t process_table_offset;
  uint64_t counts_offset;
  uint64_t slot_table_offset;
  char name[HORUS_POOL_NAME_CAPACITY];
  horus_pool_class classes[HORUS_POOL_MAX_CLASSES];
} horus_pool_header;

/** A registered process: pid and start time name it even after pid reuse. Its first 16
 *  bytes are the identity prefix every participant row shares (pid at 0, start_time at
 *  8; see horus_ring_participant): one participant table (Swift's ParticipantTable)
 *  claims, reclaims and vacates the rows of pools and rings alike. */
typedef struct horus_pool_process {
  int32_t pid;          /* (atomic) 0 = free entry */
  uint32_t reserved;
  uint64_t start_time;  /* clock ticks since boot, from /proc/PID/stat */
} horus_pool_process;

/** Per-slot header. */
typedef struct horus_pool_slot {
  uint32_t refcount;    /* (atomic) total references: all processes plus topic rings */
  uint32_t generation;  /* (atomic) bumped on every allocation; descriptors must match */
  uint32_t next;        /* (atomic) free-list link: next slot index + 1, 0 = end */
  int32_t owner_pid;    /* (atomic) process that allocated the slot (diagnostics) */
  uint64_t length;      /* (atomic) bytes requested by the current allocation */
  uint32_t class_index; /* size class of this slot, fixed at creation */
  uint32_t reserved;
} horus_pool_slot;

_Static_assert(sizeof(horus_pool_class) == 64, "class is 64 bytes");
_Static_assert(sizeof(horus_pool_header) <= HORUS_POOL_HEADER_BYTES, "header fits");
_Static_assert(sizeof(horus_pool_slot) == 32, "slot header is 32 bytes");
_Static_assert(__builtin_offsetof(horus_pool_process, pid) == 0 &&
               __builtin_offsetof(horus_pool_process, start_time) == 8, "participant identity prefix");

#endif
