/*
 * The sertype/serdata pair that puts caller-made CDR bytes on the wire under any type
 * name (the technique rmw_cyclonedds uses): Cyclone sees an opaque, keyless type whose
 * serialized form IS the sample. No type information (XTypes) is attached, so remote
 * endpoints match on topic and type name alone.
 *
 * Data from the network is untrusted: from_ser checks the total size against the type's
 * limit, that every fragment lies inside the sample, and the encapsulation identifier,
 * before copying; rejected samples are counted on the type and never reach a reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dds/ddsi/q_radmin.h"
#include "horus_dds_internal.h"

/* ---- buffer cache: a few freed blocks, process wide, lock-free (one exchange per slot) ---- */

static _Atomic(struct hdds_serdata *) block_cache[HORUS_DDS_CACHE_SLOTS];

static struct hdds_serdata *block_get(uint32_t capacity) {
    for (int i = 0; i < HORUS_DDS_CACHE_SLOTS; i++) {
        struct hdds_serdata *b = atomic_load_explicit(&block_cache[i], memory_order_relaxed);
        if (b == NULL || b->capacity < capacity) continue;
        b = atomic_exchange_explicit(&block_cache[i], NULL, memory_order_acquire);
        if (b == NULL) continue;
        if (b->capacity >= capacity) return b;
        free(b); /* raced with a smaller block put in meanwhile */
    }
    struct hdds_serdata *b = malloc(sizeof(*b) + capacity);
    if (b != NULL) b->capacity = capacity;
    return b;
}

static void block_put(struct hdds_serdata *b) {
    for (int i = 0; i < HORUS_DDS_CACHE_SLOTS; i++) {
        struct hdds_serdata *expected = NULL;
        if (atomic_compare_exchange_strong_explicit(&block_cache[i], &expected, b,
                                                    memory_order_release, memory_order_relaxed))
            return;
    }
    free(b);
}

static uint32_t align4(uint32_t n) { return (n + 3u) & ~3u; }

static struct hdds_serdata *serdata_alloc(const struct ddsi_sertype *type, enum ddsi_serdata_kind kind, uint32_t size) {
    if (size > UINT32_MAX - 3u) return NULL;
    struct hdds_serdata *d = block_get(align4(size));
    if (d == NULL) return NULL;
    ddsi_serdata_init(&d->c, type, kind);
    d->size = size;
    /* DDSI may send up to alignup4(size): the padding bytes are zero, never stale data. */
    memset(d->data + size, 0, align4(size) - size);
    return d;
}

struct hdds_serdata *hdds_serdata_new(const struct hdds_sertype *type, uint32_t size) {
    return serdata_alloc(&type->c, SDK_DATA, size);
}

/* A keyless type's KEY (dispose/unregister) sample carries no bytes. */
static struct ddsi_serdata *empty_serdata(const struct ddsi_sertype *type, enum ddsi_serdata_kind kind) {
    struct hdds_serdata *d = serdata_alloc(type, kind, 0);
    return d ? &d->c : NULL;
}

/* The identifiers ROS 2 uses (XCDR1, plain CDR): 0x0000 big endian, 0x0001 little endian. */
static int encapsulation_ok(const uint8_t *header) {
    return header[0] == 0 && (header[1] == 0 || header[1] == 1);
}

/* DDSI carries every payload padded to a multiple of 4. A writer that follows XTypes 1.3
 * says how many of the last bytes are padding in the options' low two bits: drop those.
 * (Writers that leave the bits 0 deliver up to 3 trailing zero bytes, which CDR decoders ignore.) */
static void strip_declared_padding(struct hdds_serdata *d) {
    uint32_t pad = d->data[3] & 3u;
    if (pad <= d->size - 4) d->size -= pad;
}

static struct ddsi_serdata *reject(const struct ddsi_sertype *type, struct hdds_serdata *d) {
    struct hdds_sertype *t = (struct hdds_sertype *)type;
    atomic_fetch_add_explicit(&t->rejected, 1, memory_order_relaxed);
    if (d != NULL) block_put(d);
    return NULL;
}

/* ---- serdata ops ---- */

static bool sd_eqkey(const struct ddsi_serdata *a, const struct ddsi_serdata *b) {
    (void)a; (void)b;
    return true; /* keyless */
}

static uint32_t sd_get_size(const struct ddsi_serdata *dc) {
    return ((const struct hdds_serdata *)dc)->size;
}

