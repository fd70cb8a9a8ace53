/* CHorusDDSAPI holds only the function table declaration (horus_dds_api.h); SwiftPM needs a source file. */
#include "horus_dds_api.h"
