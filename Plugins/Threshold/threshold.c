/*
 * threshold -- a horus plugin in plain C (plugin ABI 1).
 *
 * Node type `threshold`: mono8 / rgb8 / bgr8 / rgba8 / bgra8 Image in, mono8 Image out.
 * Each output pixel is 255 where the input's luma is > `threshold`, else 0.
 * Luma of color pixels: (77 R + 150 G + 29 B) >> 8. An `invert` param swaps 0 and 255.
 *
 * Build:  cc -shared -fPIC -O2 -I Sources/CHorus/include -o libhorus_threshold.so threshold.c
 */
#include <stdlib.h>
#include <stdio.h>
#include "horus_plugin.h"

enum { PORT_IMAGE = 0, PORT_MASK = 1 };  /* indices into ports[] below */

static const horus_port_def_t ports[] = {
  {.name = "image", .direction = HORUS_PORT_INPUT, .message_type = "Image", .doc = "8-bit mono or color image"},
  {.name = "mask", .direction = HORUS_PORT_OUTPUT, .message_type = "Image", .doc = "mono8: 255 above threshold, else 0"},
};

static const horus_param_def_t params[] = {
  {.name = "threshold", .type = HORUS_PARAM_INT,
   .flags = HORUS_PARAM_HAS_DEFAULT | HORUS_PARAM_HAS_MIN | HORUS_PARAM_HAS_MAX,
   .default_value = {.i = 128}, .min = 0, .max = 255, .doc = "luma above which a pixel is set"},
  {.name = "invert", .type = HORUS_PARAM_BOOL, .flags = HORUS_PARAM_HAS_DEFAULT,
   .default_value = {.b = 0}, .doc = "output 0 above the threshold and 255 below"},
};

typedef struct {
  int threshold;
  int invert;
  uint64_t frames;
} threshold_node;

static void *create(const horus_node_type_t *type, const horus_host_t *host) {
  (void)type;
  threshold_node *n = calloc(1, sizeof *n);
  if (!n) host->set_error(host, "out of memory");
  return n;
}

static int32_t configure(void *instance, const horus_host_t *host) {
  threshold_node *n = instance;
  int64_t t = 128;
  int32_t inv = 0;
  host->param_int(host, "threshold", &t);
  host->param_bool(host, "invert", &inv);
  n->threshold = (int)t;
  n->invert = inv;
  return HORUS_OK;
}

static int32_t tick(void *instance, const horus_host_t *host) {
  threshold_node *n = instance;
  horus_message_t in, out;
  if (host->take(host, PORT_IMAGE, HORUS_TAKE_LATEST, &in) != HORUS_OK) return HORUS_OK;  /* nothing new */

  int enc = in.encoding;  /* 0 rgb8, 1 bgr8, 2 rgba8, 3 bgra8, 4 mono8 */
  if (in.dtype != HORUS_DTYPE_U8 || enc > 4) {
    host->set_error(host, "threshold needs an 8-bit mono or color image");
    host->release(host, in.handle);
    return HORUS_ERR_TYPE;
  }
  int64_t h = in.shape[0], w = in.shape[1], c = in.shape[2];
  int64_t shape[2] = {h, w};
  int32_t s = host->alloc(host, HORUS_KIND_IMAGE, 4 /* mono8 */, 0, 2, shape, &out);
  if (s != HORUS_OK) {
    host->release(host, in.handle);
    return s;  /* the host already recorded why */
  }
  const uint8_t *src = in.data;
  uint8_t *dst = out.data;
  int bgr = (enc == 1 || enc == 3);
  uint8_t hi = n->invert ? 0 : 255, lo = n->invert ? 255 : 0;
  for (int64_t y = 0; y < h; y++) {
    for (int64_t x = 0; x < w; x++) {
      const uint8_t *p = src + y * in.strides[0] + x * in.strides[1];
      int luma;
      if (c == 1) {
        luma = p[0];
      } else {
        int64_t cs = in.strides[2];
        int r = p[bgr ? 2 * cs : 0], g = p[cs], b = p[bgr ? 0 : 2 * cs];
        luma = (77 * r + 150 * g + 29 * b) >> 8;
      }
      dst[y * w + x] = luma > n->threshold ? hi : lo;  /* allocated images are contiguous */
    }
  }
  out.timestamp_ns = in.timestamp_ns;  /* propagate data time and frame */
  for (int i = 0; i < HORUS_FRAME_ID_CAPACITY; i++) out.frame_id[i] = in.frame_id[i];
  s = host->publish(host, PORT_MASK, &out);
  host->release(host, out.handle);
  host->release(host, in.handle);
  n->frames++;
  return s;
}

static void stop(void *instance, const horus_host_t *host) {
  threshold_node *n = instance;
  char line[96];
  snprintf(line, sizeof line, "thresholded %llu frames", (unsigned long long)n->frames);
  host->log(host, HORUS_LOG_INFO, line);
}

static void destroy(void *instance) { free(instance); }

static const horus_node_type_t node_types[] = {{
  .name = "threshold",
  .doc = "Binary threshold of an 8-bit image's luma, as mono8",
  .port_count = 2, .ports = ports,
  .param_count = 2, .params = params,
  .default_trigger_input = "image",
  .create = create, .configure = configure, .tick = tick, .stop = stop, .destroy = destroy,
}};

static const horus_plugin_t plugin = {
  .abi_version = HORUS_PLUGIN_ABI_VERSION,
  .node_type_count = 1,
  .name = "horus_threshold",
  .version = "1.0.0",
  .node_types = node_types,
};

const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }
