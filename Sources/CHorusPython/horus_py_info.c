// The info struct behind a sample's ctypes TensorInfo / Received; see horus_py_info in
// horus_py_api.h.
#include "horus_c_api.h"
#include "horus_py_api.h"

#define PYBUF_WRITABLE 0x0001

horus_tensor_info_t *horus_py_info(const horus_py_api *py, py_object *obj, int writable, py_buffer *view,
                                   int *is_received) {
  // TypeError: no buffer protocol; BufferError: read-only when asked for writable
  if (py->get_buffer(obj, view, writable ? PYBUF_WRITABLE : 0) < 0) return NULL;
  if (view->len < (py_ssize_t)sizeof(horus_tensor_info_t) || !view->buf) {
    py->buffer_release(view);
    py->err_set_string(*py->exc_type_error, "horus: info must be a TensorInfo or Received");
    return NULL;
  }
  *is_received = view->len >= (py_ssize_t)sizeof(horus_received_t);
  return view->buf;
}
