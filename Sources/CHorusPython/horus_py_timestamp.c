// The timestamp_ns getter and setter of samples as builtins (no ctypes on that path);
// see HORUS_PY_TIMESTAMP / HORUS_PY_SET_TIMESTAMP in horus_py.h.
#include "horus_c_api.h"
#include "horus_py.h"
#include "horus_py_api.h"
#include <stddef.h>

// The timestamp of the sample with info `info_obj` and handle `handle` (NULL: the
// sample's _h, looked up only when needed): 0 with *ns set, a negative status, or
// PY_ERROR with a Python exception set. A Received info carries it (no call into the
// library); otherwise horus_tensor_timestamp.
enum { PY_ERROR = -100 };
static int timestamp_of(const horus_py_api *py, py_object *handle, py_object *sample, py_object *info_obj,
                        uint64_t *ns) {
  py_buffer view;
  int received;
  horus_tensor_info_t *info = horus_py_info(py, info_obj, 0, &view, &received);
  if (!info) return PY_ERROR;
  *ns = received ? ((horus_received_t *)info)->timestamp_ns : 0;
  py->buffer_release(&view);
  if (received) return 0;
  py_object *owned = handle ? NULL : py->get_attr(sample, horus_py_names.handle_name);
  if (!handle && !owned) return PY_ERROR;
  void *h = py->long_as_void_ptr(handle ? handle : owned);
  if (owned) py->dec_ref(owned);
  if (!h && py->err_occurred()) return PY_ERROR;
  return horus_tensor_timestamp(h, ns);
}

// set_timestamp's work: 0, a negative status, or PY_ERROR with a Python exception set.
static int set_timestamp_of(const horus_py_api *py, py_object *handle, py_object *value, py_object *info_obj);

// timestamp(handle, info) -> int: the timestamp (>= 0) or a negative status.
py_object *horus_py_timestamp(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 2, "timestamp(handle, info)");
  if (!py) return NULL;
  uint64_t ns;
  int status = timestamp_of(py, args[0], NULL, args[1], &ns);
  if (status == PY_ERROR) return NULL;
  return status < 0 ? py->long_from_long_long(status) : py->long_from_unsigned_long_long(ns);
}

static int set_timestamp_of(const horus_py_api *py, py_object *handle, py_object *value, py_object *info_obj) {
  void *h = py->long_as_void_ptr(handle);
  if (!h && py->err_occurred()) return PY_ERROR;
  py_object *index = py->number_index(value);
  if (!index) return PY_ERROR;
  unsigned long long ns = py->long_as_unsigned_long_long(index);
  py->dec_ref(index);
  if (ns == (unsigned long long)-1 && py->err_occurred()) {
    if (py->err_exception_matches(*py->exc_overflow_error))
      py->err_set_string(*py->exc_value_error, "horus: timestamp_ns out of range for uint64");
    return PY_ERROR;
  }
  py_buffer view;
  int received;
  horus_tensor_info_t *info = horus_py_info(py, info_obj, 1, &view, &received);
  if (!info) return PY_ERROR;
  int status = horus_tensor_set_timestamp(h, ns);
  if (status >= 0 && received) ((horus_received_t *)info)->timestamp_ns = ns;
  py->buffer_release(&view);
  return status;
}

// set_timestamp(handle, ns, info) -> int status: horus_tensor_set_timestamp, and the
// copy in a Received info kept in step. ns must be an int in [0, 2**64): ValueError
// otherwise (TypeError for a non-integer).
py_object *horus_py_set_timestamp(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 3, "set_timestamp(handle, ns, info)");
  if (!py) return NULL;
  int status = set_timestamp_of(py, args[0], args[1], args[2]);
  return status == PY_ERROR ? NULL : py->long_from_long_long(status);
}

// sample.timestamp_ns as a C property (installed by horus_py_install): the same through
// the sample's _h and _info, a failure raised as the status's horus exception.
static py_object *get_timestamp(py_object *self, void *closure) {
  (void)closure;
  const horus_py_api *py = horus_py_api_get();
  py_object *info = horus_py_info_of(py, self);
  if (!info) return NULL;
  uint64_t ns = 0;
  int status = timestamp_of(py, NULL, self, info, &ns);
  py->dec_ref(info);
  if (status == PY_ERROR) return NULL;
  if (status < 0) return horus_py_raise_status(py, status);
  return py->long_from_unsigned_long_long(ns);
}

static int set_timestamp(py_object *self, py_object *value, void *closure) {
  (void)closure;
  const horus_py_api *py = horus_py_api_get();
  if (!value) {
    py->err_set_string(*py->exc_type_error, "horus: timestamp_ns cannot be deleted");
    return -1;
  }
  py_object *info = horus_py_info_of(py, self);
  if (!info) return -1;
  py_object *handle = py->get_attr(self, horus_py_names.handle_name);
  int status = handle ? set_timestamp_of(py, handle, value, info) : PY_ERROR;
  if (handle) py->dec_ref(handle);
  py->dec_ref(info);
  if (status == PY_ERROR) return -1;
  if (status < 0) {
    horus_py_raise_status(py, status);
    return -1;
  }
  return 0;
}

py_getset_def horus_py_timestamp_property = {
  "timestamp_ns", get_timestamp, set_timestamp,
  "Nanoseconds (the publisher's clock), an int in [0, 2**64); a received or loaned sample\n"
  "carries it in its Received info (read without a call into the library).", NULL};
