// The info struct behind a sample's ctypes TensorInfo / Received; see horus_py_info in
// horus_py_api.h.
#include "horus_c_api.h"
#include "horus_py_api.h"

horus_tensor_info_t *horus_py_info(const horus_py_api *py, py_object *obj, py_buffer *view, int *is_received) {
  if (py->get_buffer(obj, view, 0) < 0) return NULL;  // TypeError: no buffer protocol
  if (view->len < (py_ssize_t)sizeof(horus_tensor_info_t) || !view->buf) {
    py->buffer_release(view);
    py->err_set_string(*py->exc_type_error, "horus: info must be a TensorInfo or Received");
    return NULL;
  }
  *is_received = view->len >= (py_ssize_t)sizeof(horus_received_t);
  return view->buf;
}
