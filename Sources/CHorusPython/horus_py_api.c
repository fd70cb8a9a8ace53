// Resolves the CPython functions of horus_py_api.h with dlsym, once per process.
#define _GNU_SOURCE
#include "horus_py_api.h"
#include "horus_py.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static horus_py_api api;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void resolve(void) {
  api.capsule_new = dlsym(RTLD_DEFAULT, "PyCapsule_New");
  api.capsule_is_valid = dlsym(RTLD_DEFAULT, "PyCapsule_IsValid");
  api.capsule_get_pointer = dlsym(RTLD_DEFAULT, "PyCapsule_GetPointer");
  api.long_from_long_long = dlsym(RTLD_DEFAULT, "PyLong_FromLongLong");
  api.long_as_long_long = dlsym(RTLD_DEFAULT, "PyLong_AsLongLong");
  api.long_from_void_ptr = dlsym(RTLD_DEFAULT, "PyLong_FromVoidPtr");
  api.long_as_void_ptr = dlsym(RTLD_DEFAULT, "PyLong_AsVoidPtr");
  api.bytes_as_string = dlsym(RTLD_DEFAULT, "PyBytes_AsString");
  api.err_occurred = dlsym(RTLD_DEFAULT, "PyErr_Occurred");
  api.err_set_string = dlsym(RTLD_DEFAULT, "PyErr_SetString");
  api.cfunction_new_ex = dlsym(RTLD_DEFAULT, "PyCFunction_NewEx");
  api.eval_save_thread = dlsym(RTLD_DEFAULT, "PyEval_SaveThread");
  api.eval_restore_thread = dlsym(RTLD_DEFAULT, "PyEval_RestoreThread");
  api.long_as_unsigned_long_long = dlsym(RTLD_DEFAULT, "PyLong_AsUnsignedLongLong");
  api.long_from_unsigned_long_long = dlsym(RTLD_DEFAULT, "PyLong_FromUnsignedLongLong");
  api.number_index = dlsym(RTLD_DEFAULT, "PyNumber_Index");
  api.get_buffer = dlsym(RTLD_DEFAULT, "PyObject_GetBuffer");
  api.buffer_release = dlsym(RTLD_DEFAULT, "PyBuffer_Release");
  api.inc_ref = dlsym(RTLD_DEFAULT, "Py_IncRef");
  api.dec_ref = dlsym(RTLD_DEFAULT, "Py_DecRef");
  api.tuple_size = dlsym(RTLD_DEFAULT, "PyTuple_Size");
  api.tuple_get_item = dlsym(RTLD_DEFAULT, "PyTuple_GetItem");
  api.err_exception_matches = dlsym(RTLD_DEFAULT, "PyErr_ExceptionMatches");
  api.descr_new_method = dlsym(RTLD_DEFAULT, "PyDescr_NewMethod");
  api.descr_new_getset = dlsym(RTLD_DEFAULT, "PyDescr_NewGetSet");
  api.unicode_intern = dlsym(RTLD_DEFAULT, "PyUnicode_InternFromString");
  api.get_attr = dlsym(RTLD_DEFAULT, "PyObject_GetAttr");
  api.set_attr_string = dlsym(RTLD_DEFAULT, "PyObject_SetAttrString");
  api.call_function_obj_args = dlsym(RTLD_DEFAULT, "PyObject_CallFunctionObjArgs");
  api.is_instance = dlsym(RTLD_DEFAULT, "PyObject_IsInstance");
  api.type_type = dlsym(RTLD_DEFAULT, "PyType_Type");
  api.exc_type_error = dlsym(RTLD_DEFAULT, "PyExc_TypeError");
  api.exc_value_error = dlsym(RTLD_DEFAULT, "PyExc_ValueError");
  api.exc_overflow_error = dlsym(RTLD_DEFAULT, "PyExc_OverflowError");
  api.exc_runtime_error = dlsym(RTLD_DEFAULT, "PyExc_RuntimeError");
  api.ok = api.capsule_new && api.capsule_is_valid && api.capsule_get_pointer && api.long_from_long_long &&
           api.long_as_long_long && api.long_from_void_ptr && api.long_as_void_ptr && api.bytes_as_string && api.err_occurred &&
           api.err_set_string && api.cfunction_new_ex && api.eval_save_thread &&
           api.eval_restore_thread && api.long_as_unsigned_long_long && api.long_from_unsigned_long_long &&
           api.number_index && api.get_buffer && api.buffer_release && api.inc_ref && api.dec_ref &&
           api.tuple_size && api.tuple_get_item && api.err_exception_matches && api.descr_new_method && api.descr_new_getset &&
           api.unicode_intern && api.get_attr && api.set_attr_string && api.call_function_obj_args && api.is_instance && api.type_type && api.exc_type_error &&
           api.exc_value_error && api.exc_overflow_error && api.exc_runtime_error;
}

const horus_py_api *horus_py_api_get(void) {
  pthread_once(&once, resolve);
  return api.ok ? &api : NULL;
}

const horus_py_api *horus_py_args(py_ssize_t nargs, py_ssize_t want, const char *usage) {
  const horus_py_api *py = horus_py_api_get();  // resolved: a builtin is being called
  if (nargs == want) return py;
  char message[160];
  snprintf(message, sizeof message, "%s takes %d arguments", usage, (int)want);
  py->err_set_string(*py->exc_type_error, message);
  return NULL;
}

int horus_py_capi_available(void) { return horus_py_api_get() != NULL; }

void *horus_py_int(int64_t value) {
  const horus_py_api *py = horus_py_api_get();
  return py ? py->long_from_long_long((long long)value) : NULL;
}
