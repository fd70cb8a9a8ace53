#ifndef HORUS_CRASH_REPORT_H
#define HORUS_CRASH_REPORT_H
/*
 * Naming the node that crashed the process.
 *
 * The scheduler marks the calling thread while a node's callback runs
 * (horus_crash_enter / horus_crash_leave: one thread-local store each). When a fatal
 * signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) arrives on a marked thread, the
 * handler write(2)s the precomputed text followed by the signal name, e.g.
 *   "horus-run: node 'x' (plugin libfoo.so) crashed: SIGSEGV\n"
 * and then hands the signal on: to the handler installed before it (e.g. the Swift
 * runtime's backtracer), or with the default action re-raised. Everything the handler does
 * is async-signal-safe: it reads a thread-local pointer and calls write(2), sigaction(2)
 * and raise(3).
 */
#include <signal.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A label for one node: `text` (not NUL-terminated needed) stays valid while in use. */
typedef struct horus_crash_label {
  const char *text;
  size_t length;
} horus_crash_label_t;

/** Installs the fatal-signal handlers once per process (later calls do nothing). */
void horus_crash_report_install(void);

/* Hands a signal to the handler that was installed before ours (`previous`): calls it,
 * or, for the default action, restores it and re-raises. For horus's own handlers. */
void horus_signal_forward(int sig, siginfo_t *info, void *context, const struct sigaction *previous);

/** Marks this thread as running `label`'s node; returns the previous mark (or NULL). */
const horus_crash_label_t *horus_crash_enter(const horus_crash_label_t *label);

/** Restores the mark returned by horus_crash_enter. */
void horus_crash_leave(const horus_crash_label_t *previous);

#ifdef __cplusplus
}
#endif
#endif
