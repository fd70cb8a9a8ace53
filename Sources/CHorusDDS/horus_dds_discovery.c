/*
 * list_endpoints: the topics other participants publish and subscribe, read from the
 * DCPSPublication / DCPSSubscription builtin topics (alive instances only; our own
 * participant's endpoints left out).
 */
#include <string.h>
#include "horus_dds_participant.h"

static void copy_name(char dst[256], const char *src) {
    size_t n = src ? strlen(src) : 0;
    if (n > 255) n = 255;
    if (n) memcpy(dst, src, n);
    dst[n] = 0;
}

/* Appends the alive endpoints of one builtin reader; returns the new total or an error. */
static int32_t collect(horus_dds_participant_t *p, dds_entity_t builtin, uint8_t is_writer,
                       horus_dds_endpoint_info_t *out, uint32_t max, int32_t total) {
    enum { MAXS = 1024 };
    void *buf[MAXS] = {NULL};
    dds_sample_info_t info[MAXS];
    dds_return_t n = dds_read_mask(builtin, buf, info, MAXS, MAXS,
                                   DDS_ANY_SAMPLE_STATE | DDS_ANY_VIEW_STATE | DDS_ALIVE_INSTANCE_STATE);
    if (n < 0) return hdds_fail(HORUS_DDS_ERROR, "reading discovered endpoints: %s", dds_strretcode(n));
    for (int32_t i = 0; i < n; i++) {
        const dds_builtintopic_endpoint_t *ep = buf[i];
        if (!info[i].valid_data) continue;
        if (memcmp(&ep->participant_key, &p->guid, sizeof(p->guid)) == 0) continue;
        if ((uint32_t)total < max) {
            horus_dds_endpoint_info_t *e = &out[total];
            memset(e, 0, sizeof(*e));
            copy_name(e->topic_name, ep->topic_name);
            copy_name(e->type_name, ep->type_name);
            e->is_writer = is_writer;
            dds_reliability_kind_t kind = DDS_RELIABILITY_BEST_EFFORT;
            dds_duration_t blocking;
            if (ep->qos) (void)dds_qget_reliability(ep->qos, &kind, &blocking);
            e->reliable = kind == DDS_RELIABILITY_RELIABLE;
            memcpy(e->participant_guid, &ep->participant_key, 16);
        }
        total++;
    }
    if (n > 0) dds_return_loan(builtin, buf, n);
    return total;
}

int32_t hdds_list_endpoints(horus_dds_participant_t *p, horus_dds_endpoint_info_t *out, uint32_t max) {
    if (p == NULL || (out == NULL && max > 0)) return hdds_fail(HORUS_DDS_EINVAL, "list_endpoints: NULL argument");
    if (p->publications == 0) {
        dds_entity_t pubs = dds_create_reader(p->participant, DDS_BUILTIN_TOPIC_DCPSPUBLICATION, NULL, NULL);
        if (pubs < 0) return hdds_fail(HORUS_DDS_ERROR, "DCPSPublication reader: %s", dds_strretcode(pubs));
        dds_entity_t subs = dds_create_reader(p->participant, DDS_BUILTIN_TOPIC_DCPSSUBSCRIPTION, NULL, NULL);
        if (subs < 0) { dds_delete(pubs); return hdds_fail(HORUS_DDS_ERROR, "DCPSSubscription reader: %s", dds_strretcode(subs)); }
        p->publications = pubs;
        p->subscriptions = subs;
    }
    int32_t total = collect(p, p->publications, 1, out, max, 0);
    if (total < 0) return total;
    return collect(p, p->subscriptions, 0, out, max, total);
}
