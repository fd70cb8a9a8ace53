/*
 * horus_ring_layout.h -- the layout of a topic ring segment.
 *
 * A topic is one shared-memory segment: this header, then `capacity` entries of
 * `entry_stride` bytes. Each entry is a commit word, the message bytes (a 144-byte
 * descriptor for pool-backed types, the struct itself for plain types), then a lock
 * word at offset 8 + round_up(message_size, 8); the stride is
 * round_up(16 + round_up(message_size, 8), 64).
 *
 * Both words use one encoding: 0 = never written; 2t+1 = ticket t being written;
 * 2t+2 = ticket t committed. Publishers take tickets with fetch_add on write_seq.
 * A publisher of ticket t moves the lock word from an even value to 2t+1 (CAS;
 * writers of one entry are serialized there), writes the message, stores 2t+2 in the
 * commit word and then in the lock word (so commit words only grow). A reader at
 * cursor c polls only the commit word of entry c % capacity (c is ready when it
 * equals 2c+2, lapped when larger), copies the message and re-reads the lock word
 * (seqlock): if it is above 2c+2 a later ticket began overwriting the entry and the
 * copy is discarded, so a reader never sees a torn message. An entry of a descriptor
 * topic holds a pool reference on its slot exactly when its lock word is even and
 * nonzero (the publisher takes it after the commit, before releasing the lock). Keeping the word writers contend on (lock) off the line
 * readers poll (commit, which shares its line with the message's first bytes) means a
 * publish transfers the polled line once, at the commit.
 * Fields marked (atomic) are accessed only atomically.
  */
#ifndef HORUS_RING_LAYOUT_H
#define HORUS_RING_LAYOUT_H

#include <stdint.h>

#define HORUS_RING_MAGIC 0x31474E4952535248ULL /* "HRSRING1" */
#define HORUS_RING_LAYOUT_VERSION 2u
#define HORUS_RING_TYPE_NAME_CAPACITY 64
#define HORUS_RING_TOPIC_NAME_CAPACITY 128
#define HORUS_RING_MAX_PARTICIPANTS 64
#define HORUS_RING_MAX_POOLS 8
#define HORUS_RING_HEADER_BYTES 16384

/** roles bit of a process whose publisher of this topic is a DDS bridge importer: a bridge
 *  never exports such a topic back to DDS (docs/dds-bridge.md, "Loops"). */
#define HORUS_RING_ROLE_BRIDGE_IMPORT 4u
/* roles bits 16-31: threads of this process counted in the header's `waiters` (taken back
 * from it when the row of a dead process is reclaimed). */
#define HORUS_RING_ROLE_WAITERS_SHIFT 16u

/** A process using the topic: pid + start time (liveness), role bits. pid at 0 and
 *  start_time at 8 are the identity prefix shared with horus_pool_process (one
 *  participant table serves both). */
typedef struct horus_ring_participant {
  int32_t pid;          /* (atomic) 0 = free */
  uint32_t roles;       /* (atomic) role bits: HORUS_RING_ROLE_BRIDGE_IMPORT (1, 2 reserved; counts below);
                           bits 16-31: this process's futex sleepers (HORUS_RING_ROLE_WAITERS_SHIFT) */
  uint64_t start_time;
  uint32_t publishers;  /* (atomic) publisher objects of this process */
  uint32_t subscribers; /* (atomic) subscriber objects of this process */
} horus_ring_participant;

/** A pool whose descriptors travel on this topic, so subscribers can attach to it. */
typedef struct horus_ring_pool {
  uint32_t pool_id;     /* (atomic) 0 = free; written after name */
  uint32_t reserved;
  char name[64];
} horus_ring_pool;

typedef struct horus_ring_header {
  uint64_t magic;
  uint32_t layout_version;
  uint32_t message_kind;          /* 0 = plain struct, 1 + horus_kind for pool-backed */
  char type_name[HORUS_RING_TYPE_NAME_CAPACITY];
  char topic_name[HORUS_RING_TOPIC_NAME_CAPACITY];
  uint32_t type_layout_version;
  uint32_t message_size;          /* bytes of message per entry */
  uint32_t capacity;              /* entries, a power of two */
  uint32_t entry_stride;          /* bytes per entry, multiple of 64 */
  uint64_t segment_size;
  uint64_t created_ns;            /* CLOCK_REALTIME at creation */
  uint32_t bridge_import_marks;   /* (atomic) bumped after a process sets HORUS_RING_ROLE_BRIDGE_IMPORT
                                     (before its first publish); was padding, so 0 in older rings */
  uint8_t pad0[60];
  uint64_t write_seq;             /* (atomic) next ticket; own cache line */
  uint8_t pad1[56];
  uint32_t futex_word;            /* (atomic) bumped on publish when waiters > 0 */
  uint32_t waiters;               /* (atomic) subscribers blocked in futex_wait */
  uint8_t pad2[56];
  horus_ring_participant participants[HORUS_RING_MAX_PARTICIPANTS];
  horus_ring_pool pools[HORUS_RING_MAX_POOLS];
} horus_ring_header;

_Static_assert(sizeof(horus_ring_header) <= HORUS_RING_HEADER_BYTES, "ring header fits");
_Static_assert(__builtin_offsetof(horus_ring_participant, pid) == 0 &&
               __builtin_offsetof(horus_ring_participant, start_time) == 8, "participant identity prefix");

#endif
