/*
 * horus_py.h -- the CPython-facing C code of libhorus_c.so (target CHorusPython).
 *
 * Nothing here links libpython: the CPython functions used are looked up once, at run
 * time, with dlsym(RTLD_DEFAULT, ...). In a Python process they are there; elsewhere
 * (or in an embedding that loaded libpython privately) the functions below report
 * "unavailable" and the Python package falls back to plain ctypes.
 *
 * Every function must be called with the GIL held (through ctypes.PyDLL, never
 * ctypes.CDLL, which releases it).
 */
#ifndef HORUS_PY_H
#define HORUS_PY_H

#include <stdint.h>

/** 1 when the CPython functions horus needs were found in this process, else 0. */
int horus_py_capi_available(void);

/** Wraps a DLPack export in a new PyCapsule and returns it (a new reference, as void*).
 *  versioned = 0: `managed` is a DLManagedTensor*, capsule name "dltensor";
 *  versioned = 1: a DLManagedTensorVersioned*, capsule name "dltensor_versioned".
 *  The capsule owns the export: its destructor (C, no Python code) calls the struct's
 *  deleter only if the capsule still has its original name, i.e. no consumer renamed it
 *  to "used_dltensor[_versioned]" and took over the deleter call (DLPack Python spec).
 *  On failure the export is deleted at once and NULL is returned: with a Python
 *  exception set if PyCapsule_New failed, without one if the CPython API is unavailable. */
void *horus_py_dlpack_capsule(void *managed, int32_t versioned);

/** A new Python int (void* to a PyObject) holding `value`, or NULL if unavailable. */
void *horus_py_int(int64_t value);

/* Python builtin functions over the hottest C calls of the Python package. A builtin
 * call costs tens of nanoseconds where a ctypes call (argument conversion objects, libffi
 * call preparation) costs a few hundred. Handles are Python ints (addresses).
 *   HORUS_PY_RELEASE           release(handle) -> int status (horus_tensor_release)
 *   HORUS_PY_AS_TENSOR         as_tensor(handle) -> int: the new handle, 0 on failure
 *                              (horus_tensor_as_tensor_handle; text in horus_last_error)
 *   HORUS_PY_DLPACK_CAPSULE    dlpack_capsule(handle, versioned, copied) -> capsule, or
 *                              int: a negative HORUS_E_* status (horus_tensor_dlpack_capsule)
 *   HORUS_PY_RECEIVE           receive(subscriber, timeout_ms, address) -> int: the new handle
 *                              (> 1) when a sample was received, else the status
 *                              (horus_subscriber_receive_sample into the horus_received_t
 *                              at `address`, which the caller keeps alive); the GIL is
 *                              released while it waits (timeout_ms != 0)
 *   HORUS_PY_PUBLISH           publish(publisher, handle) -> int status (horus_publisher_publish)
 *   HORUS_PY_LOAN              loan(kind, pool, a, b, text, address) -> int status: a new
 *                              loan (kind HORUS_PY_LOAN_IMAGE: horus_image_loan(pool, a=height,
 *                              b=width, text=encoding); _DEPTH: horus_depth_loan(pool, a, b,
 *                              text=unit); _POINTCLOUD: horus_pointcloud_loan(pool, a=count,
 *                              text=format)) with its info, handle and timestamp written into
 *                              the horus_received_t at `address` (one call for
 *                              Publisher.loan / Image.empty); pool 0 is the default pool
 *   HORUS_PY_RECEIVE_SLICE     receive_slice(subscriber, address) -> int: as receive with
 *                              timeout 0, but with the GIL released: one slice of a spinning
 *                              wait looped over in Python (a spin subscriber polls for about a
 *                              thousand spins in the library before it times out)
 *   HORUS_PY_NUMPY_INIT        numpy_init(capsule, type_numbers) -> 1 when NumPy's C-API
 *                              (its _ARRAY_API capsule) can be used by to_numpy, else 0;
 *                              type_numbers: NumPy's type number of each horus_dtype code
 *   HORUS_PY_TO_NUMPY          to_numpy(sample, info) -> a numpy.ndarray over the memory the
 *                              TensorInfo / Received `info` describes (read-only when
 *                              info.read_only), with `sample` as its base: the array keeps
 *                              the sample, so its handle and slot, alive. ValueError for an
 *                              info that describes no array
 *   HORUS_PY_TIMESTAMP         timestamp(handle, info) -> int: the timestamp (a Received info
 *                              carries it; else horus_tensor_timestamp), or a negative status
 *   HORUS_PY_SET_TIMESTAMP     set_timestamp(handle, ns, info) -> int status:
 *                              horus_tensor_set_timestamp, also written into a Received info;
 *                              ValueError when ns is outside [0, 2**64)
 *   HORUS_PY_INSTALL           install(cls, check) -> 0: sets cls.to_numpy (a method descriptor:
 *                              to_numpy(self, self._info)) and cls.timestamp_ns (a C property over
 *                              timestamp / set_timestamp with self._h and self._info; a negative
 *                              status is raised by calling check(status)), so those run no Python
 *                              code; needs numpy_init for to_numpy
 * An `info` is any object whose buffer holds a horus_tensor_info_t (ctypes TensorInfo) or a
 * horus_received_t (ctypes Received); TypeError otherwise. */
#define HORUS_PY_RELEASE 0
#define HORUS_PY_AS_TENSOR 1
#define HORUS_PY_DLPACK_CAPSULE 2
#define HORUS_PY_RECEIVE 3
#define HORUS_PY_PUBLISH 4
#define HORUS_PY_LOAN 5
#define HORUS_PY_NUMPY_INIT 6
#define HORUS_PY_TO_NUMPY 7
#define HORUS_PY_TIMESTAMP 8
#define HORUS_PY_SET_TIMESTAMP 9
#define HORUS_PY_RECEIVE_SLICE 10
#define HORUS_PY_INSTALL 11
#define HORUS_PY_LOAN_IMAGE 0
#define HORUS_PY_LOAN_DEPTH 1
#define HORUS_PY_LOAN_POINTCLOUD 2

/** A new reference to builtin function `which` (HORUS_PY_*), or NULL: with a Python
 *  exception set for an unknown `which` or a failed allocation, without one when the
 *  CPython API is unavailable. */
void *horus_py_builtin(int32_t which);

#endif
