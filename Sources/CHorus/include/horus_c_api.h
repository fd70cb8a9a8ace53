/*
 * horus_c_api.h -- the C ABI of horus (shared library libhorus_c.so, Swift target
 * HorusCABI). It is the edge Python (ctypes) and other foreign callers use.
 *
 * Conventions
 *   - Every function returns an int status: HORUS_OK (0) or a negative HORUS_E_*
 *     code (horus_subscriber_receive may also return HORUS_TIMEOUT, 1). On failure the reason is available as text from horus_last_error(),
 *     which is thread-local and stays valid until the next failing call on the
 *     same thread. Output parameters are written only on success.
 *   - Bad arguments (NULL pointers, negative or oversized shapes, indices out of
 *     range, writes to read-only samples, unknown names) are reported, never
 *     crash the process. A handle pointer that was not obtained from this library,
 *     or was used after its last horus_tensor_release, cannot be detected.
 *   - Handles: horus_tensor_t is an opaque, reference-counted handle to one
 *     pool-backed sample (a Tensor, Image, PointCloud or DepthImage; the kind is
 *     queried with horus_tensor_info). Functions that produce a handle
 *     (create, from_bytes, views, arithmetic, decode) return it with one
 *     reference owned by the caller; drop it with horus_tensor_release. Views
 *     share the slot: writes through one are visible through the others and the
 *     slot stays allocated while any handle, view or DLPack export refers to it.
 *   - Geometry: shapes and strides are int64, strides count elements (as in
 *     DLPack); at most HORUS_MAX_DIMS (6) dimensions.
 *   - Handles are not locked: do not mutate one handle (frame id, timestamp,
 *     in-place arithmetic) from two threads at once.
 *   - Pools: horus_pool_t is a process-lifetime pool object; pools are detached
 *     (and removed from /dev/shm by the last process) by an atexit hook. Pass
 *     NULL wherever a pool is taken to use the process's default pool
 *     (HORUS_POOL or "default", in namespace HORUS_NAMESPACE).
 *
 *   - Topics: horus_publisher_t / horus_subscriber_t are reference-counted handles
 *     to one endpoint of a typed shared-memory ring (see the "topics" section).
 */
#ifndef HORUS_C_API_H
#define HORUS_C_API_H

#include <stddef.h>
#include <stdint.h>
#include "horus_plugin.h"

#include "horus_descriptor.h" /* horus_kind, horus_dtype, HORUS_MAX_DIMS */
#include "horus_dlpack.h"     /* DLManagedTensor, DLManagedTensorVersioned */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes ------------------------------------------------------- */

/* HORUS_OK (0) is the horus_status value from horus_plugin.h: one success code for both ABIs. */
#define HORUS_E_INVALID_ARGUMENT (-1) /* NULL pointer, bad name, bad shape, ... */
#define HORUS_E_POOL (-2)             /* pool exhausted, too large, open failed */
#define HORUS_E_DESCRIPTOR (-3)       /* descriptor failed validation */
#define HORUS_E_READ_ONLY (-4)        /* write to a read-only (received) sample */
#define HORUS_E_INDEX (-5)            /* index or axis out of range */
#define HORUS_E_SHAPE (-6)            /* shapes do not match */
#define HORUS_E_BUFFER (-7)           /* buffer too small / wrong byte count */
#define HORUS_E_TOPIC (-8)            /* topic cannot be opened or used (name, capacity, ring) */
#define HORUS_E_TYPE_MISMATCH (-9)    /* topic carries another message type */

/* Not an error: horus_subscriber_receive found no sample before the timeout. */
#define HORUS_TIMEOUT 1

/* Subscriber wait policies. */
#define HORUS_WAIT_SPIN 0            /* busy-poll: lowest latency, one core busy */
#define HORUS_WAIT_BLOCK 1           /* futex sleep until a publisher wakes the topic */
#define HORUS_WAIT_SPIN_THEN_BLOCK 2 /* poll 2000 times, then sleep */

