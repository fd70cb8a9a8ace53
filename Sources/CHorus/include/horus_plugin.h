/*
 * horus_plugin.h -- the horus node plugin ABI, version 1.1.
 *
 * ABI 1.1 is backwards compatible: plugins built for 1.0 (abi_version 1) load unchanged.
 * A plugin using the 1.1 additions sets abi_version = HORUS_PLUGIN_ABI_VERSION_1_1 (major 1
 * in the low 16 bits, minor 1 in the high 16 bits); the host then reads the fields appended
 * to horus_plugin_t. 1.1 adds plain fixed-size struct messages: declared by name and size
 * in horus_plugin_t.struct_types, used as a port's message_type, moved with the
 * take_struct / publish_struct host services. The host refuses a struct whose size differs
 * from its own type of that name, so both ends of a topic agree on the layout. 1.1 also
 * carries timestamp_ns and frame_id on Tensor messages (1.0 published tensors unstamped,
 * and still does for plugins that declare 1.0).
 *
 * A plugin is a shared library (built from C, C++, Rust, Swift, ...) that exports ONE
 * symbol with C linkage:
 *
 *     const horus_plugin_t *horus_plugin_entry(void);
 *
 * The host (horus-run, or any program using the HorusPlugins Swift module) loads the
 * library with dlopen(RTLD_NOW | RTLD_LOCAL), calls horus_plugin_entry once, checks
 * `abi_version`, validates the tables and turns each node type into a node that graphs
 * can use with `plugin: libfoo.so` + `type: <node type name>`. Libraries are never
 * unloaded (dlclose is not called).
 *
 * Only C types cross the boundary: no C++ or Swift objects, no exceptions, no unwinding.
 * Messages cross as pointers into the shared-memory pool slot that holds their data, so
 * passing an image to and from a plugin copies no pixels.
 *
 * ---------------------------------------------------------------------------------
 * Lifecycle of one node instance (each graph node using a plugin type is one instance):
 *
 *   create(type, host)        -> instance pointer (NULL = failure). Params may be read.
 *   configure(instance, host) -> HORUS_OK or an error status. Read params here.
 *   start(instance, host)     -> HORUS_OK or an error status (all nodes configured).
 *   tick(instance, host)      -> HORUS_OK or an error status; called repeatedly.
 *   stop(instance, host)      -> called once when the graph stops.
 *   destroy(instance)         -> free the instance. No host service may be called.
 *
 * `create` and `configure` are called back to back when the graph is configured. The
 * host never calls two callbacks of the same instance concurrently; different
 * instances may run on different threads at the same time, so keep per-node state in
 * the instance, not in globals. A callback returning a status other than HORUS_OK
 * fails the node; call host->set_error first to say why.
 *
 * ---------------------------------------------------------------------------------
 * Lifetime rules:
 *
 *  - Everything reachable from the horus_plugin_t returned by horus_plugin_entry (names,
 *    docs, port and param arrays, callbacks) must stay valid and unchanged for as long
 *    as the library is loaded (i.e. for the life of the process): use static storage.
 *  - The `host` pointer passed to create is valid, unchanged, until destroy(instance)
 *    is called; the same pointer is passed to every callback of that instance. Host
 *    services may only be called from inside a callback of that instance, on the
 *    calling thread (not from threads the plugin starts).
 *  - Messages are reached through handles. take/latest/alloc fill a horus_message_t
 *    whose `handle` holds a reference on the message's pool slot: `data` stays valid
 *    (and the bytes unchanged by others) until host->release(host, handle). Handles
 *    may be kept across ticks. Every handle must be released exactly once; handles
 *    still held when the instance is destroyed are released by the host.
 *  - publish never consumes the handle: after publishing, the plugin still releases it.
 *    A published message is read by other nodes, so do not write to it afterwards.
 *  - Taken (input) messages are read-only (flag HORUS_MESSAGE_READ_ONLY): never write
 *    through their `data` pointer.
 *  - Strings returned by the host (param_string) stay valid until destroy(instance).
 *  - A bad handle, port index or NULL pointer passed to a host service is refused with
 *    an error status; it never crashes the host.
 */
#ifndef HORUS_PLUGIN_H
#define HORUS_PLUGIN_H

#include <stdint.h>
#include "horus_descriptor.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI major version: bumped on any incompatible change. A plugin that uses no 1.1
 *  feature sets abi_version to this. */
