/*
 * cli_test_nodes -- the node types horus-run's own tests run (plugin ABI 1).
 * Compiled by the CLI tests (CLITestSupport.swift) into a plugin library, so none of it
 * ships in horus-run.
 *
 *   cli_test_source  periodic (default 50 Hz): an rgb8 Image (`height` x `width`, frame
 *                    "cli") on `out`, bytes (n + k) mod 256 for frame n, byte k
 *   cli_test_relay   forwards every Image from `in` to `out`
 *   cli_test_sink    consumes every Image from `in`
 *   cli_test_fail    fails in configure ("refused on purpose")
 *   cli_test_tick_fail  periodic (default 50 Hz), no ports: every tick fails ("refused on purpose")
 */
#include <stdlib.h>
#include <string.h>
#include "horus_plugin.h"

/* -- cli_test_source ------------------------------------------------------------- */

static const horus_port_def_t source_ports[] = {
  {.name = "out", .direction = HORUS_PORT_OUTPUT, .message_type = "Image", .doc = "rgb8 test images"},
};
static const horus_param_def_t source_params[] = {
  {.name = "height", .type = HORUS_PARAM_INT, .flags = HORUS_PARAM_HAS_DEFAULT | HORUS_PARAM_HAS_MIN | HORUS_PARAM_HAS_MAX,
   .default_value = {.i = 24}, .min = 1, .max = 4096, .doc = "rows"},
  {.name = "width", .type = HORUS_PARAM_INT, .flags = HORUS_PARAM_HAS_DEFAULT | HORUS_PARAM_HAS_MIN | HORUS_PARAM_HAS_MAX,
   .default_value = {.i = 32}, .min = 1, .max = 4096, .doc = "columns"},
};

typedef struct {
  int64_t height, width;
  uint64_t frames;
} source_node;

static void *source_create(const horus_node_type_t *type, const horus_host_t *host) {
  (void)type;
  source_node *n = calloc(1, sizeof *n);
  if (!n) host->set_error(host, "out of memory");
  return n;
}

static int32_t source_configure(void *instance, const horus_host_t *host) {
  source_node *n = instance;
  n->height = 24;
  n->width = 32;
  host->param_int(host, "height", &n->height);
  host->param_int(host, "width", &n->width);
  return HORUS_OK;
}

static int32_t source_tick(void *instance, const horus_host_t *host) {
  source_node *n = instance;
  horus_message_t out;
  int64_t shape[2] = {n->height, n->width};
  int32_t s = host->alloc(host, HORUS_KIND_IMAGE, 0 /* rgb8 */, 0, 2, shape, &out);
  if (s != HORUS_OK) return s;
  uint8_t *b = out.data;
  uint64_t count = (uint64_t)(n->height * n->width * 3);
  for (uint64_t k = 0; k < count; k++) b[k] = (uint8_t)(n->frames + k);
  out.timestamp_ns = host->now_ns(host);
  memset(out.frame_id, 0, sizeof out.frame_id);
  memcpy(out.frame_id, "cli", 3);
  s = host->publish(host, 0, &out);
  host->release(host, out.handle);
  n->frames++;
  return s;
}

/* -- cli_test_relay and cli_test_sink -------------------------------------------- */

static const horus_port_def_t relay_ports[] = {
  {.name = "in", .direction = HORUS_PORT_INPUT, .message_type = "Image", .doc = "any Image"},
  {.name = "out", .direction = HORUS_PORT_OUTPUT, .message_type = "Image", .doc = "the same Image"},
};
static const horus_port_def_t sink_ports[] = {
  {.name = "in", .direction = HORUS_PORT_INPUT, .message_type = "Image", .doc = "any Image"},
};

static void *stateless_create(const horus_node_type_t *type, const horus_host_t *host) {
  (void)type;
  (void)host;
  return malloc(1);  /* non-NULL: no state */
}

/* Takes every waiting Image from port 0; with `forward`, publishes each on port 1. */
static int32_t drain(const horus_host_t *host, int forward) {
  horus_message_t in;
  while (host->take(host, 0, HORUS_TAKE_NEXT, &in) == HORUS_OK) {
    int32_t s = forward ? host->publish(host, 1, &in) : HORUS_OK;
    host->release(host, in.handle);
    if (s != HORUS_OK) return s;
  }
  return HORUS_OK;
}

static int32_t relay_tick(void *instance, const horus_host_t *host) {
  (void)instance;
  return drain(host, 1);
}

static int32_t sink_tick(void *instance, const horus_host_t *host) {
  (void)instance;
  return drain(host, 0);
}

/* -- cli_test_fail --------------------------------------------------------------- */

static int32_t fail_configure(void *instance, const horus_host_t *host) {
  (void)instance;
  host->set_error(host, "refused on purpose");
  return HORUS_ERR_INVALID;
}

static int32_t nothing_tick(void *instance, const horus_host_t *host) {
  (void)instance;
  (void)host;
  return HORUS_OK;
}

/* -- cli_test_tick_fail ---------------------------------------------------------- */

static int32_t fail_tick(void *instance, const horus_host_t *host) {
  (void)instance;
  host->set_error(host, "refused on purpose");
  return HORUS_ERR_INVALID;
}

static void destroy(void *instance) { free(instance); }

static const horus_node_type_t node_types[] = {
  {.name = "cli_test_source", .doc = "test image source", .port_count = 1, .ports = source_ports,
   .param_count = 2, .params = source_params, .default_rate_hz = 50,
   .create = source_create, .configure = source_configure, .tick = source_tick, .destroy = destroy},
  {.name = "cli_test_relay", .doc = "test relay", .port_count = 2, .ports = relay_ports,
   .create = stateless_create, .tick = relay_tick, .destroy = destroy},
  {.name = "cli_test_sink", .doc = "test sink", .port_count = 1, .ports = sink_ports,
   .create = stateless_create, .tick = sink_tick, .destroy = destroy},
  {.name = "cli_test_fail", .doc = "fails to configure", .port_count = 1, .ports = sink_ports,
   .create = stateless_create, .configure = fail_configure, .tick = nothing_tick, .destroy = destroy},
  {.name = "cli_test_tick_fail", .doc = "fails every tick", .default_rate_hz = 50,
   .create = stateless_create, .tick = fail_tick, .destroy = destroy},
};

static const horus_plugin_t plugin = {
  .abi_version = HORUS_PLUGIN_ABI_VERSION,
  .node_type_count = 5,
  .name = "cli_test_nodes",
  .version = "1.0.0",
  .node_types = node_types,
};

const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