/* Arithmetic operations. */
#define HORUS_OP_ADD 0
#define HORUS_OP_SUB 1
#define HORUS_OP_MUL 2
#define HORUS_OP_DIV 3

/* Subscript kinds for horus_tensor_subscript. */
#define HORUS_SUB_INDEX 0 /* {HORUS_SUB_INDEX, i, 0, 0}: select i, drop the axis */
#define HORUS_SUB_SLICE 1 /* {HORUS_SUB_SLICE, start, stop, step}: step > 0 */

/* ---- opaque handles ------------------------------------------------------ */

typedef struct horus_tensor horus_tensor_t; /* any pool-backed sample */
typedef struct horus_pool horus_pool_t;     /* an attached pool (process lifetime) */
typedef struct horus_publisher horus_publisher_t;   /* one publisher of a topic */
typedef struct horus_subscriber horus_subscriber_t; /* one subscriber of a topic (own cursor) */

/* Everything about a handle's geometry and type in one call. */
typedef struct horus_tensor_info {
  void *data;            /* address of element [0, ..., 0] */
  int32_t ndim;          /* 0 ... HORUS_MAX_DIMS */
  int32_t dtype;         /* horus_dtype */
  int32_t itemsize;      /* bytes per element */
  int32_t kind;          /* horus_kind */
  int32_t encoding;      /* image encoding / point format / depth unit code (0 for tensors) */
  int32_t read_only;     /* 1 for received samples */
  int64_t shape[HORUS_MAX_DIMS];
  int64_t strides[HORUS_MAX_DIMS]; /* elements */
  uint64_t nbytes;       /* element count x itemsize */
  int64_t span_start;    /* bytes from data to the lowest reachable byte (<= 0) */
  uint64_t span_bytes;   /* bytes from the lowest to one past the highest reachable byte */
} horus_tensor_info_t;

/* ---- library ------------------------------------------------------------ */

/* The reason the last failing call on this thread failed ("" if none). Never NULL. */
const char *horus_last_error(void);
/* The library version, e.g. "0.1.0" (static storage). */
int horus_version(const char **out);
/* The size of a descriptor (144). */
int horus_descriptor_size(size_t *out);

/* ---- pools -------------------------------------------------------------- */

/* Opens (attaches or creates with the default configuration) the pool `name`. */
int horus_pool_open(const char *name, horus_pool_t **out);
/* The process's default pool. */
int horus_pool_default(horus_pool_t **out);
/* Slots of the pool currently allocated (by any process). */
int horus_pool_slots_in_use(horus_pool_t *pool, int64_t *out);

/* ---- creation (zero-filled) --------------------------------------------- */

/* dtype: a horus_dtype code. */
int horus_tensor_create(horus_pool_t *pool, const int64_t *shape, int32_t ndim, int32_t dtype,
                        horus_tensor_t **out);
/* encoding: "rgb8", "bgr8", "rgba8", "bgra8", "mono8", "mono16", "bayer_rggb8", ... */
int horus_image_create(horus_pool_t *pool, int64_t height, int64_t width, const char *encoding,
                       horus_tensor_t **out);
/* format: "xyz", "xyzi" or "xyzrgb" (float32 fields). */
int horus_pointcloud_create(horus_pool_t *pool, int64_t count, const char *format, horus_tensor_t **out);
/* unit: "meters" (float32) or "millimeters" (uint16). */
int horus_depth_create(horus_pool_t *pool, int64_t height, int64_t width, const char *unit,
                       horus_tensor_t **out);

/* ---- creation from bytes (exactly one memcpy into the slot) --------------- */
/* `data` holds `nbytes` bytes laid out contiguously (row-major); nbytes must equal
 * the sample's size exactly. */

int horus_tensor_from_bytes(horus_pool_t *pool, const void *data, size_t nbytes, const int64_t *shape,
                            int32_t ndim, int32_t dtype, horus_tensor_t **out);
