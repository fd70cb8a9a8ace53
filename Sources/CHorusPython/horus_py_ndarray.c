// to_numpy() in one C call: a NumPy array made directly with NumPy's C-API (its function
// table, the _ARRAY_API capsule, handed over at run time by horus_py_numpy_init), over the
// sample's memory, with the sample object as the array's base. No NumPy headers are
// needed to build this: the few table entries used are part of NumPy's stable C-API
// (the same indices in NumPy 1.7 through 2.x). See HORUS_PY_TO_NUMPY in horus_py.h.
#include "horus_c_api.h"
#include "horus_py.h"
#include "horus_py_api.h"
#include <stddef.h>

// Indices into NumPy's C-API table (numpy/_core/code_generators/numpy_api.py).
enum {
  NPY_API_ABI_VERSION = 0,      // PyArray_GetNDArrayCVersion
  NPY_API_ARRAY_TYPE = 2,       // &PyArray_Type
  NPY_API_DESCR_FROM_TYPE = 45, // PyArray_DescrFromType
  NPY_API_NEW_FROM_DESCR = 94,  // PyArray_NewFromDescr
  NPY_API_FEATURE_VERSION = 211, // PyArray_GetNDArrayCFeatureVersion
  NPY_API_SET_BASE_OBJECT = 282, // PyArray_SetBaseObject
};
#define NPY_ARRAY_WRITEABLE 0x0400
#define HORUS_DTYPES 12  // horus_dtype codes 0 ... 11

typedef py_object *(*new_from_descr_fn)(py_object *subtype, py_object *descr, int nd, const intptr_t *dims,
                                        const intptr_t *strides, void *data, int flags, py_object *obj);
typedef int (*set_base_object_fn)(py_object *array, py_object *base);
typedef py_object *(*descr_from_type_fn)(int type_num);

// Set once by horus_py_numpy_init (with the GIL held); descrs are kept referenced forever.
static struct {
  py_object *array_type;
  new_from_descr_fn new_from_descr;
  set_base_object_fn set_base_object;
  py_object *descrs[HORUS_DTYPES];
} np;

// Bytes per element of each horus_dtype (uint8, int8, uint16, int16, uint32, int32,
// uint64, int64, float16, float32, float64, bool).
static const int32_t itemsizes[HORUS_DTYPES] = {1, 1, 2, 2, 4, 4, 8, 8, 2, 4, 8, 1};
static char empty_data;  // the data address of zero-size arrays without one

// numpy_init(capsule, type_numbers) -> 1 if NumPy's C-API can be used, else 0.
// type_numbers: the NumPy type number of each horus_dtype, in code order.
py_object *horus_py_numpy_init(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 2, "numpy_init(capsule, type_numbers)");
  if (!py) return NULL;
  void **table = py->capsule_get_pointer(args[0], NULL);
  if (!table) return NULL;  // not a capsule (ValueError / TypeError set)
  if (py->tuple_size(args[1]) != HORUS_DTYPES) {
    if (!py->err_occurred())
      py->err_set_string(*py->exc_type_error, "numpy_init: type_numbers must be a tuple of 12 ints");
    return NULL;
  }
  unsigned abi = ((unsigned (*)(void))table[NPY_API_ABI_VERSION])();
  unsigned feature = ((unsigned (*)(void))table[NPY_API_FEATURE_VERSION])();
  // NumPy 1.x has ABI 0x01000009, 2.x 0x02000000; the entries used exist since feature 7 (1.7).
  if ((abi >> 24) < 1 || (abi >> 24) > 2 || feature < 7) return py->long_from_long_long(0);
  if (np.array_type) return py->long_from_long_long(1);  // already set up
  py_object *descrs[HORUS_DTYPES];
  descr_from_type_fn descr_from_type = (descr_from_type_fn)table[NPY_API_DESCR_FROM_TYPE];
  for (int i = 0; i < HORUS_DTYPES; i++) {
    long long num = py->long_as_long_long(py->tuple_get_item(args[1], i));
    descrs[i] = (num < 0 || py->err_occurred()) ? NULL : descr_from_type((int)num);  // new references
    if (!descrs[i]) {
      for (int j = 0; j < i; j++) py->dec_ref(descrs[j]);
      if (!py->err_occurred()) py->err_set_string(*py->exc_type_error, "numpy_init: bad type number");
      return NULL;
    }
  }
  for (int i = 0; i < HORUS_DTYPES; i++) np.descrs[i] = descrs[i];
  np.new_from_descr = (new_from_descr_fn)table[NPY_API_NEW_FROM_DESCR];
  np.set_base_object = (set_base_object_fn)table[NPY_API_SET_BASE_OBJECT];
  np.array_type = (py_object *)table[NPY_API_ARRAY_TYPE];
  return py->long_from_long_long(1);
}

