import ArgumentParser
import Foundation
import HorusMemory
import HorusTopics
import HorusDDS
#if canImport(Glibc)
import Glibc
#endif

/// `horus-run topics`: live topics of this namespace.
struct TopicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "List the live topics of running graphs in this namespace.",
        discussion: """
        Scans /dev/shm for this namespace's topic segments (HORUS_NAMESPACE), maps each one \
        read-only and validates its header before reading it; segments that do not validate \
        are skipped (listed with --verbose). Shows type, publishers and subscribers (live \
        processes only) and the publish rate, measured over --sample seconds. A topic whose \
        every process is dead (a crashed or killed graph) is marked stale; `horus-run clean` \
        removes it.
        """
    )

    @Flag(name: .long, help: "Print a JSON array instead of a table.")
    var json = false

    @Option(name: .long, help: "Seconds between the two published-count samples used for the rate.")
    var sample: Double = 0.5

    @Flag(name: .long, help: "Also report segments that were skipped and why.")
    var verbose = false

    @Flag(name: .long, help: "Also list the DDS topics other participants announce (Cyclone DDS, CYCLONEDDS_URI).")
    var remote = false

    @Option(name: .long, help: "DDS domain id for --remote.")
    var domain: UInt32 = 0

    @Option(name: .long, help: "Seconds to listen for DDS discovery with --remote.")
    var listen: Double = 2

    struct Entry: Encodable {
        var topic: String
        var type: String
        var capacity: Int
        var publishers: Int
        var subscribers: Int
        var pids: [Int32]
        var published: UInt64
        var rateHz: Double
        /// No live process uses the topic (left by a crashed graph).
        var stale: Bool
    }

    func validate() throws {
        if !(sample > 0 && sample <= 60) { throw ValidationError("--sample must be in (0, 60]") }
        if !(listen > 0 && listen <= 60) { throw ValidationError("--listen must be in (0, 60]") }
        if domain > 232 { throw ValidationError("--domain \(domain) is not in 0...232") }
    }

    func run() throws {
        if remote {
            let entries: [RemoteTopics.Entry]
            do { entries = try RemoteTopics.list(domain: domain, seconds: listen) } catch let e as DDSError {
                Console.errLine(e.message)
                throw ExitCode(1)
            }
            if !json { try listLocal(); Console.out("") }
            try RemoteTopics.print(entries, domain: domain, json: json)
            return
        }
        try listLocal()
    }

    private func listLocal() throws {
        let (rings, skipped) = TopicInspector.scan()
        let before = rings.map(\.publishedCount)
        let t0 = Date()
        if !rings.isEmpty { usleep(UInt32(sample * 1e6)) }
        let dt = Date().timeIntervalSince(t0)
        var entries: [Entry] = []
        for (i, r) in rings.enumerated() {
            let parts = r.participants
            let after = r.publishedCount
            entries.append(Entry(topic: r.topic, type: r.typeName, capacity: r.capacity,
                                 publishers: parts.reduce(0) { $0 + $1.publishers },
                                 subscribers: parts.reduce(0) { $0 + $1.subscribers },
                                 pids: parts.map(\.pid), published: after,
                                 rateHz: dt > 0 ? Double(after &- before[i]) / dt : 0, stale: parts.isEmpty))
        }
        if verbose { for s in skipped { Console.errLine("skipped \(s)") } }
        if json {
            Console.out(try Console.jsonLine(entries))
            return
        }
        if entries.isEmpty {
            Console.out("no live topics in namespace \(HorusNamespace.current)")
            return
        }
        var rows = [["topic", "type", "pubs", "subs", "rate Hz", "published", "pids"]]
        for e in entries {
            rows.append([e.topic, e.type, "\(e.publishers)", "\(e.subscribers)", Fmt.num(e.rateHz), "\(e.published)",
                         e.stale ? "stale (all processes dead)" : e.pids.map(String.init).joined(separator: ",")])
        }
        for l in Fmt.table(rows) { Console.out(l) }
        let stale = entries.filter(\.stale).count
        if stale > 0 { Console.out("\(stale) stale topic\(stale == 1 ? "" : "s"): `horus-run clean` removes \(stale == 1 ? "it" : "them")") }
    }
}
