#include "horus_dlpack.h"
#include "horus_descriptor.h"
#include "horus_sys.h"
