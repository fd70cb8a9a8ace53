#include "horus_dlpack.h"
#include "horus_descriptor.h"
#include "horus_sys.h"
#include "horus_pool_layout.h"
