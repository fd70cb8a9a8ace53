/*
 * crasher -- a horus plugin that crashes on purpose (plugin ABI 1), to exercise
 * `isolate: process` and restart policies.
 *
 * Node type `crasher`: takes images from `image` (and releases them); on its
 * `crash_after`-th tick it crashes with `how`: "segv" (raise SIGSEGV), "abort" (abort()),
 * or "exit" (exit(3)). Until then it passes every image on to the optional `image_out`.
 * With `crash_in` = "configure", "start" or "stop" it crashes in that callback instead.
 * Each new instance (e.g. after a restart) counts from zero again.
 *
 * Never run it in-process: it takes the whole runner down.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "horus_plugin.h"

enum { PORT_IMAGE = 0, PORT_OUT = 1 };

static const horus_port_def_t ports[] = {
  {.name = "image", .direction = HORUS_PORT_INPUT, .message_type = "Image", .doc = "any image"},
  {.name = "image_out", .direction = HORUS_PORT_OUTPUT, .message_type = "Image", .doc = "the input, until the crash"},
};

static const horus_param_def_t params[] = {
  {.name = "crash_after", .type = HORUS_PARAM_INT,
   .flags = HORUS_PARAM_HAS_DEFAULT | HORUS_PARAM_HAS_MIN | HORUS_PARAM_HAS_MAX,
   .default_value = {.i = 10}, .min = 1, .max = 1000000000, .doc = "crash on this tick (1 = the first)"},
  {.name = "how", .type = HORUS_PARAM_STRING, .flags = HORUS_PARAM_HAS_DEFAULT,
   .default_value = {.s = "segv"}, .doc = "segv, abort or exit"},
  {.name = "crash_in", .type = HORUS_PARAM_STRING, .flags = HORUS_PARAM_HAS_DEFAULT,
   .default_value = {.s = "tick"}, .doc = "the callback that crashes: tick, configure, start or stop"},
};

typedef struct {
  int64_t crash_after;
  int64_t ticks;
  char how[16];
  char crash_in[16];
} crasher;

static void crash(const crasher *c, const horus_host_t *host) {
  host->log(host, HORUS_LOG_WARN, "crashing on purpose");
  if (!strcmp(c->how, "abort")) abort();
  if (!strcmp(c->how, "exit")) exit(3);
  raise(SIGSEGV);
}

static void *create(const horus_node_type_t *type, const horus_host_t *host) {
  (void)type;
  crasher *c = calloc(1, sizeof *c);
  if (!c) host->set_error(host, "out of memory");
  return c;
}

static int32_t configure(void *instance, const horus_host_t *host) {
  crasher *c = instance;
  const char *how = "segv", *crash_in = "tick";
  host->param_int(host, "crash_after", &c->crash_after);
  host->param_string(host, "how", &how);
  host->param_string(host, "crash_in", &crash_in);
  strncpy(c->how, how, sizeof c->how - 1);
  strncpy(c->crash_in, crash_in, sizeof c->crash_in - 1);
  if (strcmp(c->how, "segv") && strcmp(c->how, "abort") && strcmp(c->how, "exit")) {
    host->set_error(host, "how must be segv, abort or exit");
    return HORUS_ERR_INVALID;
  }
  if (strcmp(c->crash_in, "tick") && strcmp(c->crash_in, "configure") && strcmp(c->crash_in, "start") &&
      strcmp(c->crash_in, "stop")) {
    host->set_error(host, "crash_in must be tick, configure, start or stop");
    return HORUS_ERR_INVALID;
  }
  if (!strcmp(c->crash_in, "configure")) crash(c, host);
  return HORUS_OK;
}

static int32_t start(void *instance, const horus_host_t *host) {
  if (!strcmp(((crasher *)instance)->crash_in, "start")) crash(instance, host);
  return HORUS_OK;
}

static void stop(void *instance, const horus_host_t *host) {
  if (!strcmp(((crasher *)instance)->crash_in, "stop")) crash(instance, host);
}

static int32_t tick(void *instance, const horus_host_t *host) {
  crasher *c = instance;
  horus_message_t in;
  if (host->take(host, PORT_IMAGE, HORUS_TAKE_LATEST, &in) != HORUS_OK) return HORUS_OK;
  if (!strcmp(c->crash_in, "tick") && ++c->ticks >= c->crash_after) {
    /* Crash while holding the input's handle: its pool slot must be reclaimed. */
    crash(c, host);
  }
  int32_t s = host->publish(host, PORT_OUT, &in);
  host->release(host, in.handle);
  return s;
}

static void destroy(void *instance) { free(instance); }

static const horus_node_type_t node_types[] = {{
  .name = "crasher",
  .doc = "Passes images through, then crashes on purpose on its crash_after-th tick",
  .port_count = 2, .ports = ports,
  .param_count = 3, .params = params,
  .default_trigger_input = "image",
  .create = create, .configure = configure, .start = start, .tick = tick, .stop = stop, .destroy = destroy,
}};

static const horus_plugin_t plugin = {
  .abi_version = HORUS_PLUGIN_ABI_VERSION,
  .node_type_count = 1,
  .name = "crasher_plugin",
  .version = "1.0.0",
  .node_types = node_types,
};

const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
