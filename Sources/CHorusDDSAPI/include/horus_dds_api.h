/*
 * horus_dds_api.h -- the function table of libhorus_dds.so, version 1.
 *
 * libhorus_dds.so (target CHorusDDS) is the only horus code that links Cyclone DDS
 * (libddsc). horus programs never link it: they dlopen it when a bridge is asked for and
 * call ONE exported symbol,
 *
 *     const horus_dds_api_t *horus_dds_get_api(uint32_t version);
 *
 * which returns this table (NULL if the library does not implement `version`). So a
 * machine without Cyclone DDS builds and runs everything else.
 *
 * The layer moves serialized CDR only: every sample is the 4-byte encapsulation header
 * (e.g. 00 01 00 00 = CDR little endian) followed by the payload, exactly what a ROS 2
 * node publishes. Topic and type names are the caller's (ROS 2: topic "rt/<name>", type
 * "sensor_msgs::msg::dds_::Image_"); no DDS type information is announced, so endpoints
 * match on topic and type name like rmw_cyclonedds does.
 *
 * Errors: functions return 0 (HORUS_DDS_OK) or a negative HORUS_DDS_E*; last_error()
 * then holds a one-line message for the calling thread. Handles are opaque; a handle is
 * used by one thread at a time (a writer and a reader of one participant may be used from
 * different threads).
 */
#ifndef HORUS_DDS_API_H
#define HORUS_DDS_API_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Only the table's entries carry nullability (they are never NULL). */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnullability-completeness"
#endif

#define HORUS_DDS_API_VERSION 1u

/* Every table entry is set (Swift sees non-optional function pointers). */
#if defined(__clang__)
#define HORUS_DDS_FN _Nonnull
#define HORUS_DDS_NONNULL _Nonnull
#else
#define HORUS_DDS_FN
#define HORUS_DDS_NONNULL
#endif

enum {
    HORUS_DDS_OK = 0,
    HORUS_DDS_ERROR = -1,        /* DDS call failed (see last_error) */
    HORUS_DDS_EINVAL = -2,       /* bad argument (size, name, QoS) */
    HORUS_DDS_ENOMEM = -3,
    HORUS_DDS_ETIMEOUT = -4,     /* wait ended without data; or a reliable write was not sent (below) */
};

/* How long a reliable write may wait for its readers to acknowledge earlier samples before it
 * gives up: HORUS_DDS_ETIMEOUT, the sample is not sent. Shorter than a 30 Hz frame period, so
 * one stalled topic holds a bridge thread (and its other topics) for at most 20 ms per message;
 * long enough for a retransmission round trip on a loaded host. */
#define HORUS_DDS_MAX_BLOCKING_MS 20u

/* Opaque handles. */
typedef struct horus_dds_participant horus_dds_participant_t;
typedef struct horus_dds_writer horus_dds_writer_t;
typedef struct horus_dds_reader horus_dds_reader_t;
typedef struct horus_dds_waitset horus_dds_waitset_t;

/* Per-endpoint QoS. */
typedef struct horus_dds_qos {
    uint8_t reliable;          /* 1 = RELIABLE, 0 = BEST_EFFORT */
    uint8_t reserved[3];       /* zero */
    uint32_t history_depth;    /* >= 1. Best effort: KEEP_LAST depth. Reliable: KEEP_ALL with at most
                                  this many samples held (reader: untaken; a full reader makes the
                                  writer resend later); a writer is throttled by unacknowledged bytes
                                  and a write waiting longer than HORUS_DDS_MAX_BLOCKING_MS fails with
                                  HORUS_DDS_ETIMEOUT: a loss the caller counts, never a silent one */
    uint32_t max_sample_size;  /* reader: larger samples are dropped and counted; 0 = 64 MiB */
} horus_dds_qos_t;

/* One taken sample: `data` (encapsulation header included) stays valid until
 * return_loan(loan). The bytes are the one copy DDS made from the network. */
typedef struct horus_dds_sample {
    const uint8_t *data;
    uint32_t size;
    uint32_t reserved;
    int64_t source_timestamp_ns;
    void *loan;
} horus_dds_sample_t;

/* Reader counters (monotonic since the reader was created). */
typedef struct horus_dds_reader_stats {
    uint64_t rejected;           /* samples dropped on arrival: size > max, < 4, unknown encapsulation */
    uint64_t lost;               /* DDS SAMPLE_LOST total */
    uint32_t matched_writers;    /* currently matched remote writers */
    uint32_t reserved;
} horus_dds_reader_stats_t;

/* A DDS endpoint discovered on the network (not this participant's own). */
typedef struct horus_dds_endpoint_info {
    char topic_name[256];
    char type_name[256];
    uint8_t is_writer;           /* 1 = publication (DCPSPublication), 0 = subscription */
    uint8_t reliable;
    uint8_t reserved[6];
    uint8_t participant_guid[16];
} horus_dds_endpoint_info_t;

