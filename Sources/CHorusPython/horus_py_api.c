// Resolves the CPython functions of horus_py_api.h with dlsym, once per process.
#define _GNU_SOURCE
#include "horus_py_api.h"
#include "horus_py.h"
#include <dlfcn.h>
#include <pthread.h>

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
  api.exc_type_error = dlsym(RTLD_DEFAULT, "PyExc_TypeError");
  api.ok = api.capsule_new && api.capsule_is_valid && api.capsule_get_pointer && api.long_from_long_long &&
           api.long_as_long_long && api.long_from_void_ptr && api.long_as_void_ptr && api.bytes_as_string && api.err_occurred &&
           api.err_set_string && api.cfunction_new_ex && api.eval_save_thread &&
           api.eval_restore_thread && api.exc_type_error;
}

const horus_py_api *horus_py_api_get(void) {
  pthread_once(&once, resolve);
  return api.ok ? &api : NULL;
}

int horus_py_capi_available(void) { return horus_py_api_get() != NULL; }

void *horus_py_int(int64_t value) {
  const horus_py_api *py = horus_py_api_get();
  return py ? py->long_from_long_long((long long)value) : NULL;
}
