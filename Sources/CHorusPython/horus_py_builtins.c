// Python builtin functions over the hottest calls of the Python package; see
// horus_py_builtin in horus_py.h. Each is a thin adapter: convert Python ints, call the
// horus_c_api.h function, convert the result.
#include "horus_c_api.h"
#include "horus_py.h"
#include "horus_py_api.h"
#include <stddef.h>

// release(handle) -> int status
static py_object *py_release(py_object *self, py_object *arg) {
  (void)self;
  const horus_py_api *py = horus_py_api_get();
  void *h = py->long_as_void_ptr(arg);
  if (!h && py->err_occurred()) return NULL;
  return py->long_from_long_long(horus_tensor_release(h));
}

// as_tensor(handle) -> int: the new handle (0 on failure, text in horus_last_error)
static py_object *py_as_tensor(py_object *self, py_object *arg) {
  (void)self;
  const horus_py_api *py = horus_py_api_get();
  void *h = py->long_as_void_ptr(arg);
  if (!h && py->err_occurred()) return NULL;
  return py->long_from_void_ptr(horus_tensor_as_tensor_handle(h));
}

// dlpack_capsule(handle, versioned, copied) -> capsule, or int (a negative status)
static py_object *py_dlpack_capsule(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 3, "dlpack_capsule(handle, versioned, copied)");
  if (!py) return NULL;
  void *h = py->long_as_void_ptr(args[0]);
  long long versioned = py->long_as_long_long(args[1]);
  long long copied = py->long_as_long_long(args[2]);
  if (py->err_occurred()) return NULL;
  return horus_tensor_dlpack_capsule(h, versioned != 0, copied != 0);
}

// What receive and receive_slice return: the new handle (an int > 1) when a sample was
// received into `out`, else the status (HORUS_TIMEOUT or negative).
static py_object *received_or_status(const horus_py_api *py, int status, const horus_received_t *out) {
  if (status == 0) return py->long_from_void_ptr(out->handle);
  return py->long_from_long_long(status);
}

// One receive with the GIL released (other Python threads run while this one waits).
static int receive_released(const horus_py_api *py, void *sub, long long timeout_ms, horus_received_t *out) {
  void *tstate = py->eval_save_thread();
  int status = horus_subscriber_receive_sample(sub, timeout_ms, out);
  py->eval_restore_thread(tstate);
  return status;
}

// receive(subscriber, timeout_ms, address) -> the new handle, or a status
static py_object *py_receive(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 3, "receive(subscriber, timeout_ms, address)");
  if (!py) return NULL;
  void *sub = py->long_as_void_ptr(args[0]);
  long long timeout_ms = py->long_as_long_long(args[1]);
  horus_received_t *out = py->long_as_void_ptr(args[2]);
  if (py->err_occurred()) return NULL;
  int status = timeout_ms == 0 ? horus_subscriber_receive_sample(sub, 0, out)  // a poll: the GIL is kept
                                : receive_released(py, sub, timeout_ms, out);
  return received_or_status(py, status, out);
}

// receive_slice(subscriber, address) -> the new handle, or a status: a timeout-0 receive
// with the GIL released, i.e. one slice of a wait that Python loops over (for a spin
// subscriber the library polls for about a thousand spins before it times out)
static py_object *py_receive_slice(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 2, "receive_slice(subscriber, address)");
  if (!py) return NULL;
  void *sub = py->long_as_void_ptr(args[0]);
  horus_received_t *out = py->long_as_void_ptr(args[1]);
  if (py->err_occurred()) return NULL;
  return received_or_status(py, receive_released(py, sub, 0, out), out);
}

// publish(publisher, handle) -> int status (never blocks: the GIL is kept)
static py_object *py_publish(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 2, "publish(publisher, handle)");
  if (!py) return NULL;
  void *pub = py->long_as_void_ptr(args[0]);
  void *h = py->long_as_void_ptr(args[1]);
  if (py->err_occurred()) return NULL;
  return py->long_from_long_long(horus_publisher_publish(pub, h));
}