#define HORUS_PLUGIN_ABI_VERSION 1u
/** The newest minor revision this header describes. */
#define HORUS_PLUGIN_ABI_MINOR 1u
/** abi_version of a plugin using ABI 1.1 additions (struct messages, stamped tensors). */
#define HORUS_PLUGIN_ABI_VERSION_1_1 (HORUS_PLUGIN_ABI_VERSION | (1u << 16))

/** horus_message_t.kind / port kind of a plain struct message (ABI 1.1; never on the wire). */
#define HORUS_KIND_STRUCT 64u

/** Name of the one symbol a plugin exports. */
#define HORUS_PLUGIN_ENTRY_SYMBOL "horus_plugin_entry"

/* ------------------------------------------------------------------------------- */
/* Status codes returned by callbacks and host services.                            */

typedef enum {
  HORUS_OK = 0,               /**< success */
  HORUS_EMPTY = 1,            /**< take/latest: no message waiting (not an error) */
  HORUS_ERR_NOT_FOUND = -1,   /**< no param / port with that name */
  HORUS_ERR_TYPE = -2,        /**< param of another type, or message kind does not match the port */
  HORUS_ERR_BAD_HANDLE = -3,  /**< unknown or already released handle */
  HORUS_ERR_INVALID = -4,     /**< bad argument: NULL pointer, port index out of range, bad shape */
  HORUS_ERR_NO_MEMORY = -5,   /**< the pool has no free slot large enough, or too many handles */
  HORUS_ERR_PUBLISH = -6,     /**< the topic refused the message */
  HORUS_ERR_STATE = -7,       /**< service not available in this phase (e.g. take in create) */
  HORUS_ERR_FAILED = -8,      /**< generic failure of a plugin callback */
} horus_status;

/* ------------------------------------------------------------------------------- */
/* Declarations: what a plugin exports.                                             */

/** Direction of a port. */
typedef enum {
  HORUS_PORT_INPUT = 0,  /**< the node reads a topic through this port */
  HORUS_PORT_OUTPUT = 1, /**< the node publishes a topic through this port */
} horus_port_direction;

/** One input or output port of a node type. */
typedef struct horus_port_def {
  /** Port name as written under `inputs:` / `outputs:` in graph files. Required. */
  const char *name;
  /** horus_port_direction. */
  int32_t direction;
  /** Inputs only: nonzero if the graph may leave the port unwired. Outputs are always optional. */
  int32_t optional;
  /** Message type carried: "Image", "DepthImage", "PointCloud", "Tensor", or (ABI 1.1) the
   *  name of a struct type in horus_plugin_t.struct_types. Required. */
  const char *message_type;
  /** One-line description, or NULL. */
  const char *doc;
} horus_port_def_t;

/** Type of a parameter. */
typedef enum {
  HORUS_PARAM_INT = 0,    /**< 64-bit integer (YAML integer) */
  HORUS_PARAM_DOUBLE = 1, /**< double (YAML integer or float) */
  HORUS_PARAM_BOOL = 2,   /**< true / false */
  HORUS_PARAM_STRING = 3, /**< text */
} horus_param_type;

/** horus_param_def_t.flags bits. */
#define HORUS_PARAM_HAS_DEFAULT 0x1u /**< `default_value` is set; otherwise the graph must set the param */
#define HORUS_PARAM_HAS_MIN 0x2u     /**< `min` is an inclusive lower bound (int and double params) */
#define HORUS_PARAM_HAS_MAX 0x4u     /**< `max` is an inclusive upper bound (int and double params) */

/** A parameter value; the member used is the one matching the param's type. */
typedef union horus_param_value {
  int64_t i;     /**< HORUS_PARAM_INT */
  double d;      /**< HORUS_PARAM_DOUBLE */
  int32_t b;     /**< HORUS_PARAM_BOOL: 0 = false, nonzero = true */
  const char *s; /**< HORUS_PARAM_STRING: NUL-terminated UTF-8, static storage */
} horus_param_value_t;

/** One parameter of a node type. The host validates graph values against type, min and
 *  max before the node is created, so a plugin can trust what param_* returns. */
