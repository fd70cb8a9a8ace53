#define _GNU_SOURCE
#include "horus_sys.h"
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
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

int horus_set_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice) == 0 ? 0 : -errno;
}

int horus_thread_nice(void) {
    return getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
}

uint64_t horus_realtime_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>

int32_t horus_spawn(const char *path, char *const argv[], int stdout_to_stderr) {
  extern char **environ;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (stdout_to_stderr) posix_spawn_file_actions_adddup2(&fa, 2, 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  /* The child starts with default signal dispositions and an empty mask. */
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  /* Own process group: a terminal's Ctrl-C reaches the parent only, which stops the child. */
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, path, &fa, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? (int32_t)pid : -rc;
}

int horus_wait_child(int32_t pid, int nohang, int32_t *exit_code, int32_t *signal) {
  int status = 0;
  pid_t r;
  do { r = waitpid(pid, &status, nohang ? WNOHANG : 0); } while (r < 0 && errno == EINTR);
  if (r < 0) return -errno;
  if (r == 0) return 0;
  if (WIFSIGNALED(status)) { *exit_code = -1; *signal = WTERMSIG(status); }
  else { *exit_code = WEXITSTATUS(status); *signal = 0; }
  return 1;
}

int horus_set_parent_death_signal(int sig) {
  return prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0, 0, 0) == 0 ? 0 : -errno;
}
