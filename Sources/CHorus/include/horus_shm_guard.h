/* Turns a SIGBUS on a horus shared-memory mapping (the object was truncated by another
 * process) into zeros plus a per-segment flag, instead of a dead process. */
#ifndef HORUS_SHM_GUARD_H
#define HORUS_SHM_GUARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Registers a mapping (installs the SIGBUS handler on first use). Returns its guard
 * slot, or -1 when the table is full (the mapping is then unguarded). */
int32_t horus_shm_guard_add(void *base, size_t size);

/* Unregisters a mapping before it is unmapped. */
void horus_shm_guard_remove(int32_t slot);

/* The flag the handler sets when it replaced the slot's mapping (nonzero: truncated).
 * Stays readable for the process's lifetime; a constant zero for slot -1. */
const volatile int32_t *horus_shm_guard_flag(int32_t slot);

/* For other SIGBUS handlers: nonzero when `address` lies in a guarded mapping, which has
 * then been replaced by zero pages (so the faulting access can be retried). */
int horus_shm_guard_absorb(void *address);

#ifdef __cplusplus
}
#endif
#endif
