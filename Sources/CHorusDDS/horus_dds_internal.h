/* Internal declarations shared by the files of libhorus_dds.so (not installed, not Swift-visible). */
#ifndef HORUS_DDS_INTERNAL_H
#define HORUS_DDS_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>
#include "dds/dds.h"
#include "dds/ddsi/ddsi_sertype.h"
#include "dds/ddsi/ddsi_serdata.h"
#include "horus_dds_api.h"

/* Largest sample a reader accepts when the QoS leaves max_sample_size at 0. */
#define HORUS_DDS_DEFAULT_MAX_SAMPLE (64u << 20)
/* Freed sample buffers kept (process wide) for reuse (a 1.2 MB image must not be a fresh mmap each time). */
#define HORUS_DDS_CACHE_SLOTS 8

/* One serialized sample: header + payload in `data` (inline after the struct), zero-padded
 * to a multiple of 4 because DDSI may read up to alignup4(size). */
struct hdds_serdata {
    struct ddsi_serdata c;
    uint32_t size;      /* bytes including the 4-byte encapsulation header */
    uint32_t capacity;  /* bytes allocated at data, multiple of 4 */
    uint8_t data[];
};

/* The sertype of one (type name, max sample size): raw CDR, no key, no type information. */
struct hdds_sertype {
    struct ddsi_sertype c;
    uint32_t max_sample_size;
    _Atomic uint64_t rejected;
};

/* A fresh sertype (refcount owned by the caller until dds_create_topic_sertype takes it). */
struct hdds_sertype *hdds_sertype_new(const char *type_name, uint32_t max_sample_size);
/* A DATA serdata of `size` bytes (contents uninitialised except the padding), or NULL. */
struct hdds_serdata *hdds_serdata_new(const struct hdds_sertype *type, uint32_t size);

/* Sets the calling thread's last error and returns `code`. */
int32_t hdds_fail(int32_t code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *hdds_last_error(void);

#endif
