/* The calling thread's last error message (horus_dds_api_t.last_error). */
#include <stdarg.h>
#include <stdio.h>
#include "horus_dds_internal.h"

static _Thread_local char last_error[512];

int32_t hdds_fail(int32_t code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof(last_error), fmt, ap);
    va_end(ap);
    return code;
}

const char *hdds_last_error(void) { return last_error; }
