/*
 * obstacle_detector -- a horus plugin (plugin ABI 1.1) publishing a plain struct message.
 *
 * Node type `obstacle_detector`: reads depth images (meters float32 or millimeters uint16)
 * and publishes one ObstacleAlert (horus_obstacle_alert.h) per frame: the nearest valid
 * depth, its bearing from the optical axis (pinhole, param fx), how many pixels are closer
 * than `alert_distance`, and a level (0 clear, 1 warning, 2 stop below half the distance).
 */
#include <math.h>
#include <stdlib.h>
#include "horus_obstacle_alert.h"
#include "horus_plugin.h"

enum { PORT_DEPTH = 0, PORT_ALERT = 1 };

static const horus_port_def_t ports[] = {
  {.name = "depth", .direction = HORUS_PORT_INPUT, .message_type = "DepthImage", .doc = "depth image"},
  {.name = "alert", .direction = HORUS_PORT_OUTPUT, .message_type = "ObstacleAlert", .doc = "nearest obstacle, per frame"},
};

static const horus_param_def_t params[] = {
  {.name = "alert_distance", .type = HORUS_PARAM_DOUBLE,
   .flags = HORUS_PARAM_HAS_DEFAULT | HORUS_PARAM_HAS_MIN | HORUS_PARAM_HAS_MAX,
   .default_value = {.d = 1.5}, .min = 0.01, .max = 100, .doc = "closer than this (m) raises a warning"},
  {.name = "fx", .type = HORUS_PARAM_DOUBLE,
   .flags = HORUS_PARAM_HAS_DEFAULT | HORUS_PARAM_HAS_MIN | HORUS_PARAM_HAS_MAX,
   .default_value = {.d = 525}, .min = 1, .max = 100000, .doc = "focal length x, pixels (for the bearing)"},
};

static const horus_struct_type_def_t struct_types[] = {
  {.name = "ObstacleAlert", .size = sizeof(horus_obstacle_alert_t), .doc = "nearest obstacle"},
};

typedef struct { double alert_distance, fx; } detector;

static void *create(const horus_node_type_t *type, const horus_host_t *host) {
  (void)type;
  detector *d = calloc(1, sizeof *d);
  if (!d) host->set_error(host, "out of memory");
  return d;
}

static int32_t configure(void *self, const horus_host_t *host) {
  detector *d = self;
  host->param_double(host, "alert_distance", &d->alert_distance);
  host->param_double(host, "fx", &d->fx);
  return HORUS_OK;
}

static int32_t tick(void *self, const horus_host_t *host) {
  detector *d = self;
  horus_message_t in;
  if (host->take(host, PORT_DEPTH, HORUS_TAKE_LATEST, &in) != HORUS_OK) return HORUS_OK;
  int64_t h = in.shape[0], w = in.shape[1];
  float nearest = INFINITY;
  int64_t nearest_x = 0;
  uint32_t close = 0;
  for (int64_t y = 0; y < h; y++)
    for (int64_t x = 0; x < w; x++) {
      int64_t i = y * in.strides[0] + x * in.strides[1];
      float z = in.dtype == HORUS_DTYPE_U16 ? ((const uint16_t *)in.data)[i] * 0.001f : ((const float *)in.data)[i];
      if (!(z > 0) || !isfinite(z)) continue; /* no return */
      if (z < d->alert_distance) close++;
      if (z < nearest) { nearest = z; nearest_x = x; }
    }
  horus_obstacle_alert_t alert = {.timestamp_ns = in.timestamp_ns, .close_count = close};
  if (isfinite(nearest)) {
    alert.distance_m = nearest;
    alert.bearing_rad = (float)atan2((double)(w - 1) / 2.0 - (double)nearest_x, d->fx);
    alert.level = nearest < d->alert_distance / 2 ? 2 : nearest < d->alert_distance ? 1 : 0;
  }
  host->release(host, in.handle);
  return host->publish_struct(host, PORT_ALERT, &alert, sizeof alert);
}

static void destroy(void *self) { free(self); }

static const horus_node_type_t node_types[] = {{
  .name = "obstacle_detector",
  .doc = "Nearest obstacle in a depth image, as an ObstacleAlert struct message",
  .port_count = 2, .ports = ports,
  .param_count = 2, .params = params,
  .default_trigger_input = "depth",
  .create = create, .configure = configure, .tick = tick, .destroy = destroy,
}};

static const horus_plugin_t plugin = {
  .abi_version = HORUS_PLUGIN_ABI_VERSION_1_1,
  .node_type_count = 1,
  .name = "obstacle_detector",
  .version = "1.0.0",
  .node_types = node_types,
  .struct_type_count = 1,
  .struct_types = struct_types,
};

const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
