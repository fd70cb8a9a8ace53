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
#define HORUS_METH_O 0x0008
#define HORUS_METH_FASTCALL 0x0080

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
  py_object **exc_type_error;  // &PyExc_TypeError
  int ok;
} horus_py_api;

// The resolved API, or NULL when any of it is missing in this process.
const horus_py_api *horus_py_api_get(void);

#endif