int horus_image_from_bytes(horus_pool_t *pool, int64_t height, int64_t width, const char *encoding,
                           const void *data, size_t nbytes, horus_tensor_t **out);
int horus_pointcloud_from_bytes(horus_pool_t *pool, int64_t count, const char *format, const void *data,
                                size_t nbytes, horus_tensor_t **out);
int horus_depth_from_bytes(horus_pool_t *pool, int64_t height, int64_t width, const char *unit,
                           const void *data, size_t nbytes, horus_tensor_t **out);

/* ---- reference counting -------------------------------------------------- */

int horus_tensor_retain(horus_tensor_t *t);
int horus_tensor_release(horus_tensor_t *t); /* NULL is accepted and ignored */

/* ---- accessors ----------------------------------------------------------- */

int horus_tensor_info(horus_tensor_t *t, horus_tensor_info_t *out);
int horus_tensor_data(horus_tensor_t *t, void **out);
int horus_tensor_ndim(horus_tensor_t *t, int32_t *out);
/* Writes ndim values; `capacity` is the room in `out` (>= ndim). */
int horus_tensor_shape(horus_tensor_t *t, int64_t *out, int32_t capacity);
int horus_tensor_strides(horus_tensor_t *t, int64_t *out, int32_t capacity);
int horus_tensor_dtype(horus_tensor_t *t, int32_t *out);
int horus_tensor_nbytes(horus_tensor_t *t, uint64_t *out);
int horus_tensor_kind(horus_tensor_t *t, int32_t *out);
/* Encoding (image), format (point cloud) or unit (depth) name; "" for tensors. Static storage. */
int horus_tensor_encoding(horus_tensor_t *t, const char **out);
int horus_tensor_is_read_only(horus_tensor_t *t, int32_t *out);
int horus_tensor_timestamp(horus_tensor_t *t, uint64_t *out);
int horus_tensor_set_timestamp(horus_tensor_t *t, uint64_t ns);
/* Copies the NUL-terminated frame id into `out` (capacity >= HORUS_FRAME_ID_CAPACITY is enough). */
int horus_tensor_frame_id(horus_tensor_t *t, char *out, size_t capacity);
/* At most HORUS_FRAME_ID_CAPACITY - 1 (23) bytes of UTF-8. */
int horus_tensor_set_frame_id(horus_tensor_t *t, const char *frame_id);
/* Statistics of a depth image over valid pixels (finite, > 0), in meters. */
int horus_depth_statistics(horus_tensor_t *t, int64_t *valid_count, double *min_m, double *max_m,
                           double *mean_m);

/* ---- views (new handles sharing the slot; kind Tensor) ---------------------- */

/* View at `index` along axis 0 (negative counts from the end). */
int horus_tensor_index(horus_tensor_t *t, int64_t index, horus_tensor_t **out);
/* View of [start, stop) with step > 0 along `axis`; bounds are clamped like Python's. */
int horus_tensor_slice(horus_tensor_t *t, int32_t axis, int64_t start, int64_t stop, int64_t step,
                       horus_tensor_t **out);
/* One subscript per leading axis: `spec` holds 4 x count int64 (see HORUS_SUB_*);
 * axes not named are kept whole. */
int horus_tensor_subscript(horus_tensor_t *t, const int64_t *spec, int32_t count, horus_tensor_t **out);
/* The same elements as a plain Tensor handle (kind tensor). */
int horus_tensor_as_tensor(horus_tensor_t *t, horus_tensor_t **out);
/* A contiguous copy in a new slot of the same pool. */
int horus_tensor_copy(horus_tensor_t *t, horus_tensor_t **out);

/* ---- arithmetic ------------------------------------------------------------ */
/* Results are new Tensors in the operand's pool, of the left operand's dtype
 * (integer / gives float32; integers wrap). Tensor operands need equal shapes. */

int horus_tensor_op_scalar(horus_tensor_t *t, int32_t op, double scalar, int32_t scalar_first,
                           horus_tensor_t **out);