// The ndarray over the memory the info object describes, based on `sample`.
static py_object *array_of(const horus_py_api *py, py_object *sample, py_object *info_obj) {
  if (!np.array_type) {
    py->err_set_string(*py->exc_runtime_error, "horus: to_numpy before numpy_init");
    return NULL;
  }
  py_buffer view;
  int received;
  const horus_tensor_info_t *info = horus_py_info(py, info_obj, 0, &view, &received);
  if (!info) return NULL;
  int nd = info->ndim, dtype = info->dtype, item = info->itemsize;
  void *data = info->data;
  int flags = info->read_only ? 0 : NPY_ARRAY_WRITEABLE;
  intptr_t dims[HORUS_MAX_DIMS], strides[HORUS_MAX_DIMS];
  int bad = nd < 0 || nd > HORUS_MAX_DIMS || dtype < 0 || dtype >= HORUS_DTYPES || item != itemsizes[dtype];
  for (int i = 0; !bad && i < nd; i++) {
    dims[i] = (intptr_t)info->shape[i];
    strides[i] = (intptr_t)(info->strides[i] * item);
    bad = info->shape[i] < 0;
  }
  if (!bad && !data) {
    bad = info->nbytes != 0;
    data = &empty_data;
  }
  py->buffer_release(&view);
  if (bad) {
    py->err_set_string(*py->exc_value_error, "horus: info describes no valid array");
    return NULL;
  }
  py_object *descr = np.descrs[dtype];
  py->inc_ref(descr);  // NewFromDescr steals a reference, even on failure
  py_object *array = np.new_from_descr(np.array_type, descr, nd, dims, strides, data, flags, NULL);
  if (!array) return NULL;
  py->inc_ref(sample);  // SetBaseObject steals a reference, even on failure
  if (np.set_base_object(array, sample) < 0) {
    py->dec_ref(array);
    return NULL;
  }
  return array;
}

// to_numpy(sample, info) -> numpy.ndarray over the memory `info` describes, read-only when
// info.read_only, whose base is `sample` (so the sample, and its slot, live while it does).
py_object *horus_py_to_numpy(py_object *self, py_object *const *args, py_ssize_t nargs) {
  (void)self;
  const horus_py_api *py = horus_py_args(nargs, 2, "to_numpy(sample, info)");
  if (!py) return NULL;
  return array_of(py, args[0], args[1]);
}

// sample.to_numpy(): the same for the sample's own info (sample._info), without a Python
// frame (a method descriptor installed on the sample class, see horus_py_install).
static py_object *to_numpy_method(py_object *self, py_object *unused) {
  (void)unused;
  const horus_py_api *py = horus_py_api_get();
  py_object *info = horus_py_info_of(py, self);
  if (!info) return NULL;
  py_object *array = array_of(py, self, info);
  py->dec_ref(info);
  return array;
}

py_method_def horus_py_to_numpy_method = {
  "to_numpy", (void *)to_numpy_method, HORUS_METH_NOARGS,
  "A NumPy view of the slot memory (zero-copy), read-only for received samples. Its base is\n"
  "this sample, so the view stays valid, and the slot allocated, after the caller drops the\n"
  "sample; every call gives a new array over the same memory."};