static struct ddsi_serdata *sd_from_ser(const struct ddsi_sertype *type, enum ddsi_serdata_kind kind,
                                        const struct nn_rdata *frag, size_t size) {
    const struct hdds_sertype *t = (const struct hdds_sertype *)type;
    if (kind != SDK_DATA) return empty_serdata(type, kind);
    if (size < 4 || size > t->max_sample_size) return reject(type, NULL);
    if (frag == NULL || frag->min != 0 || frag->maxp1 < 4) return reject(type, NULL);
    struct hdds_serdata *d = serdata_alloc(type, kind, (uint32_t)size);
    if (d == NULL) return NULL;
    uint32_t off = 0;
    for (; frag != NULL; frag = frag->nextfrag) {
        /* Fragments arrive in order and may overlap; each must lie inside the sample. */
        if (frag->min > off || frag->maxp1 > size) return reject(type, d);
        if (frag->maxp1 <= off) continue;
        const unsigned char *payload = NN_RMSG_PAYLOADOFF(frag->rmsg, NN_RDATA_PAYLOAD_OFF(frag));
        memcpy(d->data + off, payload + (off - frag->min), frag->maxp1 - off);
        off = frag->maxp1;
    }
    if (off != size || !encapsulation_ok(d->data)) return reject(type, d);
    strip_declared_padding(d);
    return &d->c;
}

static struct ddsi_serdata *sd_from_ser_iov(const struct ddsi_sertype *type, enum ddsi_serdata_kind kind,
                                            ddsrt_msg_iovlen_t niov, const ddsrt_iovec_t *iov, size_t size) {
    const struct hdds_sertype *t = (const struct hdds_sertype *)type;
    if (kind != SDK_DATA) return empty_serdata(type, kind);
    if (size < 4 || size > t->max_sample_size) return reject(type, NULL);
    struct hdds_serdata *d = serdata_alloc(type, kind, (uint32_t)size);
    if (d == NULL) return NULL;
    size_t off = 0;
    for (ddsrt_msg_iovlen_t i = 0; i < niov; i++) {
        if (iov[i].iov_len > size - off) return reject(type, d);
        memcpy(d->data + off, iov[i].iov_base, iov[i].iov_len);
        off += iov[i].iov_len;
    }
    if (off != size || !encapsulation_ok(d->data)) return reject(type, d);
    strip_declared_padding(d);
    return &d->c;
}

static struct ddsi_serdata *sd_from_keyhash(const struct ddsi_sertype *type, const struct ddsi_keyhash *kh) {
    (void)kh;
    return empty_serdata(type, SDK_KEY);
}

/* A "sample" of this type is a horus_dds_sample_t whose data/size are the CDR bytes. */
static struct ddsi_serdata *sd_from_sample(const struct ddsi_sertype *type, enum ddsi_serdata_kind kind, const void *sample) {
    const horus_dds_sample_t *s = sample;
    uint32_t size = kind == SDK_DATA ? s->size : 0;
    struct hdds_serdata *d = serdata_alloc(type, kind, size);
    if (d == NULL) return NULL;
    if (size) memcpy(d->data, s->data, size);
    return &d->c;
}

static struct ddsi_serdata *sd_to_untyped(const struct ddsi_serdata *dc) {
    struct hdds_serdata *d = serdata_alloc(dc->type, SDK_KEY, 0);
    if (d == NULL) return NULL;
    d->c.type = NULL;
    return &d->c;
}

static void sd_to_ser(const struct ddsi_serdata *dc, size_t off, size_t sz, void *buf) {
    const struct hdds_serdata *d = (const struct hdds_serdata *)dc;
    memcpy(buf, d->data + off, sz); /* off + sz <= alignup4(size) <= capacity */
}

static struct ddsi_serdata *sd_to_ser_ref(const struct ddsi_serdata *dc, size_t off, size_t sz, ddsrt_iovec_t *ref) {
    const struct hdds_serdata *d = (const struct hdds_serdata *)dc;
    ref->iov_base = (void *)(d->data + off);
    ref->iov_len = (ddsrt_iov_len_t)sz;
    return ddsi_serdata_ref(dc);
}

static void sd_to_ser_unref(struct ddsi_serdata *dc, const ddsrt_iovec_t *ref) {
    (void)ref;
    ddsi_serdata_unref(dc);
}

static bool sd_to_sample(const struct ddsi_serdata *dc, void *sample, void **bufptr, void *buflim) {
    (void)bufptr; (void)buflim;
    const struct hdds_serdata *d = (const struct hdds_serdata *)dc;
    horus_dds_sample_t *s = sample;
    s->data = d->data;
    s->size = d->size;
    return true;
}

static bool sd_untyped_to_sample(const struct ddsi_sertype *type, const struct ddsi_serdata *d, void *sample, void **bufptr, void *buflim) {
    (void)type; (void)d; (void)bufptr; (void)buflim;
    horus_dds_sample_t *s = sample;
    s->data = NULL;
    s->size = 0;
    return true;
}

