// install(cls, check): puts to_numpy (a method descriptor) and timestamp_ns (a C
// property) on the sample class, so those calls run no Python code; see HORUS_PY_INSTALL
// in horus_py.h.
#include "horus_py.h"
#include "horus_py_api.h"
#include <stddef.h>

horus_py_sample_names horus_py_names;

py_object *horus_py_raise_status(const horus_py_api *py, int status) {
  py_object *code = py->long_from_long_long(status);
  py_object *r = code ? py->call_function_obj_args(horus_py_names.check, code, NULL) : NULL;
  if (code) py->dec_ref(code);
  if (r) {  // check did not raise: not a failure status after all
    py->dec_ref(r);
    py->err_set_string(*py->exc_runtime_error, "horus: a call failed without an exception");
  }
  return NULL;
}

py_object *horus_py_install(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 2, "install(cls, check)");
  if (!py) return NULL;
  int is_type = py->is_instance(args[0], py->type_type);
  if (is_type <= 0) {
    if (is_type == 0) py->err_set_string(*py->exc_type_error, "install: cls must be a class");
    return NULL;
  }
  if (!horus_py_names.info_name) {  // once per process; kept forever
    horus_py_names.info_name = py->unicode_intern("_info");
    horus_py_names.handle_name = py->unicode_intern("_h");
    if (!horus_py_names.info_name || !horus_py_names.handle_name) return NULL;
    py->inc_ref(args[1]);
    horus_py_names.check = args[1];
  }
  py_object *method = py->descr_new_method(args[0], &horus_py_to_numpy_method);
  if (!method) return NULL;
  int status = py->set_attr_string(args[0], "to_numpy", method);
  py->dec_ref(method);
  if (status < 0) return NULL;
  py_object *property = py->descr_new_getset(args[0], &horus_py_timestamp_property);
  if (!property) return NULL;
  status = py->set_attr_string(args[0], "timestamp_ns", property);
  py->dec_ref(property);
  if (status < 0) return NULL;
  return py->long_from_long_long(0);
}
