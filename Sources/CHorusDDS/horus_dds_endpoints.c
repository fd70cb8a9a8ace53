/*
 * Participants, writers and readers of raw-CDR topics (the horus_dds_api_t entry points
 * except discovery). Every endpoint ignores samples of its own participant
 * (IGNORELOCAL_PARTICIPANT), so a bridge never reads back what it wrote.
 */
#include <stdlib.h>
#include <string.h>
#include "horus_dds_internal.h"
#include "horus_dds_participant.h"

struct horus_dds_writer {
    dds_entity_t topic, writer;
    struct hdds_sertype *type; /* the topic's sertype (the topic holds the reference) */
};

struct horus_dds_reader {
    dds_entity_t topic, reader, waitset, readcond;
    struct hdds_sertype *type;
};

int32_t hdds_participant_create(uint32_t domain_id, horus_dds_participant_t **out) {
    if (out == NULL) return hdds_fail(HORUS_DDS_EINVAL, "participant_create: out is NULL");
    if (domain_id > 232) return hdds_fail(HORUS_DDS_EINVAL, "DDS domain id %u is out of range (0...232)", domain_id);
    horus_dds_participant_t *p = calloc(1, sizeof(*p));
    if (p == NULL) return hdds_fail(HORUS_DDS_ENOMEM, "out of memory");
    p->domain = hdds_domain_create(domain_id);
    p->participant = dds_create_participant((dds_domainid_t)domain_id, NULL, NULL);
    if (p->participant < 0) {
        int32_t rc = p->participant;
        if (p->domain > 0) dds_delete(p->domain);
        free(p);
        return hdds_fail(HORUS_DDS_ERROR, "cannot create a DDS participant on domain %u: %s (check CYCLONEDDS_URI)",
                         domain_id, dds_strretcode(rc));
    }
    dds_return_t rc = dds_get_guid(p->participant, &p->guid);
    if (rc < 0) {
        dds_delete(p->participant);
        if (p->domain > 0) dds_delete(p->domain);
        free(p);
        return hdds_fail(HORUS_DDS_ERROR, "dds_get_guid: %s", dds_strretcode(rc));
    }
    *out = p;
    return HORUS_DDS_OK;
}

void hdds_participant_delete(horus_dds_participant_t *p) {
    if (p == NULL) return;
    dds_delete(p->participant); /* deletes every child entity */
    if (p->domain > 0) dds_delete(p->domain);
    free(p);
}

static int32_t check_names(const char *what, const char *topic_name, const char *type_name) {
    if (topic_name == NULL || topic_name[0] == 0 || strlen(topic_name) > 255)
        return hdds_fail(HORUS_DDS_EINVAL, "%s: topic name must be 1...255 characters", what);
    if (type_name == NULL || type_name[0] == 0 || strlen(type_name) > 255)
        return hdds_fail(HORUS_DDS_EINVAL, "%s: type name must be 1...255 characters (topic %s)", what, topic_name);
    return HORUS_DDS_OK;
}

