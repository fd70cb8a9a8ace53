// horus-dds-probe: a peer over HorusDDS for the two-namespace tests and the DDS round-trip
// benchmark. Commands:
//   publish --topic T --type N --files a.cdr,b.cdr [--count K] [--interval-ms M] [--wait-match-s S]
//           [--primer-file P --go-file G]   (P every 50 ms until file G exists, then the files)
//   take    --topic T --type N --count K|--until-file F [--out-dir D] [--timeout-s S] [--max-size B]
//   burst   --topic T --type N --size B --count K --go-file G    (prints "write <i> ok|timeout <us>" per write)
//   seqpub  --topic T --type N --size B --rate-hz R --duration-s D    (payload carries a sequence number;
//           ends with "final <last seq> timeouts=<reliable writes not sent>")
//   seqsub  --topic T --type N --duration-s D                          (prints "got <seq> <monotonic ns>")
//   list    --seconds S
//   ping    --size B [--duration-s D] [--warmup W]  /  pong [--seconds S] (one round trip at a time;
//           ping prints a percentile row per second and one for the whole run)
//   bench   [--size B] [--seconds S] [--rounds R]   ping/pong vs ddsperf between two namespaces (root)
// Common: --domain N (default 0), --best-effort, --depth D, --max-size B. Lines are flushed as they happen.
import Foundation
import HorusDDS

setvbuf(stdout, nil, _IOLBF, 0)
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write("usage: horus-dds-probe publish|take|burst|seqpub|seqsub|list|ping|pong|bench --options\n".data(using: .utf8)!)
    exit(2)
}
do {
    let options = try Options(arguments.dropFirst(2))
    if arguments[1] == "bench" { try bench(options); exit(0) } // runs the peers in namespaces; no participant here
    let participant = try DDSParticipant(domain: UInt32(try options.int("domain", 0)))
    switch arguments[1] {
    case "publish": try publish(participant, options)
    case "take": try take(participant, options)
    case "burst": try burst(participant, options)
    case "seqpub": try seqPublish(participant, options)
    case "seqsub": try seqSubscribe(participant, options)
    case "list": try list(participant, options)
    case "ping": try ping(participant, options)
    case "pong": try pong(participant, options)
    default: throw ProbeError("unknown command \(arguments[1])")
    }
} catch {
    FileHandle.standardError.write("horus-dds-probe: \(error)\n".data(using: .utf8)!)
    exit(2)
}
