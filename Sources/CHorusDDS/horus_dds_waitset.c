/*
 * Waitsets over several readers plus a guard condition: what lets one thread (a bridge) sleep
 * until any imported topic has data or another thread says a horus topic was published.
 */
#include <stdlib.h>
#include "horus_dds_internal.h"
#include "horus_dds_participant.h"

struct horus_dds_waitset {
    dds_entity_t waitset, guard;
};

int32_t hdds_waitset_create(horus_dds_participant_t *p, horus_dds_waitset_t **out) {
    if (p == NULL || out == NULL) return hdds_fail(HORUS_DDS_EINVAL, "waitset_create: NULL argument");
    horus_dds_waitset_t *w = calloc(1, sizeof(*w));
    if (w == NULL) return hdds_fail(HORUS_DDS_ENOMEM, "out of memory");
    w->waitset = dds_create_waitset(p->participant);
    w->guard = dds_create_guardcondition(p->participant);
    dds_return_t rc = (w->waitset < 0) ? w->waitset : (w->guard < 0) ? w->guard : dds_waitset_attach(w->waitset, w->guard, 0);
    if (rc < 0) {
        int32_t r = hdds_fail(HORUS_DDS_ERROR, "cannot create a DDS waitset: %s", dds_strretcode(rc));
        hdds_waitset_delete(w);
        return r;
    }
    *out = w;
    return HORUS_DDS_OK;
}

void hdds_waitset_delete(horus_dds_waitset_t *w) {
    if (w == NULL) return;
    if (w->waitset > 0) dds_delete(w->waitset);
    if (w->guard > 0) dds_delete(w->guard);
    free(w);
}

int32_t hdds_waitset_attach(horus_dds_waitset_t *w, horus_dds_reader_t *r) {
    if (w == NULL || r == NULL) return hdds_fail(HORUS_DDS_EINVAL, "waitset_attach: NULL argument");
    /* A condition of its own (deleted with the reader), so the reader's own wait is untouched. */
    dds_entity_t cond = dds_create_readcondition(hdds_reader_entity(r), DDS_ANY_STATE);
    dds_return_t rc = cond < 0 ? cond : dds_waitset_attach(w->waitset, cond, 0);
    if (rc < 0) return hdds_fail(HORUS_DDS_ERROR, "waitset_attach: %s", dds_strretcode(rc));
    return HORUS_DDS_OK;
}

int32_t hdds_waitset_wake(horus_dds_waitset_t *w) {
    if (w == NULL) return hdds_fail(HORUS_DDS_EINVAL, "waitset_wake: waitset is NULL");
    dds_return_t rc = dds_set_guardcondition(w->guard, true);
    if (rc < 0) return hdds_fail(HORUS_DDS_ERROR, "dds_set_guardcondition: %s", dds_strretcode(rc));
    return HORUS_DDS_OK;
}

int32_t hdds_waitset_wait(horus_dds_waitset_t *w, int64_t timeout_ns) {
    if (w == NULL) return hdds_fail(HORUS_DDS_EINVAL, "waitset_wait: waitset is NULL");
    dds_return_t rc = dds_waitset_wait(w->waitset, NULL, 0, timeout_ns < 0 ? DDS_INFINITY : timeout_ns);
    if (rc < 0) return hdds_fail(HORUS_DDS_ERROR, "dds_waitset_wait: %s", dds_strretcode(rc));
    bool woken = false;
    (void)dds_take_guardcondition(w->guard, &woken); /* consumed: a later wake triggers again */
    return rc == 0 ? HORUS_DDS_ETIMEOUT : HORUS_DDS_OK;
}