/* The DDS QoS of a horus endpoint, or NULL with last_error set. */
static dds_qos_t *make_qos(const char *what, const char *topic_name, const horus_dds_qos_t *q) {
    if (q == NULL) { hdds_fail(HORUS_DDS_EINVAL, "%s %s: qos is NULL", what, topic_name); return NULL; }
    if (q->history_depth < 1 || q->history_depth > 100000) {
        hdds_fail(HORUS_DDS_EINVAL, "%s %s: history depth %u is out of range (1...100000)", what, topic_name, q->history_depth);
        return NULL;
    }
    dds_qos_t *qos = dds_create_qos();
    int32_t depth = (int32_t)q->history_depth;
    if (q->reliable) {
        /* Reliable: KEEP_ALL within `depth` samples, so nothing is replaced silently (KEEP_LAST
         * drops unacknowledged or untaken samples without a trace). What Cyclone 0.10 does with it:
         * - writer: flow control on the bytes its readers have not acknowledged (Internal/
         *   Watermarks, WhcHigh 500 kB, adaptive from 30 kB; only KEEP_ALL writers are throttled,
         *   max_samples is not applied to a writer's history). A write finding more than that
         *   unacknowledged waits up to max_blocking_time for acknowledgements, then fails with
         *   DDS_RETCODE_TIMEOUT and the sample is not sent (write_commit: HORUS_DDS_ETIMEOUT).
         * - reader: holding max_samples untaken, it rejects a new sample without acknowledging it;
         *   the writer sends it again later (back-pressure to the writer, where a timeout counts).
         * max_blocking_time: HORUS_DDS_MAX_BLOCKING_MS (see horus_dds_api.h). */
        dds_qset_reliability(qos, DDS_RELIABILITY_RELIABLE, DDS_MSECS(HORUS_DDS_MAX_BLOCKING_MS));
        dds_qset_history(qos, DDS_HISTORY_KEEP_ALL, DDS_LENGTH_UNLIMITED);
        dds_qset_resource_limits(qos, depth, 1, depth);  /* keyless: one instance */
    } else {
        dds_qset_reliability(qos, DDS_RELIABILITY_BEST_EFFORT, DDS_MSECS(HORUS_DDS_MAX_BLOCKING_MS));
        dds_qset_history(qos, DDS_HISTORY_KEEP_LAST, depth);
    }
    dds_qset_durability(qos, DDS_DURABILITY_VOLATILE);
    dds_qset_ignorelocal(qos, DDS_IGNORELOCAL_PARTICIPANT);
    dds_data_representation_id_t xcdr1 = DDS_DATA_REPRESENTATION_XCDR1;
    dds_qset_data_representation(qos, 1, &xcdr1);
    return qos;
}

/* The topic of (name, type name) on `p`, with our sertype; *type_out is the sertype in use. */
static dds_entity_t make_topic(horus_dds_participant_t *p, const char *topic_name, const char *type_name,
                               uint32_t max_sample_size, struct hdds_sertype **type_out) {
    struct hdds_sertype *t = hdds_sertype_new(type_name, max_sample_size);
    if (t == NULL) return hdds_fail(HORUS_DDS_ENOMEM, "out of memory");
    struct ddsi_sertype *st = &t->c;
    dds_entity_t topic = dds_create_topic_sertype(p->participant, topic_name, &st, NULL, NULL, NULL);
    if (topic < 0) {
        ddsi_sertype_unref(&t->c);
        return hdds_fail(HORUS_DDS_ERROR, "cannot create DDS topic %s (type %s): %s", topic_name, type_name, dds_strretcode(topic));
    }
    *type_out = (struct hdds_sertype *)st; /* may be an equal, already registered sertype */
    return topic;
}

int32_t hdds_writer_create(horus_dds_participant_t *p, const char *topic_name, const char *type_name,
                           const horus_dds_qos_t *q, horus_dds_writer_t **out) {
    int32_t rc = check_names("writer", topic_name, type_name);
    if (rc != HORUS_DDS_OK) return rc;
    if (p == NULL || out == NULL) return hdds_fail(HORUS_DDS_EINVAL, "writer %s: participant or out is NULL", topic_name);
    dds_qos_t *qos = make_qos("writer", topic_name, q);
    if (qos == NULL) return HORUS_DDS_EINVAL;
    horus_dds_writer_t *w = calloc(1, sizeof(*w));
    if (w == NULL) { dds_delete_qos(qos); return hdds_fail(HORUS_DDS_ENOMEM, "out of memory"); }
    w->topic = make_topic(p, topic_name, type_name, HORUS_DDS_DEFAULT_MAX_SAMPLE, &w->type);
    if (w->topic < 0) { dds_delete_qos(qos); free(w); return HORUS_DDS_ERROR; }
    w->writer = dds_create_writer(p->participant, w->topic, qos, NULL);
    dds_delete_qos(qos);
    if (w->writer < 0) {
        rc = hdds_fail(HORUS_DDS_ERROR, "cannot create DDS writer on %s: %s", topic_name, dds_strretcode(w->writer));
        dds_delete(w->topic);
        free(w);
        return rc;
    }
    *out = w;
    return HORUS_DDS_OK;
}

void hdds_writer_delete(horus_dds_writer_t *w) {
    if (w == NULL) return;
    dds_delete(w->writer);
    dds_delete(w->topic);
    free(w);
}