typedef struct horus_param_def {
  /** Parameter name as written under `params:`. Required. */
  const char *name;
  /** horus_param_type. */
  int32_t type;
  /** HORUS_PARAM_HAS_* bits. */
  uint32_t flags;
  /** Default, used when the graph omits the param (only if HORUS_PARAM_HAS_DEFAULT). */
  horus_param_value_t default_value;
  /** Inclusive bounds (only with HORUS_PARAM_HAS_MIN / HORUS_PARAM_HAS_MAX). */
  double min;
  double max;
  /** One-line description, or NULL. */
  const char *doc;
} horus_param_def_t;

typedef struct horus_host horus_host_t;
typedef struct horus_node_type horus_node_type_t;

/** One node type: declaration plus callbacks. */
struct horus_node_type {
  /** Type name used with `type:` in graph files. Required, unique within the plugin. */
  const char *name;
  /** One-line description, or NULL. */
  const char *doc;
  /** Ports, in declaration order. A port's index in this array is the `port` argument of
   *  take / latest / publish / is_wired: plugins can use constants, no lookup needed. */
  uint32_t port_count;
  const horus_port_def_t *ports; /**< may be NULL only when port_count == 0 */
  /** Params, in declaration order. */
  uint32_t param_count;
  const horus_param_def_t *params; /**< may be NULL only when param_count == 0 */
  /** Default trigger, used when the graph sets neither `rate` nor `trigger`:
   *  default_rate_hz > 0 means "tick periodically at this rate"; otherwise a non-NULL
   *  default_trigger_input names the input port whose messages trigger a tick;
   *  otherwise the node ticks when any wired input has data (or the graph must set rate). */
  double default_rate_hz;
  const char *default_trigger_input;
  /** Opaque to the host; plugins (or authoring kits) use it to find per-type data in create. */
  void *user_data;

  /** Required. Makes an instance; `type` is this struct. Return NULL on failure (after
   *  host->set_error). Params can be read; ports cannot be used yet. */
  void *(*create)(const horus_node_type_t *type, const horus_host_t *host);
  /** Optional (NULL = nothing to do). Read params, prepare buffers. */
  int32_t (*configure)(void *instance, const horus_host_t *host);
  /** Optional. Called once after every node of the graph is configured. */
  int32_t (*start)(void *instance, const horus_host_t *host);
  /** Required. One step: take inputs, compute, publish outputs. */
  int32_t (*tick)(void *instance, const horus_host_t *host);
  /** Optional. Called once when the graph stops. */
  void (*stop)(void *instance, const horus_host_t *host);
  /** Required. Frees the instance. Host services must not be called from here. */
  void (*destroy)(void *instance);
};

/** A plain fixed-size struct message type (ABI 1.1), e.g. {"ObstacleAlert", 24}. The host
 *  must know a type of the same name and size (horus's own, or registered by the program
 *  hosting the plugin); it travels by value through topics (no pool slot). */
typedef struct horus_struct_type_def {
  /** Message type name, as used in port message_type and graph files. Required. */
  const char *name;
  /** sizeof the struct, 1..HORUS_STRUCT_MAX_SIZE bytes. */
  uint64_t size;
  /** One-line description, or NULL. */
  const char *doc;
} horus_struct_type_def_t;

/** Largest struct message (bytes). */
#define HORUS_STRUCT_MAX_SIZE 4096u

/** What horus_plugin_entry returns. `abi_version` is the first field in every ABI
 *  version, so a host can always read it and refuse a plugin it does not understand. */
typedef struct horus_plugin {
  /** Must be HORUS_PLUGIN_ABI_VERSION (the version the plugin was compiled against). */
  uint32_t abi_version;
  /** Number of entries in node_types (at least 1, at most 1024). */
  uint32_t node_type_count;
  /** Plugin name for messages, e.g. "vision_basics". Required. */
  const char *name;
  /** Free-form plugin version, e.g. "1.2.0", or NULL. */
  const char *version;
  /** The node types. */
  const horus_node_type_t *node_types;
  /* -- ABI 1.1: read only when abi_version's minor (high 16 bits) is >= 1 -- */
  /** Number of entries in struct_types (0..256). */
  uint32_t struct_type_count;
  /** Struct message types the ports may carry. */
  const horus_struct_type_def_t *struct_types;
} horus_plugin_t;

/** The entry point every plugin exports (with C linkage, default visibility).
 *  (Not declared to Swift, where plugins define it with @_cdecl.) */