static void sd_free(struct ddsi_serdata *dc) {
    block_put((struct hdds_serdata *)dc);
}

static size_t sd_print(const struct ddsi_sertype *type, const struct ddsi_serdata *dc, char *buf, size_t bufsize) {
    (void)type;
    int n = snprintf(buf, bufsize, "cdr(%u bytes)", ((const struct hdds_serdata *)dc)->size);
    return n < 0 ? 0 : (size_t)n;
}

static void sd_get_keyhash(const struct ddsi_serdata *d, struct ddsi_keyhash *buf, bool force_md5) {
    (void)d; (void)force_md5;
    memset(buf, 0, sizeof(*buf));
}

static const struct ddsi_serdata_ops serdata_ops = {
    .eqkey = sd_eqkey,
    .get_size = sd_get_size,
    .from_ser = sd_from_ser,
    .from_ser_iov = sd_from_ser_iov,
    .from_keyhash = sd_from_keyhash,
    .from_sample = sd_from_sample,
    .to_ser = sd_to_ser,
    .to_ser_ref = sd_to_ser_ref,
    .to_ser_unref = sd_to_ser_unref,
    .to_sample = sd_to_sample,
    .to_untyped = sd_to_untyped,
    .untyped_to_sample = sd_untyped_to_sample,
    .free = sd_free,
    .print = sd_print,
    .get_keyhash = sd_get_keyhash,
#ifdef DDS_HAS_SHM
    .get_sample_size = ddsi_serdata_iox_size,
    .from_iox_buffer = NULL,
#endif
};

/* ---- sertype ops ---- */

static void st_free(struct ddsi_sertype *tc) {
    ddsi_sertype_fini(tc);
    free(tc);
}

static void st_zero_samples(const struct ddsi_sertype *t, void *samples, size_t count) {
    (void)t;
    memset(samples, 0, count * sizeof(horus_dds_sample_t));
}

static void st_realloc_samples(void **ptrs, const struct ddsi_sertype *t, void *old, size_t oldcount, size_t count) {
    (void)t;
    horus_dds_sample_t *s = realloc(old, count * sizeof(*s));
    if (s != NULL && count > oldcount) memset(s + oldcount, 0, (count - oldcount) * sizeof(*s));
    for (size_t i = 0; i < count; i++) ptrs[i] = s ? &s[i] : NULL;
}

static void st_free_samples(const struct ddsi_sertype *t, void **ptrs, size_t count, dds_free_op_t op) {
    (void)t;
    if (count > 0 && (op & DDS_FREE_ALL_BIT)) free(ptrs[0]); /* samples only point into serdata */
}

static bool st_equal(const struct ddsi_sertype *a, const struct ddsi_sertype *b) {
    return ((const struct hdds_sertype *)a)->max_sample_size == ((const struct hdds_sertype *)b)->max_sample_size;
}

static uint32_t st_hash(const struct ddsi_sertype *t) {
    return ((const struct hdds_sertype *)t)->max_sample_size * 2654435761u;
}

static size_t st_get_serialized_size(const struct ddsi_sertype *t, const void *sample) {
    (void)t;
    return ((const horus_dds_sample_t *)sample)->size;
}

static bool st_serialize_into(const struct ddsi_sertype *t, const void *sample, void *dst, size_t dst_size) {
    (void)t;
    const horus_dds_sample_t *s = sample;
    if (dst_size < s->size) return false;
    memcpy(dst, s->data, s->size);
    return true;
}

static const struct ddsi_sertype_ops sertype_ops = {
    .version = ddsi_sertype_v0,
    .arg = NULL,
    .free = st_free,
    .zero_samples = st_zero_samples,
    .realloc_samples = st_realloc_samples,
    .free_samples = st_free_samples,
    .equal = st_equal,
    .hash = st_hash,
    /* No type id / map / info: nothing XTypes to announce or check (as rmw_cyclonedds). */
    .type_id = NULL,
    .type_map = NULL,
    .type_info = NULL,
    .derive_sertype = NULL,
    .get_serialized_size = st_get_serialized_size,
    .serialize_into = st_serialize_into,
};

struct hdds_sertype *hdds_sertype_new(const char *type_name, uint32_t max_sample_size) {
    struct hdds_sertype *t = calloc(1, sizeof(*t));
    if (t == NULL) return NULL;
    ddsi_sertype_init_flags(&t->c, type_name, &sertype_ops, &serdata_ops, DDSI_SERTYPE_FLAG_TOPICKIND_NO_KEY);
    t->c.allowed_data_representation = DDS_DATA_REPRESENTATION_FLAG_XCDR1;
    t->max_sample_size = max_sample_size;
    atomic_init(&t->rejected, 0);
    return t;
}
