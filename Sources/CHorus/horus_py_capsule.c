// DLPack capsules made in C; see horus_py_capsule.h. CPython is reached through
// function pointers resolved once with dlsym, never through link-time symbols.
#define _GNU_SOURCE
#include "horus_py_capsule.h"
#include "horus_dlpack.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

typedef void *py_object;  // PyObject*
typedef void (*py_capsule_destructor)(py_object);

static struct {
  py_object (*capsule_new)(void *pointer, const char *name, py_capsule_destructor destructor);
  int (*capsule_is_valid)(py_object capsule, const char *name);
  void *(*capsule_get_pointer)(py_object capsule, const char *name);
  py_object (*long_from_long_long)(long long value);
  int ok;
} py;

static pthread_once_t py_once = PTHREAD_ONCE_INIT;

static void py_resolve(void) {
  py.capsule_new = dlsym(RTLD_DEFAULT, "PyCapsule_New");
  py.capsule_is_valid = dlsym(RTLD_DEFAULT, "PyCapsule_IsValid");
  py.capsule_get_pointer = dlsym(RTLD_DEFAULT, "PyCapsule_GetPointer");
  py.long_from_long_long = dlsym(RTLD_DEFAULT, "PyLong_FromLongLong");
  py.ok = py.capsule_new && py.capsule_is_valid && py.capsule_get_pointer && py.long_from_long_long;
}

int horus_py_capi_available(void) {
  pthread_once(&py_once, py_resolve);
  return py.ok;
}

// The names must outlive every capsule (PyCapsule keeps the pointer): static storage.
static const char legacy_name[] = "dltensor";
static const char versioned_name[] = "dltensor_versioned";

// Capsule destructors: run during capsule deallocation, with the GIL held. A consumer
// renames a capsule it took over, so IsValid(original name) is false then (and IsValid
// never sets a Python exception). The deleters are horus C/Swift code, not Python.
static void legacy_destructor(py_object capsule) {
  if (!py.capsule_is_valid(capsule, legacy_name)) return;
  DLManagedTensor *m = py.capsule_get_pointer(capsule, legacy_name);
  if (m && m->deleter) m->deleter(m);
}

static void versioned_destructor(py_object capsule) {
  if (!py.capsule_is_valid(capsule, versioned_name)) return;
  DLManagedTensorVersioned *m = py.capsule_get_pointer(capsule, versioned_name);
  if (m && m->deleter) m->deleter(m);
}

static void delete_export(void *managed, int32_t versioned) {
  if (versioned) {
    DLManagedTensorVersioned *m = managed;
    if (m->deleter) m->deleter(m);
  } else {
    DLManagedTensor *m = managed;
    if (m->deleter) m->deleter(m);
  }
}

void *horus_py_dlpack_capsule(void *managed, int32_t versioned) {
  if (!managed) return NULL;
  if (!horus_py_capi_available()) {
    delete_export(managed, versioned);
    return NULL;
  }
  py_object capsule = versioned ? py.capsule_new(managed, versioned_name, versioned_destructor)
                                : py.capsule_new(managed, legacy_name, legacy_destructor);
  if (!capsule) delete_export(managed, versioned);  // MemoryError is set
  return capsule;
}

void *horus_py_int(int64_t value) {
  if (!horus_py_capi_available()) return NULL;
  return py.long_from_long_long((long long)value);
}