int horus_tensor_op_tensor(horus_tensor_t *a, int32_t op, horus_tensor_t *b, horus_tensor_t **out);
/* In place: writes into t's slot (refused for read-only samples). */
int horus_tensor_iop_scalar(horus_tensor_t *t, int32_t op, double scalar);
int horus_tensor_iop_tensor(horus_tensor_t *a, int32_t op, horus_tensor_t *b);

/* ---- descriptors ------------------------------------------------------------- */

/* Writes the 144-byte descriptor (with the handle's kind, encoding, timestamp and frame id). */
int horus_tensor_descriptor(horus_tensor_t *t, void *out, size_t capacity);
/* Validates untrusted descriptor bytes against the pools attached in this process and
 * forms a handle holding its own slot reference (read-only if asked or flagged).
 * Errors (bad field, unknown pool, stale generation) have text in horus_last_error. */
int horus_descriptor_decode(const void *bytes, size_t nbytes, int32_t read_only, horus_tensor_t **out);

/* ---- DLPack ----------------------------------------------------------------- */
/* Each export holds its own slot reference; the consumer calls the struct's deleter
 * exactly once (horus_dlpack_delete does that for callers that cannot call a C
 * function pointer). `copied` = 1 first copies into a new slot and, for the versioned
 * struct, sets DLPACK_FLAG_BITMASK_IS_COPIED. Versioned exports of read-only samples
 * carry DLPACK_FLAG_BITMASK_READ_ONLY; legacy exports cannot say read-only. */

int horus_tensor_to_dlpack(horus_tensor_t *t, int32_t copied, DLManagedTensor **out);
int horus_tensor_to_dlpack_versioned(horus_tensor_t *t, int32_t copied, DLManagedTensorVersioned **out);
/* Calls managed->deleter(managed) (versioned = 1 for DLManagedTensorVersioned). */
int horus_dlpack_delete(void *managed, int32_t versioned);

/* ---- fast paths for Python ---------------------------------------------------
 * One call per operation instead of several (each ctypes crossing costs a few hundred
 * nanoseconds). Python reaches them through builtin functions (horus_py_builtin below)
 * or, as a fallback, ctypes. The capsule function must be called with the GIL held
 * (a builtin, or ctypes.PyDLL); the library does not link libpython, it finds the
 * CPython functions it needs in the running process with dlsym. */

/* Exports t as DLPack (like horus_tensor_to_dlpack[_versioned]) and wraps the export
 * in a new PyCapsule ("dltensor_versioned" when versioned = 1, else "dltensor"). The
 * capsule holds the export's own slot reference; its destructor (C code) calls the
 * deleter exactly once if no consumer renamed the capsule ("used_dltensor[...]"), as the
 * DLPack Python specification asks. Returns a new reference (PyObject*), or
 *   - a Python int holding a negative HORUS_E_* status when the export failed
 *     (text in horus_last_error),
 *   - NULL with a Python exception set when the capsule could not be made,
 *   - NULL without an exception when the CPython API is not found in this process
 *     (horus_tensor_dlpack_capsule_available() says so in advance). */
void *horus_tensor_dlpack_capsule(horus_tensor_t *t, int32_t versioned, int32_t copied);
/* 1 when horus_tensor_dlpack_capsule can make capsules in this process, else 0. */
int horus_tensor_dlpack_capsule_available(void);

/* horus_tensor_as_tensor returning the new handle (+1) itself; NULL on failure (text in
 * horus_last_error). */
horus_tensor_t *horus_tensor_as_tensor_handle(horus_tensor_t *t);
/* Python builtin functions wrapping the calls above (and horus_tensor_release), cheaper
 * to call than through ctypes: horus_py_builtin in horus_py.h (target CHorusPython). */

