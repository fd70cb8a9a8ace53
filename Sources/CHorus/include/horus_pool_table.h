/*
 * horus_pool_table.h -- the pools attached in this process, by descriptor pool id.
 *
 * Swift's PoolRegistry adds each pool it attaches and removes each pool it closes (adds
 * and removes are serialized by its mutex); the descriptor check looks a pool up here,
 * lock-free, with no Swift runtime call on the decode path. A removed entry's id is
 * zeroed (a lookup never matches it) and the entry is reused by a later add, which
 * writes the geometry and object before it publishes the id. At process exit the table
 * is cleared before the pools detach.
 */
#ifndef HORUS_POOL_TABLE_H
#define HORUS_POOL_TABLE_H

#include <stdint.h>
#include "horus_descriptor_check.h"

/** Most pools one process can attach. */
#define HORUS_POOL_TABLE_CAPACITY 64

/** Publishes a pool: its id, its local geometry and an opaque pointer to its Swift
 *  object (unretained: the registry holds pools until they are removed). Returns 0, or
 *  -1 when the table is full. Callers serialize adds and removes. */
int32_t horus_pool_table_add(uint32_t pool_id, const horus_pool_geometry *geometry, void *pool);

/** Removes the pool with this id (a closed pool); later lookups do not find it. */
void horus_pool_table_remove(uint32_t pool_id);

/** Empties the table (process exit, before the pools detach). */
void horus_pool_table_clear(void);

/** The geometry of the attached pool with this id (and its object in *pool), or NULL. */
const horus_pool_geometry *horus_pool_table_find(uint32_t pool_id, void **pool);

#endif
