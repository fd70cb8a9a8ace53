/* horus_dds_get_api: the library's one export, the versioned function table. */
#include "dds/version.h"
#include "CHorusDDS.h"
#include "horus_dds_participant.h"

static const char *engine_version(void) { return "Cyclone DDS " DDS_VERSION; }

static const horus_dds_api_t api_v1 = {
    .version = HORUS_DDS_API_VERSION,
    .size = sizeof(horus_dds_api_t),
    .engine_version = engine_version,
    .last_error = hdds_last_error,
    .participant_create = hdds_participant_create,
    .participant_delete = hdds_participant_delete,
    .writer_create = hdds_writer_create,
    .writer_delete = hdds_writer_delete,
    .write = hdds_write,
    .write_loan = hdds_write_loan,
    .write_commit = hdds_write_commit,
    .write_discard = hdds_write_discard,
    .writer_matched = hdds_writer_matched,
    .reader_create = hdds_reader_create,
    .reader_delete = hdds_reader_delete,
    .take = hdds_take,
    .return_loan = hdds_return_loan,
    .reader_wait = hdds_reader_wait,
    .reader_stats = hdds_reader_stats,
    .list_endpoints = hdds_list_endpoints,
    .waitset_create = hdds_waitset_create,
    .waitset_delete = hdds_waitset_delete,
    .waitset_attach = hdds_waitset_attach,
    .waitset_wake = hdds_waitset_wake,
    .waitset_wait = hdds_waitset_wait,
};

__attribute__((visibility("default")))
const horus_dds_api_t *horus_dds_get_api(uint32_t version) {
    return version == HORUS_DDS_API_VERSION ? &api_v1 : NULL;
}
