/* Fatal-signal handler naming the node being run (see horus_crash_report.h). */
#define _GNU_SOURCE
#include "horus_crash_report.h"
#include "horus_shm_guard.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static _Thread_local const horus_crash_label_t *current_label;

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
enum { FATAL_COUNT = sizeof fatal_signals / sizeof fatal_signals[0] };
static struct sigaction previous_actions[FATAL_COUNT];

static const char *signal_name(int sig) {
  switch (sig) {
  case SIGSEGV: return "SIGSEGV";
  case SIGBUS: return "SIGBUS";
  case SIGILL: return "SIGILL";
  case SIGFPE: return "SIGFPE";
  case SIGABRT: return "SIGABRT";
  default: return "fatal signal";
  }
}

static void write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(STDERR_FILENO, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    p += w;
    n -= (size_t)w;
  }
}

static void on_fatal_signal(int sig, siginfo_t *info, void *context) {
  int saved_errno = errno;
  if (sig == SIGBUS && horus_shm_guard_absorb(info->si_addr)) return; /* truncated shm: not a crash */
  const horus_crash_label_t *label = current_label;
  if (label && label->text) {
    current_label = NULL; /* a second fault while reporting must not loop */
    write_all(label->text, label->length);
    const char *name = signal_name(sig);
    write_all(name, strlen(name));
    write_all("\n", 1);
  }
  int i = 0;
  while (i < FATAL_COUNT && fatal_signals[i] != sig) i++;
  struct sigaction prev = i < FATAL_COUNT ? previous_actions[i] : (struct sigaction){.sa_handler = SIG_DFL};
  errno = saved_errno;
  horus_signal_forward(sig, info, context, &prev);
}

void horus_signal_forward(int sig, siginfo_t *info, void *context, const struct sigaction *previous) {
  struct sigaction prev = *previous;
  if ((prev.sa_flags & SA_SIGINFO) && prev.sa_sigaction) {
    sigaction(sig, &prev, NULL); /* the previous handler owns the signal from now on */
    prev.sa_sigaction(sig, info, context);
    return;
  }
  if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN && prev.sa_handler != SIG_ERR) {
    sigaction(sig, &prev, NULL);
    prev.sa_handler(sig);
    return;
  }
  /* Default action: restore it and re-raise (a fault re-executes and dies the same way). */
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  raise(sig);
}

static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void install(void) {
  for (int i = 0; i < FATAL_COUNT; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(fatal_signals[i], &sa, &previous_actions[i]);
  }
}

void horus_crash_report_install(void) { pthread_once(&install_once, install); }

const horus_crash_label_t *horus_crash_enter(const horus_crash_label_t *label) {
  const horus_crash_label_t *prev = current_label;
  current_label = label;
  return prev;
}

void horus_crash_leave(const horus_crash_label_t *previous) { current_label = previous; }
