/* SIGBUS on truncated shared memory becomes zero pages and a flag (see horus_shm_guard.h).
 * A mapping of a shm object shrunk by another process faults (SIGBUS) on the pages past
 * the new end; the handler maps private zero pages over the whole mapping (MAP_FIXED, so
 * the address stays valid), marks it truncated and returns: the access is retried and
 * reads zeros, which every horus reader already treats as "nothing there". A SIGBUS
 * elsewhere goes to the previous handler (or kills the process as before). */
#define _GNU_SOURCE
#include "horus_shm_guard.h"
#include "horus_crash_report.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

enum { GUARD_SLOTS = 4096 };

typedef struct {
  _Atomic(uintptr_t) base; /* 0: free slot */
  _Atomic(size_t) size;
} guard_entry;

static guard_entry entries[GUARD_SLOTS];
static volatile int32_t flags[GUARD_SLOTS + 1]; /* the last one: constant zero for slot -1 */
static struct sigaction previous_bus;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

int horus_shm_guard_absorb(void *address) {
  uintptr_t a = (uintptr_t)address;
  for (int i = 0; i < GUARD_SLOTS; i++) {
    uintptr_t b = atomic_load_explicit(&entries[i].base, memory_order_acquire);
    size_t n = atomic_load_explicit(&entries[i].size, memory_order_relaxed);
    if (b == 0 || a < b || a >= b + n) continue;
    /* mmap is not on the async-signal-safe list but is a plain system call on Linux. */
    void *p = mmap((void *)b, n, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 0;
    flags[i] = 1;
    return 1;
  }
  return 0;
}

static void on_bus(int sig, siginfo_t *info, void *context) {
  if (horus_shm_guard_absorb(info->si_addr)) return;
  horus_signal_forward(sig, info, context, &previous_bus);
}

static void install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_bus;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGBUS, &sa, &previous_bus);
}

int32_t horus_shm_guard_add(void *base, size_t size) {
  pthread_once(&install_once, install);
  for (int i = 0; i < GUARD_SLOTS; i++) {
    uintptr_t expected = 0;
    if (atomic_load_explicit(&entries[i].base, memory_order_relaxed) != 0) continue;
    atomic_store_explicit(&entries[i].size, size, memory_order_relaxed);
    flags[i] = 0;
    if (atomic_compare_exchange_strong(&entries[i].base, &expected, (uintptr_t)base)) return i;
  }
  return -1;
}

void horus_shm_guard_remove(int32_t slot) {
  if (slot >= 0 && slot < GUARD_SLOTS) atomic_store_explicit(&entries[slot].base, 0, memory_order_release);
}

const volatile int32_t *horus_shm_guard_flag(int32_t slot) {
  return slot >= 0 && slot < GUARD_SLOTS ? &flags[slot] : &flags[GUARD_SLOTS];
}