/* ---- topics ------------------------------------------------------------------ */
/* A topic is a typed ring in shared memory of namespace HORUS_NAMESPACE, shared by
 * every process (horus-run graphs, Swift programs, Python). Pool-backed samples travel
 * as their 144-byte descriptor: publishing never copies the payload, and a received
 * sample is a read-only view of the publisher's slot. `kind` is a horus_kind code
 * (HORUS_KIND_TENSOR / _IMAGE / _POINT_CLOUD / _DEPTH_IMAGE); opening a topic that
 * carries another type fails with HORUS_E_TYPE_MISMATCH and text naming both types.
 * `capacity` (1 ... 1048576, rounded up to a power of two) is the ring's size when the
 * topic is created; for an existing topic it must equal the ring's (else HORUS_E_TOPIC,
 * with text naming both capacities). 0 takes an existing ring's capacity (16 when the
 * call creates the topic). Each endpoint serializes its own calls;
 * destroy drops the caller's reference (a receive in progress on another thread
 * keeps the endpoint alive until it returns). Endpoints still open at process exit are
 * left by an atexit hook (the ring is removed from /dev/shm by its last process). */

typedef struct horus_subscriber_stats {
  uint64_t received;  /* samples returned */
  uint64_t dropped;   /* samples lost to lapping (subscriber fell > capacity behind) or recycled */
  uint64_t rejected;  /* samples refused because their descriptor did not validate */
  uint64_t backlog;   /* samples published but not yet taken */
  uint64_t published; /* samples published on the topic so far (all publishers) */
} horus_subscriber_stats_t;

int horus_publisher_create(const char *topic, int32_t kind, int64_t capacity, horus_publisher_t **out);
/* Publishes `sample` (its kind must be the publisher's). The ring holds a slot
 * reference until the entry is overwritten; later writes through `sample` are seen by
 * subscribers holding the sample (it is the same memory). Never blocks. */
int horus_publisher_publish(horus_publisher_t *pub, horus_tensor_t *sample);
/* Samples this publisher published. */
int horus_publisher_published(horus_publisher_t *pub, uint64_t *out);
/* Subscribers currently attached to the topic (all live processes). */
int horus_publisher_subscriber_count(horus_publisher_t *pub, int64_t *out);
int horus_publisher_destroy(horus_publisher_t *pub); /* NULL is accepted and ignored */

/* history = K delivers up to the K newest samples already published (0: only new ones).
 * wait: HORUS_WAIT_*. */
int horus_subscriber_create(const char *topic, int32_t kind, int64_t history, int64_t capacity, int32_t wait,
                            horus_subscriber_t **out);
/* Waits up to timeout_ms (< 0: forever; 0: poll once) for the next sample. HORUS_OK:
 * *out is a new read-only handle sharing the publisher's slot (zero-copy; it holds its
 * own slot reference, so its content stays valid after the ring overwrites the entry).
 * HORUS_TIMEOUT (1): nothing arrived, *out = NULL. */
int horus_subscriber_receive(horus_subscriber_t *sub, int64_t timeout_ms, horus_tensor_t **out);
/* What horus_subscriber_receive_sample writes: the geometry of the received sample
 * (as horus_tensor_info would write it) followed by its new handle. */
typedef struct horus_received {
  horus_tensor_info_t info;
  horus_tensor_t *handle; /* new read-only handle (+1), as horus_subscriber_receive's *out */
} horus_received_t;

/* horus_subscriber_receive and horus_tensor_info in one call: HORUS_OK fills *out;
 * HORUS_TIMEOUT (1) leaves out->handle NULL. */
int horus_subscriber_receive_sample(horus_subscriber_t *sub, int64_t timeout_ms, horus_received_t *out);
int horus_subscriber_stats(horus_subscriber_t *sub, horus_subscriber_stats_t *out);
int horus_subscriber_destroy(horus_subscriber_t *sub); /* NULL is accepted and ignored */

/* The message type name recorded by an existing topic ("Image", "Pose", ...), or ""
 * when no such topic exists in this namespace. Does not join the topic. */
int horus_topic_type_name(const char *topic, char *out, size_t capacity);
/* The type name of the topic an endpoint (publisher or subscriber) is on. */
int horus_endpoint_type_name(void *endpoint, char *out, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