typedef struct horus_dds_api {
    uint32_t version;            /* HORUS_DDS_API_VERSION */
    uint32_t size;               /* sizeof(horus_dds_api_t) of the library */

    /* "Cyclone DDS 0.10.2" or similar; static storage. */
    const char *HORUS_DDS_NONNULL (*HORUS_DDS_FN engine_version)(void);
    /* The calling thread's last error message (never NULL; static or thread-local). */
    const char *HORUS_DDS_NONNULL (*HORUS_DDS_FN last_error)(void);

    /* A participant on `domain_id` (configured by CYCLONEDDS_URI like any Cyclone program). */
    int32_t (*HORUS_DDS_FN participant_create)(uint32_t domain_id, horus_dds_participant_t **out);
    /* Deletes the participant and every writer and reader created on it. */
    void (*HORUS_DDS_FN participant_delete)(horus_dds_participant_t *participant);

    int32_t (*HORUS_DDS_FN writer_create)(horus_dds_participant_t *participant, const char *topic_name,
                             const char *type_name, const horus_dds_qos_t *qos,
                             horus_dds_writer_t **out);
    void (*HORUS_DDS_FN writer_delete)(horus_dds_writer_t *writer);
    /* Writes one serialized sample (copied once into a DDS buffer). size >= 4. Reliable writers:
     * HORUS_DDS_ETIMEOUT if earlier samples stay unacknowledged (see HORUS_DDS_MAX_BLOCKING_MS). */
    int32_t (*HORUS_DDS_FN write)(horus_dds_writer_t *writer, const uint8_t *cdr, uint32_t size);
    /* Zero-copy write: a buffer of `size` bytes to serialize into, then write_commit
     * (sends it and releases the loan) or write_discard. */
    int32_t (*HORUS_DDS_FN write_loan)(horus_dds_writer_t *writer, uint32_t size, uint8_t **buffer, void **loan);
    int32_t (*HORUS_DDS_FN write_commit)(horus_dds_writer_t *writer, void *loan);
    void (*HORUS_DDS_FN write_discard)(void *loan);
    /* Number of currently matched remote readers. */
    int32_t (*HORUS_DDS_FN writer_matched)(horus_dds_writer_t *writer, uint32_t *count);

    int32_t (*HORUS_DDS_FN reader_create)(horus_dds_participant_t *participant, const char *topic_name,
                             const char *type_name, const horus_dds_qos_t *qos,
                             horus_dds_reader_t **out);
    void (*HORUS_DDS_FN reader_delete)(horus_dds_reader_t *reader);
    /* Takes up to `max` samples; returns the count (>= 0) or an error. Each taken sample's
     * loan must be given back with return_loan. */
    int32_t (*HORUS_DDS_FN take)(horus_dds_reader_t *reader, horus_dds_sample_t *samples, uint32_t max);
    void (*HORUS_DDS_FN return_loan)(void *loan);
    /* Blocks until the reader has data or `timeout_ns` passes (HORUS_DDS_ETIMEOUT). */
    int32_t (*HORUS_DDS_FN reader_wait)(horus_dds_reader_t *reader, int64_t timeout_ns);
    int32_t (*HORUS_DDS_FN reader_stats)(horus_dds_reader_t *reader, horus_dds_reader_stats_t *out);

    /* Fills up to `max` discovered endpoints of other participants (alive ones), returns
     * how many exist in total (may exceed max) or an error. */
    int32_t (*HORUS_DDS_FN list_endpoints)(horus_dds_participant_t *participant,
                              horus_dds_endpoint_info_t *out, uint32_t max);

    /* A waitset of one participant: wakes when any attached reader has data or when
     * waitset_wake is called (from any thread). Deleted before its participant. */
    int32_t (*HORUS_DDS_FN waitset_create)(horus_dds_participant_t *participant, horus_dds_waitset_t **out);
    void (*HORUS_DDS_FN waitset_delete)(horus_dds_waitset_t *waitset);
    /* Attaches a reader of the same participant (until the reader or the waitset is deleted). */
    int32_t (*HORUS_DDS_FN waitset_attach)(horus_dds_waitset_t *waitset, horus_dds_reader_t *reader);
    /* Makes the current or next waitset_wait return (thread-safe). */
    int32_t (*HORUS_DDS_FN waitset_wake)(horus_dds_waitset_t *waitset);
    /* Blocks until an attached reader has data or a wake, or `timeout_ns` passes
     * (HORUS_DDS_ETIMEOUT). A wake is consumed before returning, so a wake made while the
     * caller handles what woke it makes the next wait return at once. */
    int32_t (*HORUS_DDS_FN waitset_wait)(horus_dds_waitset_t *waitset, int64_t timeout_ns);
} horus_dds_api_t;

typedef const horus_dds_api_t *(*horus_dds_get_api_fn)(uint32_t version);

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#ifdef __cplusplus
}
#endif

#endif
