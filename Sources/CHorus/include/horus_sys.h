/*
 * horus_sys.h -- small wrappers for Linux calls Swift cannot reach directly
 * (variadic syscall(2) for futex, process start time for pid liveness).
 */
#ifndef HORUS_SYS_H
#define HORUS_SYS_H

#include <stdint.h>

/** futex(FUTEX_WAIT) on a shared (not private) word: sleeps while *addr == expected.
 *  timeout_ns < 0 waits forever. Returns 0, or -errno (EAGAIN, ETIMEDOUT, EINTR). */
int horus_futex_wait(uint32_t *addr, uint32_t expected, int64_t timeout_ns);

/** futex(FUTEX_WAKE) on a shared word; returns the number woken or -errno. */
int horus_futex_wake(uint32_t *addr, int32_t count);

/** Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat),
 *  or 0 if the process does not exist. Together with the pid it names one process
 *  even after pid reuse. */
uint64_t horus_process_start_time(int32_t pid);

/** 1 if a process with this pid exists (kill(pid, 0) succeeds or fails with EPERM). */
int horus_pid_alive(int32_t pid);

/** setpriority(PRIO_PROCESS) on the calling thread only (Linux schedules threads, and
 *  gettid is what Swift cannot reach). Returns 0 or -errno. */
int horus_set_thread_nice(int nice);

/** The calling thread's nice value. */
int horus_thread_nice(void);

/** Monotonic clock in nanoseconds. */
uint64_t horus_monotonic_ns(void);

/** Wall clock (CLOCK_REALTIME) in nanoseconds. */
uint64_t horus_realtime_ns(void);

/** Child processes (node isolation). */

/** Starts `path` with `argv` (NULL-terminated; the environment is inherited) using
 *  posix_spawn, in a new process group, with default signal handling. If
 *  `stdout_to_stderr`, the child's stdout is its parent's stderr.
 *  Returns the pid, or -errno. */
int32_t horus_spawn(const char *path, char *const argv[], int stdout_to_stderr);

/** waitpid(pid) (blocking unless `nohang`). Returns 1 when the child ended and fills
 *  *exit_code (-1 if killed) and *signal (0 if it exited), 0 when `nohang` and it is
 *  still running, -errno on error. EINTR is retried. */
int horus_wait_child(int32_t pid, int nohang, int32_t *exit_code, int32_t *signal);

/** prctl(PR_SET_PDEATHSIG, sig): the kernel sends `sig` to this process when the thread
 *  that created it exits. Returns 0 or -errno. */
int horus_set_parent_death_signal(int sig);

#endif
