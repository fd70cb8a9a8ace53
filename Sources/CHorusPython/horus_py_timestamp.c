// The timestamp_ns getter and setter of samples as builtins (no ctypes on that path);
// see HORUS_PY_TIMESTAMP / HORUS_PY_SET_TIMESTAMP in horus_py.h.
#include "horus_c_api.h"
#include "horus_py.h"
#include "horus_py_api.h"
#include <stddef.h>

// timestamp(handle, info) -> int: the timestamp (>= 0) or a negative status. A Received
// info carries it (no call into the library); otherwise horus_tensor_timestamp.
py_object *horus_py_timestamp(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 2, "timestamp(handle, info)");
  if (!py) return NULL;
  py_buffer view;
  int received;
  horus_tensor_info_t *info = horus_py_info(py, args[1], 0, &view, &received);
  if (!info) return NULL;
  uint64_t ns = received ? ((horus_received_t *)info)->timestamp_ns : 0;
  py->buffer_release(&view);
  if (!received) {
    void *h = py->long_as_void_ptr(args[0]);
    if (!h && py->err_occurred()) return NULL;
    int status = horus_tensor_timestamp(h, &ns);
    if (status < 0) return py->long_from_long_long(status);
  }
  return py->long_from_unsigned_long_long(ns);
}

// set_timestamp(handle, ns, info) -> int status: horus_tensor_set_timestamp, and the
// copy in a Received info kept in step. ns must be an int in [0, 2**64): ValueError
// otherwise (TypeError for a non-integer).
py_object *horus_py_set_timestamp(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 3, "set_timestamp(handle, ns, info)");
  if (!py) return NULL;
  void *h = py->long_as_void_ptr(args[0]);
  if (!h && py->err_occurred()) return NULL;
  py_object *index = py->number_index(args[1]);
  if (!index) return NULL;
  unsigned long long ns = py->long_as_unsigned_long_long(index);
  py->dec_ref(index);
  if (ns == (unsigned long long)-1 && py->err_occurred()) {
    if (py->err_exception_matches(*py->exc_overflow_error))
      py->err_set_string(*py->exc_value_error, "horus: timestamp_ns out of range for uint64");
    return NULL;
  }
  py_buffer view;
  int received;
  horus_tensor_info_t *info = horus_py_info(py, args[2], 1, &view, &received);
  if (!info) return NULL;
  int status = horus_tensor_set_timestamp(h, ns);
  if (status >= 0 && received) ((horus_received_t *)info)->timestamp_ns = ns;
  py->buffer_release(&view);
  return py->long_from_long_long(status);
}
