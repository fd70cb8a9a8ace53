/*
 * horus_pool_table.c -- see horus_pool_table.h.
 */
#include "horus_pool_table.h"

typedef struct {
  uint32_t pool_id;
  const horus_pool_geometry *geometry;
  void *pool;
} horus_pool_table_entry;

static horus_pool_table_entry entries[HORUS_POOL_TABLE_CAPACITY];
static uint32_t entry_count; /* published with release, read with acquire */

int32_t horus_pool_table_add(uint32_t pool_id, const horus_pool_geometry *geometry, void *pool) {
  uint32_t n = __atomic_load_n(&entry_count, __ATOMIC_RELAXED);
  if (n >= HORUS_POOL_TABLE_CAPACITY) return -1;
  entries[n].pool_id = pool_id;
  entries[n].geometry = geometry;
  entries[n].pool = pool;
  __atomic_store_n(&entry_count, n + 1, __ATOMIC_RELEASE);
  return 0;
}

void horus_pool_table_clear(void) { __atomic_store_n(&entry_count, 0, __ATOMIC_RELEASE); }

const horus_pool_geometry *horus_pool_table_find(uint32_t pool_id, void **pool) {
  const uint32_t n = __atomic_load_n(&entry_count, __ATOMIC_ACQUIRE);
  for (uint32_t i = 0; i < n; i++) {
    if (entries[i].pool_id == pool_id) {
      *pool = entries[i].pool;
      return entries[i].geometry;
    }
  }
  *pool = 0;
  return 0;
}
