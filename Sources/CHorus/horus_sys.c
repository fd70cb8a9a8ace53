#define _GNU_SOURCE
#include "horus_sys.h"
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>

int horus_futex_wait(uint32_t *addr, uint32_t expected, int64_t timeout_ns) {
  struct timespec ts;
  struct timespec *tsp = NULL;
  if (timeout_ns >= 0) {
    ts.tv_sec = (time_t)(timeout_ns / 1000000000LL);
    ts.tv_nsec = (long)(timeout_ns % 1000000000LL);
    tsp = &ts;
  }
  long r = syscall(SYS_futex, addr, FUTEX_WAIT, expected, tsp, NULL, 0);
  return r == 0 ? 0 : -errno;
}

int horus_futex_wake(uint32_t *addr, int32_t count) {
  long r = syscall(SYS_futex, addr, FUTEX_WAKE, count, NULL, NULL, 0);
  return r >= 0 ? (int)r : -errno;
}

uint64_t horus_process_start_time(int32_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  /* comm may contain spaces and parentheses: fields resume after the last ')'. */
  char *p = strrchr(buf, ')');
  if (!p) return 0;
  p++;
  while (*p == ' ') p++;
  /* A zombie (Z) or dead (X) process is gone for our purposes. */
  if (*p == 'Z' || *p == 'X') return 0;
  /* p now points at " S ppid ..." : field 3 is state; start time is field 22. */
  int field = 2;
  unsigned long long value = 0;
  char *tok = strtok(p, " ");
  while (tok) {
    field++;
    if (field == 22) {
      value = strtoull(tok, NULL, 10);
      break;
    }
    tok = strtok(NULL, " ");
  }
  /* A zombie (state Z) is dead for our purposes. */
  return value;
}

int horus_pid_alive(int32_t pid) {
  if (pid <= 0) return 0;
  if (kill(pid, 0) == 0) return 1;
  return errno == EPERM ? 1 : 0;
}

uint64_t horus_monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t horus_realtime_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