// loan(kind, pool, a, b, text, address) -> int status (see HORUS_PY_LOAN in horus_py.h)
static py_object *py_loan(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 6, "loan(kind, pool, a, b, text, address)");
  if (!py) return NULL;
  long long kind = py->long_as_long_long(args[0]);
  void *pool = py->long_as_void_ptr(args[1]);
  long long a = py->long_as_long_long(args[2]);
  long long b = py->long_as_long_long(args[3]);
  const char *text = py->bytes_as_string(args[4]);
  horus_received_t *out = py->long_as_void_ptr(args[5]);
  if (py->err_occurred()) return NULL;
  if (!out) {
    py->err_set_string(*py->exc_type_error, "loan: address must not be 0");
    return NULL;
  }
  horus_tensor_t *h = NULL;
  int status;
  switch (kind) {
  case HORUS_PY_LOAN_IMAGE: status = horus_image_loan(pool, a, b, text, &h); break;
  case HORUS_PY_LOAN_DEPTH: status = horus_depth_loan(pool, a, b, text, &h); break;
  case HORUS_PY_LOAN_POINTCLOUD: status = horus_pointcloud_loan(pool, a, text, &h); break;
  default:
    py->err_set_string(*py->exc_type_error, "loan: unknown kind");
    return NULL;
  }
  if (status >= 0) status = horus_tensor_info(h, &out->info);
  if (status >= 0) status = horus_tensor_timestamp(h, &out->timestamp_ns);
  if (status < 0) {
    if (h) horus_tensor_release(h);
    return py->long_from_long_long(status);
  }
  out->handle = h;
  return py->long_from_long_long(0);
}

static py_method_def defs[] = {
  [HORUS_PY_RELEASE] = {"release", (void *)py_release, HORUS_METH_O,
                        "release(handle) -> status: horus_tensor_release"},
  [HORUS_PY_AS_TENSOR] = {"as_tensor", (void *)py_as_tensor, HORUS_METH_O,
                          "as_tensor(handle) -> new handle or 0: horus_tensor_as_tensor_handle"},
  [HORUS_PY_DLPACK_CAPSULE] = {"dlpack_capsule", (void *)py_dlpack_capsule, HORUS_METH_FASTCALL,
                               "dlpack_capsule(handle, versioned, copied) -> capsule or negative status"},
  [HORUS_PY_RECEIVE] = {"receive", (void *)py_receive, HORUS_METH_FASTCALL,
                        "receive(subscriber, timeout_ms, address) -> new handle or status: horus_subscriber_receive_sample"},
  [HORUS_PY_PUBLISH] = {"publish", (void *)py_publish, HORUS_METH_FASTCALL,
                        "publish(publisher, handle) -> status: horus_publisher_publish"},
  [HORUS_PY_LOAN] = {"loan", (void *)py_loan, HORUS_METH_FASTCALL,
                     "loan(kind, pool, a, b, text, address) -> status: horus_*_loan and horus_tensor_info"},
  [HORUS_PY_RECEIVE_SLICE] = {"receive_slice", (void *)py_receive_slice, HORUS_METH_FASTCALL,
                              "receive_slice(subscriber, address) -> new handle or status: a timeout-0 receive, GIL released"},
  [HORUS_PY_INSTALL] = {"install", (void *)horus_py_install, HORUS_METH_FASTCALL,
                        "install(cls, check) -> 0: to_numpy and timestamp_ns made in C on cls"},
  [HORUS_PY_NUMPY_INIT] = {"numpy_init", (void *)horus_py_numpy_init, HORUS_METH_FASTCALL,
                           "numpy_init(capsule, type_numbers) -> 1 if NumPy's C-API is usable, else 0"},
  [HORUS_PY_TO_NUMPY] = {"to_numpy", (void *)horus_py_to_numpy, HORUS_METH_FASTCALL,
                         "to_numpy(sample, info) -> ndarray over the sample's memory, based on the sample"},
  [HORUS_PY_TIMESTAMP] = {"timestamp", (void *)horus_py_timestamp, HORUS_METH_FASTCALL,
                          "timestamp(handle, info) -> timestamp ns, or a negative status"},
  [HORUS_PY_SET_TIMESTAMP] = {"set_timestamp", (void *)horus_py_set_timestamp, HORUS_METH_FASTCALL,
                              "set_timestamp(handle, ns, info) -> status: horus_tensor_set_timestamp"},
};

void *horus_py_builtin(int32_t which) {
  const horus_py_api *py = horus_py_api_get();
  if (!py) return NULL;
  if (which < 0 || which >= (int32_t)(sizeof defs / sizeof defs[0])) {
    py->err_set_string(*py->exc_type_error, "horus_py_builtin: unknown function");
    return NULL;
  }
  return py->cfunction_new_ex(&defs[which], NULL, NULL);
}
