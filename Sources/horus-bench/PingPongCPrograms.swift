#if canImport(Glibc)
import Glibc
#endif

/// The C sides of `horus-bench pingpong`: one program over horus's public C API
/// (libhorus_c.so) and one over iceoryx's C binding, compiled at bench time with `cc`
/// (horus-bench itself never links either library). Both take the same arguments,
///     prog ping|echo <bytes> fresh|republish <count> <cpu> <results-file>
/// and measure the same thing: the ping side stamps a sequence number into the first 8
/// bytes of a sample of <bytes> (a fresh loan per message, or with `republish` one
/// sample published again and again), publishes it on "ping", and busy-polls "pong"
/// until the echo side answers with that number in a 64-byte sample; it writes
/// <count> round-trip times (int64 ns, after an int64 count) to <results-file>. <tag>
/// makes the run's topic (and iceoryx runtime) names unique.
enum PingPongCPrograms {
    /// Shared by both programs: clock, CPU pinning, the results file.
    static let common = #"""
    #define _GNU_SOURCE
    #include <sched.h>
    #include <stdint.h>
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>
    #include <time.h>
    static uint64_t now_ns(void) {
      struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
      return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    }
    static void pin(int cpu) {
      if (cpu < 0) return;
      cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu, &s); sched_setaffinity(0, sizeof s, &s);
    }
    static int write_results(const char *path, const int64_t *v, int64_t n) {
      FILE *f = fopen(path, "wb");
      if (!f) { perror(path); return 1; }
      fwrite(&n, 8, 1, f); fwrite(v, 8, (size_t)n, f); fclose(f);
      return 0;
    }
    #define DIE(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(2); } while (0)
    #define DEADLINE_NS 20000000000ull
    """#

    /// Over horus_c_api.h: loans (horus_tensor_loan), publish, receive_sample with a
    /// spinning subscriber.
    static let horus = common + "\n" + #"""
    #include "horus_c_api.h"
    static void ok(int rc, const char *call) { if (rc < 0) DIE("%s: %s", call, horus_last_error()); }
    #define OK(call) ok((call), #call)
    int main(int argc, char **argv) {
      if (argc != 8) DIE("usage: %s ping|echo bytes fresh|republish count cpu results tag", argv[0]);
      int ping = strcmp(argv[1], "ping") == 0, fresh = strcmp(argv[3], "fresh") == 0;
      int64_t bytes = atoll(argv[2]), count = atoll(argv[4]);
      pin(atoi(argv[5]));
      horus_pool_t *pool; OK(horus_pool_open("pingpong", &pool));
      horus_publisher_t *pub; horus_subscriber_t *sub;
      char pingt[64], pongt[64];
      snprintf(pingt, sizeof pingt, "%s-ping", argv[7]); snprintf(pongt, sizeof pongt, "%s-pong", argv[7]);
      OK(horus_publisher_create(ping ? pingt : pongt, HORUS_KIND_TENSOR, 4, &pub));
      OK(horus_subscriber_create(ping ? pongt : pingt, HORUS_KIND_TENSOR, 0, 4, HORUS_WAIT_SPIN, &sub));
      int64_t shape = ping ? bytes : 64;
      horus_tensor_t *kept = NULL;
      if (!ping || !fresh) OK(horus_tensor_loan(pool, &shape, 1, HORUS_DTYPE_U8, &kept));
      horus_received_t r;
      if (!ping) {  /* answer each ping with the kept 64-byte sample */
        for (int64_t i = 0; i < count; i++) {
          int rc = horus_subscriber_receive_sample(sub, 20000, &r);
          if (rc != HORUS_OK) DIE("echo: no ping %lld (%d: %s)", (long long)i, rc, horus_last_error());
          uint64_t seq; memcpy(&seq, r.info.data, 8);
          OK(horus_tensor_release(r.handle));
          void *d; OK(horus_tensor_data(kept, &d)); memcpy(d, &seq, 8);
          OK(horus_publisher_publish(pub, kept));
        }
        return 0;
      }
      int64_t subs = 0;
      for (uint64_t t0 = now_ns(); subs < 1; OK(horus_publisher_subscriber_count(pub, &subs)))
        if (now_ns() - t0 > DEADLINE_NS) DIE("ping: no echo process subscribed");
      int64_t *rtt = malloc(sizeof(int64_t) * (size_t)count);
      for (int64_t i = 0; i < count; i++) {
        uint64_t seq = (uint64_t)i + 1, t0 = now_ns();
        horus_tensor_t *s = kept;
        if (fresh) OK(horus_tensor_loan(pool, &shape, 1, HORUS_DTYPE_U8, &s));
        void *d; OK(horus_tensor_data(s, &d)); memcpy(d, &seq, 8);
        OK(horus_publisher_publish(pub, s));
        if (fresh) OK(horus_tensor_release(s));
        for (;;) {
          int rc = horus_subscriber_receive_sample(sub, 20000, &r);
          if (rc != HORUS_OK) DIE("ping: no answer to %llu (%d: %s)", (unsigned long long)seq, rc, horus_last_error());
          uint64_t got; memcpy(&got, r.info.data, 8);
          OK(horus_tensor_release(r.handle));
          if (got == seq) break;
        }
        rtt[i] = (int64_t)(now_ns() - t0);
      }
      horus_tensor_release(kept);
      horus_subscriber_destroy(sub);
      horus_publisher_destroy(pub);
      return write_results(argv[6], rtt, count);
    }
    """#

    /// Over iceoryx_binding_c (iceoryx 2.x): a loaned chunk per message (iceoryx's way;
    /// a published chunk cannot be published again, so `republish` is not offered).
    static let iceoryx = common + "\n" + #"""
    #include "iceoryx_binding_c/runtime.h"
    #include "iceoryx_binding_c/publisher.h"
    #include "iceoryx_binding_c/subscriber.h"
    #include "iceoryx_binding_c/enums.h"
    #include "iceoryx_binding_c/types.h"
    #include "iceoryx_binding_c/log.h"
    int main(int argc, char **argv) {
      if (argc != 8) DIE("usage: %s ping|echo bytes fresh count cpu results tag", argv[0]);
      int ping = strcmp(argv[1], "ping") == 0;
      int64_t bytes = atoll(argv[2]), count = atoll(argv[4]);
      pin(atoi(argv[5]));
      char name[96]; snprintf(name, sizeof name, "%s-%s", argv[7], argv[1]);
      iox_set_loglevel(Iceoryx_LogLevel_Warn);
      iox_runtime_init(name);
      iox_pub_options_t po; iox_pub_options_init(&po); po.historyCapacity = 0;
      iox_sub_options_t so; iox_sub_options_init(&so); so.queueCapacity = 4; so.historyRequest = 0;
      iox_pub_storage_t ps; iox_sub_storage_t ss;
      iox_pub_t pub = iox_pub_init(&ps, "horus", argv[7], ping ? "ping" : "pong", &po);
      iox_sub_t sub = iox_sub_init(&ss, "horus", argv[7], ping ? "pong" : "ping", &so);
      uint64_t t0 = now_ns();
      while (iox_sub_get_subscription_state(sub) != SubscribeState_SUBSCRIBED || !iox_pub_has_subscribers(pub))
        if (now_ns() - t0 > DEADLINE_NS) DIE("%s: the other side did not connect", argv[1]);
      const void *in; void *out;
      if (!ping) {
        for (int64_t i = 0; i < count; i++) {
          uint64_t w = now_ns();
          while (iox_sub_take_chunk(sub, &in) != ChunkReceiveResult_SUCCESS)
            if (now_ns() - w > DEADLINE_NS) DIE("echo: no ping %lld", (long long)i);
          uint64_t seq; memcpy(&seq, in, 8);
          iox_sub_release_chunk(sub, in);
          if (iox_pub_loan_chunk(pub, &out, 64) != AllocationResult_SUCCESS) DIE("echo: loan failed");
          memcpy(out, &seq, 8);
          iox_pub_publish_chunk(pub, out);
        }
        t0 = now_ns();  /* let the last answer be taken before this publisher goes */
        while (now_ns() - t0 < 200000000ull) {}
      } else {
        int64_t *rtt = malloc(sizeof(int64_t) * (size_t)count);
        for (int64_t i = 0; i < count; i++) {
          uint64_t seq = (uint64_t)i + 1, t = now_ns();
          if (iox_pub_loan_chunk(pub, &out, (uint32_t)bytes) != AllocationResult_SUCCESS) DIE("ping: loan of %lld B failed", (long long)bytes);
          memcpy(out, &seq, 8);
          iox_pub_publish_chunk(pub, out);
          for (;;) {
            while (iox_sub_take_chunk(sub, &in) != ChunkReceiveResult_SUCCESS)
              if (now_ns() - t > DEADLINE_NS) DIE("ping: no answer to %llu", (unsigned long long)seq);
            uint64_t got; memcpy(&got, in, 8);
            iox_sub_release_chunk(sub, in);
            if (got == seq) break;
          }
          rtt[i] = (int64_t)(now_ns() - t);
        }
        if (write_results(argv[6], rtt, count)) return 1;
      }
      iox_sub_deinit(sub);
      iox_pub_deinit(pub);
      iox_runtime_shutdown();
      return 0;
    }
    """#

    /// RouDi's memory: iceoryx's default pools plus chunks big enough for 6,220,800 B.
    static let roudiConfig = """
    [general]
    version = 1

    [[segment]]

    [[segment.mempool]]
    size = 128
    count = 10000

    [[segment.mempool]]
    size = 1024
    count = 5000

    [[segment.mempool]]
    size = 16384
    count = 1000

    [[segment.mempool]]
    size = 131072
    count = 200

    [[segment.mempool]]
    size = 1048576
    count = 32

    [[segment.mempool]]
    size = 8388608
    count = 16
    """

    /// The per-message instruction count probe (`pingpong --callgrind`): one process
    /// publishes a 1920x1080 rgb8 Image (a fresh loan per message, or one re-published)
    /// and receives it on the same topic, `count` times; callgrind runs it twice and the
    /// difference divided by the extra messages is the cost of one publish + receive.
    static let costProbe = #"""
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>
    #include "horus_c_api.h"
    static void ok(int rc, const char *w) { if (rc < 0) { fprintf(stderr, "%s: %s\n", w, horus_last_error()); exit(2); } }
    int main(int argc, char **argv) {
      long n = atol(argv[1]); int fresh = strcmp(argv[2], "fresh") == 0;
      horus_pool_t *pool; ok(horus_pool_open("cg", &pool), "pool");
      horus_publisher_t *pub; horus_subscriber_t *sub;
      ok(horus_publisher_create("cg", HORUS_KIND_IMAGE, 4, &pub), "publisher");
      ok(horus_subscriber_create("cg", HORUS_KIND_IMAGE, 0, 4, HORUS_WAIT_SPIN, &sub), "subscriber");
      horus_tensor_t *kept; ok(horus_image_loan(pool, 1080, 1920, "rgb8", &kept), "loan");
      horus_received_t r;
      for (long i = 0; i < n; i++) {
        horus_tensor_t *s = kept;
        if (fresh) ok(horus_image_loan(pool, 1080, 1920, "rgb8", &s), "loan");
        ok(horus_tensor_set_timestamp(s, (uint64_t)i), "timestamp");
        ok(horus_publisher_publish(pub, s), "publish");
        if (fresh) horus_tensor_release(s);
        ok(horus_subscriber_receive_sample(sub, 1000, &r), "receive");
        horus_tensor_release(r.handle);
      }
      horus_tensor_release(kept);
      horus_subscriber_destroy(sub);
      horus_publisher_destroy(pub);
      return 0;
    }
    """#

    /// The same probe through the Python package: loan (or re-publish), send, recv,
    /// to_numpy(), timestamp_ns.
    static let pythonCostProbe = """
    import sys, horus
    def main(n, fresh):  # a function: locals, not the module's dict, in the loop
        pub = horus.Publisher("cg", horus.Image, capacity=4)
        sub = horus.Subscriber("cg", horus.Image, capacity=4, wait="spin")
        kept = horus.Image.empty(1080, 1920, "rgb8")
        for i in range(n):
            s = pub.loan(1080, 1920, "rgb8") if fresh else kept
            pub.send(s)
            r = sub.recv(1)
            a = r.to_numpy()
            t = r.timestamp_ns
            del s, r, a
    main(int(sys.argv[1]), sys.argv[2] == "fresh")
    """
}
