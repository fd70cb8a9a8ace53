/*
 * The DDS domain a bridge participant joins, created with horus's defaults ahead of the
 * user's configuration (CYCLONEDDS_URI, which comes later and so wins where it sets the same
 * thing). One default: a socket receive buffer of up to 4 MiB (what the kernel allows,
 * net.core.rmem_max). Cyclone's own default (about 1 MiB) overflows when a multi-megabyte
 * sample arrives as a burst of fragments. A 1080p frame at 30 Hz then loses about half its
 * frames, while 4 MiB loses none (Benchmarks/dds-results.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "horus_dds_internal.h"
#include "horus_dds_participant.h"

/* net.core.rmem_max, or 0 when it cannot be read. */
static long rmem_max(void) {
    FILE *f = fopen("/proc/sys/net/core/rmem_max", "r");
    if (f == NULL) return 0;
    long v = 0;
    if (fscanf(f, "%ld", &v) != 1) v = 0;
    fclose(f);
    return v;
}

/* The socket receive buffer horus asks for: min(4 MiB, net.core.rmem_max); 0 if unknown. */
static uint32_t default_receive_buffer(void) {
    long max = rmem_max();
    const long want = 4L << 20;
    if (max <= 0) return 0;
    return (uint32_t)(max < want ? max : want);
}

dds_entity_t hdds_domain_create(uint32_t domain_id) {
    uint32_t rcvbuf = default_receive_buffer();
    if (rcvbuf == 0) return 0; /* Cyclone's defaults and CYCLONEDDS_URI, as any Cyclone program */
    const char *user = getenv("CYCLONEDDS_URI");
    size_t n = (user ? strlen(user) : 0) + 160;
    char *config = malloc(n);
    if (config == NULL) return 0;
    snprintf(config, n, "<Internal><SocketReceiveBufferSize min=\"%uB\"/></Internal>%s%s",
             rcvbuf, user && user[0] ? "," : "", user ? user : "");
    dds_entity_t d = dds_create_domain((dds_domainid_t)domain_id, config);
    free(config);
    /* Already created in this process (a second participant): it has its configuration. */
    return d > 0 ? d : 0;
}
