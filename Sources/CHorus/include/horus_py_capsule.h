/*
 * horus_py_capsule.h -- DLPack PyCapsules made in C, for libhorus_c.so loaded into a
 * Python process (ctypes). Nothing here links libpython: the few CPython functions
 * needed are looked up at run time with dlsym(RTLD_DEFAULT, ...), so the library
 * still loads (and these functions report "unavailable") outside Python.
 *
 * Every function must be called with the GIL held (ctypes.PyDLL, not ctypes.CDLL).
 */
#ifndef HORUS_PY_CAPSULE_H
#define HORUS_PY_CAPSULE_H

#include <stdint.h>

/** 1 when the CPython capsule functions were found in this process, else 0. */
int horus_py_capi_available(void);

/** Wraps a DLPack export in a new PyCapsule and returns it (a new reference, as void*).
 *  versioned = 0: `managed` is a DLManagedTensor*, capsule name "dltensor";
 *  versioned = 1: a DLManagedTensorVersioned*, capsule name "dltensor_versioned".
 *  The capsule owns the export: its destructor (C, no Python code) calls the struct's
 *  deleter only if the capsule still has its original name, i.e. no consumer renamed it
 *  to "used_dltensor[_versioned]" and took over the deleter call (DLPack Python spec).
 *  On failure the export is deleted at once and NULL is returned: with a Python
 *  exception set if PyCapsule_New failed, without one if the CPython API is unavailable. */
void *horus_py_dlpack_capsule(void *managed, int32_t versioned);

/** A new Python int (void* to a PyObject) holding `value`, or NULL if unavailable. */
void *horus_py_int(int64_t value);

#endif