#ifndef __swift__
const horus_plugin_t *horus_plugin_entry(void);
#endif
typedef const horus_plugin_t *(*horus_plugin_entry_fn)(void);

/* ------------------------------------------------------------------------------- */
/* Messages.                                                                        */

/** horus_message_t.flags bits. */
#define HORUS_MESSAGE_READ_ONLY 0x1u /**< received message: do not write through data */

/** A pool-backed message seen by a plugin: a strided array in a shared-memory slot.
 *  Filled by take / latest / alloc. Geometry follows DLPack: `shape` and `strides`
 *  (in elements) can back a DLTensor directly. */
typedef struct horus_message {
  /** Host handle: pass to publish and release. Never 0 for a valid message. */
  uint64_t handle;
  /** horus_kind: HORUS_KIND_IMAGE, _DEPTH_IMAGE, _POINT_CLOUD, _TENSOR. */
  uint8_t kind;
  /** horus_dtype of the elements. */
  uint8_t dtype;
  /** Image: encoding (0 rgb8, 1 bgr8, 2 rgba8, 3 bgra8, 4 mono8, 5 mono16, 6..9 bayer
   *  rggb8/bggr8/gbrg8/grbg8); DepthImage: unit (0 meters float32, 1 millimeters uint16);
   *  PointCloud: format (0 xyz, 1 xyzi, 2 xyzrgb; float32 fields); Tensor: 0. */
  uint8_t encoding;
  /** Number of dimensions: Image 3 [H, W, C], DepthImage 2 [H, W], PointCloud 2 [N, F],
   *  Tensor 0..HORUS_MAX_DIMS. */
  uint8_t ndim;
  /** HORUS_MESSAGE_* bits. */
  uint32_t flags;
  /** Address of element [0, ..., 0] inside the pool slot. */
  void *data;
  /** Bytes of the slot from `data` on that the message may reach (bounds for checks). */
  uint64_t byte_length;
  /** Extent per dimension; entries >= ndim are 0. */
  int64_t shape[HORUS_MAX_DIMS];
  /** Stride per dimension in ELEMENTS (not bytes); may be negative for taken messages.
   *  Allocated messages are contiguous, row-major. */
  int64_t strides[HORUS_MAX_DIMS];
  /** Capture time in ns. Set it on allocated messages before publish; copying it from
   *  the input propagates the data time through the graph. Tensors carry it too from
   *  ABI 1.1 on (a plugin declaring ABI 1.0 publishes tensors with 0, as before). */
  uint64_t timestamp_ns;
  /** Coordinate frame, NUL-terminated. Set before publish like timestamp_ns (tensors:
   *  ABI 1.1 on; an ABI 1.0 plugin's tensors are published with an empty frame). */
  char frame_id[HORUS_FRAME_ID_CAPACITY];
  /** The 144-byte wire descriptor of the message as it is (or would be) on a topic. */
  horus_descriptor descriptor;
} horus_message_t;

/** Which sample take returns. */
typedef enum {
  HORUS_TAKE_NEXT = 0,   /**< the oldest sample not yet taken (in order) */
  HORUS_TAKE_LATEST = 1, /**< the newest sample, skipping older waiting ones */
} horus_take_mode;

/** Log levels. */
typedef enum {
  HORUS_LOG_DEBUG = 0,
  HORUS_LOG_INFO = 1,
  HORUS_LOG_WARN = 2,
  HORUS_LOG_ERROR = 3,
} horus_log_level;

/* ------------------------------------------------------------------------------- */
/* Host services: a table of functions plus the host's per-node context.            */

/** Passed to every callback. Every service takes the table itself as first argument
 *  (`host->take(host, ...)`), so the plugin keeps one pointer. */
struct horus_host {
  /** The ABI version of the host (HORUS_PLUGIN_ABI_VERSION of the host build). */
  uint32_t abi_version;
  /** sizeof(horus_host_t) in the host: services appended by later minor revisions are
   *  present only if their offset is below this size. */
  uint32_t struct_size;
  /** Host-private per-node context. Do not touch. */
  void *context;
  /** The graph's name for this node instance (e.g. "thresh"), NUL-terminated. */
  const char *node_name;

  /* -- params (read in create or configure; values are validated by the host) -- */

