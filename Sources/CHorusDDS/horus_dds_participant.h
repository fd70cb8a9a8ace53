/* The participant handle and the entry points of libhorus_dds.so (internal). */
#ifndef HORUS_DDS_PARTICIPANT_H
#define HORUS_DDS_PARTICIPANT_H
#include "horus_dds_internal.h"

struct horus_dds_participant {
    dds_entity_t participant;
    dds_guid_t guid;
    dds_entity_t publications, subscriptions; /* builtin-topic readers, made on first list_endpoints */
    dds_entity_t domain; /* the domain this participant created (horus_dds_domain.c), 0 if it existed */
};

/* Creates domain `domain_id` with horus's defaults before the user's CYCLONEDDS_URI; 0 when it
 * was not created here (it exists, or no default applies: Cyclone's own configuration then). */
dds_entity_t hdds_domain_create(uint32_t domain_id);

int32_t hdds_participant_create(uint32_t domain_id, horus_dds_participant_t **out);
void hdds_participant_delete(horus_dds_participant_t *p);
int32_t hdds_writer_create(horus_dds_participant_t *p, const char *topic_name, const char *type_name,
                           const horus_dds_qos_t *q, horus_dds_writer_t **out);
void hdds_writer_delete(horus_dds_writer_t *w);
int32_t hdds_write(horus_dds_writer_t *w, const uint8_t *cdr, uint32_t size);
int32_t hdds_write_loan(horus_dds_writer_t *w, uint32_t size, uint8_t **buffer, void **loan);
int32_t hdds_write_commit(horus_dds_writer_t *w, void *loan);
void hdds_write_discard(void *loan);
int32_t hdds_writer_matched(horus_dds_writer_t *w, uint32_t *count);
int32_t hdds_reader_create(horus_dds_participant_t *p, const char *topic_name, const char *type_name,
                           const horus_dds_qos_t *q, horus_dds_reader_t **out);
void hdds_reader_delete(horus_dds_reader_t *r);
int32_t hdds_take(horus_dds_reader_t *r, horus_dds_sample_t *samples, uint32_t max);
void hdds_return_loan(void *loan);
int32_t hdds_reader_wait(horus_dds_reader_t *r, int64_t timeout_ns);
int32_t hdds_reader_stats(horus_dds_reader_t *r, horus_dds_reader_stats_t *out);
int32_t hdds_list_endpoints(horus_dds_participant_t *p, horus_dds_endpoint_info_t *out, uint32_t max);
/* The DDS reader entity of a horus reader (for the waitset file). */
dds_entity_t hdds_reader_entity(const horus_dds_reader_t *r);
int32_t hdds_waitset_create(horus_dds_participant_t *p, horus_dds_waitset_t **out);
void hdds_waitset_delete(horus_dds_waitset_t *w);
int32_t hdds_waitset_attach(horus_dds_waitset_t *w, horus_dds_reader_t *r);
int32_t hdds_waitset_wake(horus_dds_waitset_t *w);
int32_t hdds_waitset_wait(horus_dds_waitset_t *w, int64_t timeout_ns);

#endif
