// DLPack capsules made in C; see horus_py_dlpack_capsule in horus_py.h.
#include "horus_dlpack.h"
#include "horus_py.h"
#include "horus_py_api.h"
#include <stddef.h>

// The names must outlive every capsule (PyCapsule keeps the pointer): static storage.
static const char legacy_name[] = "dltensor";
static const char versioned_name[] = "dltensor_versioned";

// Capsule destructors: run during capsule deallocation, with the GIL held, so the API
// is resolved already (a capsule exists). A consumer renames a capsule it took over,
// so IsValid(original name) is false then; IsValid never sets a Python exception. The
// deleters are horus code (no Python calls).
static void legacy_destructor(py_object *capsule) {
  const horus_py_api *py = horus_py_api_get();
  if (!py->capsule_is_valid(capsule, legacy_name)) return;
  DLManagedTensor *m = py->capsule_get_pointer(capsule, legacy_name);
  if (m && m->deleter) m->deleter(m);
}

static void versioned_destructor(py_object *capsule) {
  const horus_py_api *py = horus_py_api_get();
  if (!py->capsule_is_valid(capsule, versioned_name)) return;
  DLManagedTensorVersioned *m = py->capsule_get_pointer(capsule, versioned_name);
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
  const horus_py_api *py = horus_py_api_get();
  if (!py) {
    delete_export(managed, versioned);
    return NULL;
  }
  py_object *capsule = versioned ? py->capsule_new(managed, versioned_name, versioned_destructor)
                                 : py->capsule_new(managed, legacy_name, legacy_destructor);
  if (!capsule) delete_export(managed, versioned);  // MemoryError is set
  return capsule;
}
