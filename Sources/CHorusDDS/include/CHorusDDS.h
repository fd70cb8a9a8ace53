/* CHorusDDS: libhorus_dds.so, the only horus code that links Cyclone DDS. Its one export
 * is horus_dds_get_api (horus_dds_api.h); horus programs dlopen the library. */
#ifndef CHORUS_DDS_H
#define CHORUS_DDS_H
#include "horus_dds_api.h"
const horus_dds_api_t *horus_dds_get_api(uint32_t version);
#endif