int32_t hdds_write_loan(horus_dds_writer_t *w, uint32_t size, uint8_t **buffer, void **loan) {
    if (w == NULL || buffer == NULL || loan == NULL) return hdds_fail(HORUS_DDS_EINVAL, "write_loan: NULL argument");
    if (size < 4) return hdds_fail(HORUS_DDS_EINVAL, "write: a CDR sample is at least 4 bytes (encapsulation header), got %u", size);
    struct hdds_serdata *d = hdds_serdata_new(w->type, size);
    if (d == NULL) return hdds_fail(HORUS_DDS_ENOMEM, "write: cannot allocate %u bytes", size);
    *buffer = d->data;
    *loan = d;
    return HORUS_DDS_OK;
}

int32_t hdds_write_commit(horus_dds_writer_t *w, void *loan) {
    if (w == NULL || loan == NULL) return hdds_fail(HORUS_DDS_EINVAL, "write_commit: NULL argument");
    struct hdds_serdata *d = loan;
    dds_return_t rc = dds_writecdr(w->writer, &d->c); /* consumes the reference */
    if (rc == DDS_RETCODE_TIMEOUT) {
        char name[256] = "?";
        (void)dds_get_name(w->topic, name, sizeof(name));
        return hdds_fail(HORUS_DDS_ETIMEOUT, "write %s: not sent, readers left earlier samples unacknowledged for %u ms (slow or unreachable network)",
                         name, HORUS_DDS_MAX_BLOCKING_MS);
    }
    if (rc < 0) return hdds_fail(HORUS_DDS_ERROR, "dds_writecdr: %s", dds_strretcode(rc));
    return HORUS_DDS_OK;
}

void hdds_write_discard(void *loan) {
    if (loan != NULL) ddsi_serdata_unref(&((struct hdds_serdata *)loan)->c);
}

int32_t hdds_write(horus_dds_writer_t *w, const uint8_t *cdr, uint32_t size) {
    uint8_t *buffer;
    void *loan;
    if (cdr == NULL) return hdds_fail(HORUS_DDS_EINVAL, "write: data is NULL");
    int32_t rc = hdds_write_loan(w, size, &buffer, &loan);
    if (rc != HORUS_DDS_OK) return rc;
    memcpy(buffer, cdr, size);
    return hdds_write_commit(w, loan);
}

int32_t hdds_writer_matched(horus_dds_writer_t *w, uint32_t *count) {
    if (w == NULL || count == NULL) return hdds_fail(HORUS_DDS_EINVAL, "writer_matched: NULL argument");
    dds_publication_matched_status_t st;
    dds_return_t rc = dds_get_publication_matched_status(w->writer, &st);
    if (rc < 0) return hdds_fail(HORUS_DDS_ERROR, "dds_get_publication_matched_status: %s", dds_strretcode(rc));
    *count = st.current_count;
    return HORUS_DDS_OK;
}

int32_t hdds_reader_create(horus_dds_participant_t *p, const char *topic_name, const char *type_name,
                           const horus_dds_qos_t *q, horus_dds_reader_t **out) {
    int32_t rc = check_names("reader", topic_name, type_name);
    if (rc != HORUS_DDS_OK) return rc;
    if (p == NULL || out == NULL) return hdds_fail(HORUS_DDS_EINVAL, "reader %s: participant or out is NULL", topic_name);
    dds_qos_t *qos = make_qos("reader", topic_name, q);
    if (qos == NULL) return HORUS_DDS_EINVAL;
    uint32_t max = q->max_sample_size ? q->max_sample_size : HORUS_DDS_DEFAULT_MAX_SAMPLE;
    if (max < 4) { dds_delete_qos(qos); return hdds_fail(HORUS_DDS_EINVAL, "reader %s: max sample size %u is below 4", topic_name, max); }
    horus_dds_reader_t *r = calloc(1, sizeof(*r));
    if (r == NULL) { dds_delete_qos(qos); return hdds_fail(HORUS_DDS_ENOMEM, "out of memory"); }
    r->topic = make_topic(p, topic_name, type_name, max, &r->type);
    if (r->topic < 0) { dds_delete_qos(qos); free(r); return HORUS_DDS_ERROR; }
    r->reader = dds_create_reader(p->participant, r->topic, qos, NULL);
    dds_delete_qos(qos);
    if (r->reader < 0) {
        rc = hdds_fail(HORUS_DDS_ERROR, "cannot create DDS reader on %s: %s", topic_name, dds_strretcode(r->reader));
        dds_delete(r->topic);
        free(r);
        return rc;
    }
    r->readcond = dds_create_readcondition(r->reader, DDS_ANY_STATE);
    r->waitset = dds_create_waitset(p->participant);
    dds_return_t arc = (r->readcond < 0 || r->waitset < 0) ? DDS_RETCODE_ERROR
                                                            : dds_waitset_attach(r->waitset, r->readcond, 0);
    if (arc < 0) {
        rc = hdds_fail(HORUS_DDS_ERROR, "cannot set up waiting on %s: %s", topic_name, dds_strretcode(arc));
        hdds_reader_delete(r);
        return rc;
    }
    *out = r;
    return HORUS_DDS_OK;
}