  /** The value of param `name`: HORUS_OK, HORUS_ERR_NOT_FOUND, or HORUS_ERR_TYPE. */
  int32_t (*param_int)(const horus_host_t *host, const char *name, int64_t *out);
  /** A double param (int params are widened). */
  int32_t (*param_double)(const horus_host_t *host, const char *name, double *out);
  /** A bool param: *out = 0 or 1. */
  int32_t (*param_bool)(const horus_host_t *host, const char *name, int32_t *out);
  /** A string param: *out points to NUL-terminated UTF-8 valid until destroy. */
  int32_t (*param_string)(const horus_host_t *host, const char *name, const char **out);

  /* -- ports (index = position in horus_node_type_t.ports) -- */

  /** The index of the port called `name`, or HORUS_ERR_NOT_FOUND. */
  int32_t (*port_index)(const horus_host_t *host, const char *name);
  /** 1 if the graph wired the port to a topic, 0 if not, or HORUS_ERR_INVALID. */
  int32_t (*is_wired)(const horus_host_t *host, int32_t port);

  /* -- messages -- */

  /** Takes a sample from input `port` (mode: horus_take_mode) and fills *out with a new
   *  handle. HORUS_OK: *out is valid until release. HORUS_EMPTY: nothing waiting (or the
   *  input is unwired); *out untouched. Errors: HORUS_ERR_INVALID (not an input). */
  int32_t (*take)(const horus_host_t *host, int32_t port, int32_t mode, horus_message_t *out);
  /** Allocates a writable, contiguous message from the graph's pool; contents are NOT
   *  zeroed. kind: horus_kind. encoding: as in horus_message_t (Tensor: ignored).
   *  dtype: Tensor only (other kinds imply it). ndim/shape: Image [H, W] (ndim 2; the
   *  channel count follows from the encoding), DepthImage [H, W], PointCloud [N],
   *  Tensor ndim 0..HORUS_MAX_DIMS extents. Fills *out (timestamp 0, empty frame).
   *  Errors: HORUS_ERR_INVALID, HORUS_ERR_NO_MEMORY. */
  int32_t (*alloc)(const horus_host_t *host, int32_t kind, int32_t encoding, int32_t dtype,
                   int32_t ndim, const int64_t *shape, horus_message_t *out);
  /** Publishes the message `msg->handle` on output `port`, stamped with
   *  msg->timestamp_ns and msg->frame_id. Does not release the handle. An unwired
   *  output drops the message and returns HORUS_OK. Errors: HORUS_ERR_BAD_HANDLE,
   *  HORUS_ERR_INVALID (not an output), HORUS_ERR_TYPE (kind differs from the port's
   *  type), HORUS_ERR_PUBLISH. */
  int32_t (*publish)(const horus_host_t *host, int32_t port, const horus_message_t *msg);
  /** Drops the reference held by `handle`. HORUS_OK or HORUS_ERR_BAD_HANDLE. */
  int32_t (*release)(const horus_host_t *host, uint64_t handle);

  /* -- misc -- */

  /** Logs a line attributed to this node (level: horus_log_level). */
  void (*log)(const horus_host_t *host, int32_t level, const char *message);
  /** The graph clock in ns since the Unix epoch (recorded time during replay). */
  uint64_t (*now_ns)(const horus_host_t *host);
  /** Sets the text reported when the current callback returns an error status. */
  void (*set_error)(const horus_host_t *host, const char *message);

  /* -- ABI 1.1 (present when struct_size > offsetof(horus_host_t, take_struct)) -- */

  /** Copies the next (mode HORUS_TAKE_NEXT) or newest (HORUS_TAKE_LATEST) struct message of
   *  input `port` into `out` (`size` must equal the struct's size). HORUS_OK, HORUS_EMPTY,
   *  HORUS_ERR_INVALID (not a struct input, or size differs). No handle to release. */
  int32_t (*take_struct)(const horus_host_t *host, int32_t port, int32_t mode, void *out, uint64_t size);
  /** Publishes the `size` bytes at `data` as one struct message on output `port`. An unwired
   *  output drops it (HORUS_OK). Errors: HORUS_ERR_INVALID, HORUS_ERR_PUBLISH. */
  int32_t (*publish_struct)(const horus_host_t *host, int32_t port, const void *data, uint64_t size);
};

#ifdef __cplusplus
}
#endif

#endif
