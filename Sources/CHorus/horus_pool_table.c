/*
 * horus_pool_table.c -- see horus_pool_table.h.
 */
#include "horus_pool_table.h"

typedef struct {
  uint32_t pool_id; /* (atomic) 0 = removed entry; published after geometry and pool */
  const horus_pool_geometry *geometry;
  void *pool;
} horus_pool_table_entry;

static horus_pool_table_entry entries[HORUS_POOL_TABLE_CAPACITY];
static uint32_t entry_count; /* published with release, read with acquire */

int32_t horus_pool_table_add(uint32_t pool_id, const horus_pool_geometry *geometry, void *pool) {
  uint32_t n = __atomic_load_n(&entry_count, __ATOMIC_RELAXED);
  uint32_t i = 0;
  while (i < n && __atomic_load_n(&entries[i].pool_id, __ATOMIC_RELAXED) != 0) i++;
  if (i >= HORUS_POOL_TABLE_CAPACITY) return -1;
  entries[i].geometry = geometry;
  entries[i].pool = pool;
  __atomic_store_n(&entries[i].pool_id, pool_id, __ATOMIC_RELEASE);
  if (i == n) __atomic_store_n(&entry_count, n + 1, __ATOMIC_RELEASE);
  return 0;
}

void horus_pool_table_remove(uint32_t pool_id) {
  const uint32_t n = __atomic_load_n(&entry_count, __ATOMIC_RELAXED);
  for (uint32_t i = 0; i < n; i++) {
    if (__atomic_load_n(&entries[i].pool_id, __ATOMIC_RELAXED) == pool_id) {
      __atomic_store_n(&entries[i].pool_id, 0, __ATOMIC_RELEASE);
      return;
    }
  }
}

void horus_pool_table_clear(void) { __atomic_store_n(&entry_count, 0, __ATOMIC_RELEASE); }

const horus_pool_geometry *horus_pool_table_find(uint32_t pool_id, void **pool) {
  *pool = 0;
  if (pool_id == 0) return 0; /* the id of removed entries */
  const uint32_t n = __atomic_load_n(&entry_count, __ATOMIC_ACQUIRE);
  for (uint32_t i = 0; i < n; i++) {
    if (__atomic_load_n(&entries[i].pool_id, __ATOMIC_ACQUIRE) == pool_id) {
      *pool = entries[i].pool;
      return entries[i].geometry;
    }
  }
  return 0;
}
