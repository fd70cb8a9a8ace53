// The CPython functions CHorusPython uses, resolved once with dlsym (horus_py_api.c).
// Private to the target. All are part of CPython's stable ABI (3.10+ for METH_FASTCALL).
#ifndef HORUS_PY_API_H
#define HORUS_PY_API_H

#include <stddef.h>
#include <stdint.h>

typedef struct horus_py_object py_object;  // PyObject (opaque here)
typedef intptr_t py_ssize_t;
typedef void (*py_capsule_destructor)(py_object *);

// PyMethodDef (stable ABI layout) and the calling conventions used.
typedef struct {
  const char *ml_name;
  void *ml_meth;
  int ml_flags;
  const char *ml_doc;
} py_method_def;
#define HORUS_METH_NOARGS 0x0004
#define HORUS_METH_O 0x0008
#define HORUS_METH_FASTCALL 0x0080

// PyGetSetDef (stable ABI layout).
typedef struct {
  const char *name;
  py_object *(*get)(py_object *self, void *closure);
  int (*set)(py_object *self, py_object *value, void *closure);
  const char *doc;
  void *closure;
} py_getset_def;

// Py_buffer (stable ABI layout since 3.11; unchanged since 3.3).
typedef struct {
  void *buf;
  py_object *obj;
  py_ssize_t len;
  py_ssize_t itemsize;
  int readonly;
  int ndim;
  char *format;
  py_ssize_t *shape;
  py_ssize_t *strides;
  py_ssize_t *suboffsets;
  void *internal;
} py_buffer;

typedef struct {
  py_object *(*capsule_new)(void *pointer, const char *name, py_capsule_destructor destructor);
  int (*capsule_is_valid)(py_object *capsule, const char *name);
  void *(*capsule_get_pointer)(py_object *capsule, const char *name);
  py_object *(*long_from_long_long)(long long value);
  long long (*long_as_long_long)(py_object *value);
  py_object *(*long_from_void_ptr)(void *pointer);
  void *(*long_as_void_ptr)(py_object *value);
  char *(*bytes_as_string)(py_object *bytes);  // PyBytes_AsString: TypeError if not bytes
  py_object *(*err_occurred)(void);
  void (*err_set_string)(py_object *type, const char *message);
  py_object *(*cfunction_new_ex)(py_method_def *def, py_object *self, py_object *module);
  void *(*eval_save_thread)(void);           // PyEval_SaveThread: releases the GIL
  void (*eval_restore_thread)(void *tstate);  // PyEval_RestoreThread: takes it back
  unsigned long long (*long_as_unsigned_long_long)(py_object *value);  // OverflowError when < 0 or too big
  py_object *(*long_from_unsigned_long_long)(unsigned long long value);
  py_object *(*number_index)(py_object *value);  // PyNumber_Index: a new reference to an int
  int (*get_buffer)(py_object *obj, py_buffer *view, int flags);  // PyObject_GetBuffer
  void (*buffer_release)(py_buffer *view);
  void (*inc_ref)(py_object *obj);  // Py_IncRef
  void (*dec_ref)(py_object *obj);  // Py_DecRef
  py_ssize_t (*tuple_size)(py_object *tuple);
  py_object *(*tuple_get_item)(py_object *tuple, py_ssize_t index);  // borrowed
  int (*err_exception_matches)(py_object *type);
  py_object *(*descr_new_method)(py_object *type, py_method_def *def);   // PyDescr_NewMethod
  py_object *(*descr_new_getset)(py_object *type, py_getset_def *def);   // PyDescr_NewGetSet
  py_object *(*unicode_intern)(const char *text);  // PyUnicode_InternFromString
  py_object *(*get_attr)(py_object *obj, py_object *name);  // PyObject_GetAttr: a new reference
  int (*set_attr_string)(py_object *obj, const char *name, py_object *value);
  py_object *(*call_function_obj_args)(py_object *callable, ...);  // PyObject_CallFunctionObjArgs
  int (*is_instance)(py_object *obj, py_object *cls);  // PyObject_IsInstance: 1, 0, -1
  py_object *type_type;  // &PyType_Type
  py_object **exc_type_error;  // &PyExc_TypeError
  py_object **exc_value_error;  // &PyExc_ValueError
  py_object **exc_overflow_error;  // &PyExc_OverflowError
  py_object **exc_runtime_error;  // &PyExc_RuntimeError
  int ok;
} horus_py_api;

// The resolved API, or NULL when any of it is missing in this process.
const horus_py_api *horus_py_api_get(void);

// The API for a METH_FASTCALL builtin called with `nargs` arguments: NULL with TypeError
// "`usage` takes `want` arguments" set when nargs != want.
const horus_py_api *horus_py_args(py_ssize_t nargs, py_ssize_t want, const char *usage);

// What the sample methods made in C (horus_py_install) need: the interned attribute
// names of the sample objects and the Python function that raises a status's exception.
typedef struct {
  py_object *info_name;  // "_info"
  py_object *handle_name;  // "_h"
  py_object *check;  // _lib.check
} horus_py_sample_names;
extern horus_py_sample_names horus_py_names;

// The sample's info object (a new reference) or NULL with the AttributeError set.
static inline py_object *horus_py_info_of(const horus_py_api *py, py_object *sample) {
  return py->get_attr(sample, horus_py_names.info_name);
}

// Raises the exception of a negative status through horus_py_names.check; returns NULL.
py_object *horus_py_raise_status(const horus_py_api *py, int status);

// The sample methods and properties made in C, for horus_py_install.
extern py_method_def horus_py_to_numpy_method;
extern py_getset_def horus_py_timestamp_property;

// The builtins defined outside horus_py_builtins.c (see horus_py.h for what they do).
py_object *horus_py_numpy_init(py_object *self, py_object *const *args, py_ssize_t nargs);
py_object *horus_py_to_numpy(py_object *self, py_object *const *args, py_ssize_t nargs);
py_object *horus_py_timestamp(py_object *self, py_object *const *args, py_ssize_t nargs);
py_object *horus_py_set_timestamp(py_object *self, py_object *const *args, py_ssize_t nargs);
py_object *horus_py_install(py_object *self, py_object *const *args, py_ssize_t nargs);

// The horus_tensor_info_t (or horus_received_t) held by a Python object with the buffer
// protocol (a ctypes TensorInfo / Received): its address, with `view` filled (release
// it with buffer_release), or NULL with TypeError set when `obj` has no buffer or one
// shorter than a horus_tensor_info_t (BufferError when `writable` and it is read-only).
// *is_received tells whether it is a horus_received_t.
struct horus_tensor_info;
struct horus_tensor_info *horus_py_info(const horus_py_api *py, py_object *obj, int writable, py_buffer *view,
                                        int *is_received);

#endif