void hdds_reader_delete(horus_dds_reader_t *r) {
    if (r == NULL) return;
    if (r->waitset > 0) dds_delete(r->waitset);
    dds_delete(r->reader); /* also deletes the read condition */
    dds_delete(r->topic);
    free(r);
}

int32_t hdds_take(horus_dds_reader_t *r, horus_dds_sample_t *samples, uint32_t max) {
    if (r == NULL || (samples == NULL && max > 0)) return hdds_fail(HORUS_DDS_EINVAL, "take: NULL argument");
    enum { BATCH = 32 };
    struct ddsi_serdata *sd[BATCH];
    dds_sample_info_t info[BATCH];
    uint32_t n = 0;
    while (n < max) {
        uint32_t want = max - n < BATCH ? max - n : BATCH;
        dds_return_t got = dds_takecdr(r->reader, sd, want, info, DDS_ANY_STATE);
        if (got < 0) return n > 0 ? (int32_t)n : hdds_fail(HORUS_DDS_ERROR, "dds_takecdr: %s", dds_strretcode(got));
        for (int32_t i = 0; i < got; i++) {
            struct hdds_serdata *d = (struct hdds_serdata *)sd[i];
            if (!info[i].valid_data || d->c.kind != SDK_DATA) { /* instance state change only */
                ddsi_serdata_unref(sd[i]);
                continue;
            }
            samples[n].data = d->data;
            samples[n].size = d->size;
            samples[n].reserved = 0;
            samples[n].source_timestamp_ns = info[i].source_timestamp;
            samples[n].loan = d;
            n++;
        }
        if ((uint32_t)got < want) break;
    }
    return (int32_t)n;
}

void hdds_return_loan(void *loan) {
    if (loan != NULL) ddsi_serdata_unref(&((struct hdds_serdata *)loan)->c);
}

int32_t hdds_reader_wait(horus_dds_reader_t *r, int64_t timeout_ns) {
    if (r == NULL) return hdds_fail(HORUS_DDS_EINVAL, "reader_wait: reader is NULL");
    dds_return_t rc = dds_waitset_wait(r->waitset, NULL, 0, timeout_ns < 0 ? DDS_INFINITY : timeout_ns);
    if (rc < 0) return hdds_fail(HORUS_DDS_ERROR, "dds_waitset_wait: %s", dds_strretcode(rc));
    return rc == 0 ? HORUS_DDS_ETIMEOUT : HORUS_DDS_OK;
}

dds_entity_t hdds_reader_entity(const horus_dds_reader_t *r) { return r->reader; }

int32_t hdds_reader_stats(horus_dds_reader_t *r, horus_dds_reader_stats_t *out) {
    if (r == NULL || out == NULL) return hdds_fail(HORUS_DDS_EINVAL, "reader_stats: NULL argument");
    dds_sample_lost_status_t lost;
    dds_subscription_matched_status_t matched;
    dds_return_t rc = dds_get_sample_lost_status(r->reader, &lost);
    if (rc >= 0) rc = dds_get_subscription_matched_status(r->reader, &matched);
    if (rc < 0) return hdds_fail(HORUS_DDS_ERROR, "reader status: %s", dds_strretcode(rc));
    memset(out, 0, sizeof(*out));
    out->rejected = atomic_load_explicit(&r->type->rejected, memory_order_relaxed);
    out->lost = lost.total_count;
    out->matched_writers = matched.current_count;
    return HORUS_DDS_OK;
}
