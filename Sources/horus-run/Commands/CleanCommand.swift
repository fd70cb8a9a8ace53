import ArgumentParser
import HorusMemory
import HorusTopics

/// `horus-run clean`: removes the segments of crashed graphs from this namespace.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove the shared-memory segments of crashed graphs in this namespace.",
        discussion: """
        Looks at every topic and pool segment of this namespace (HORUS_NAMESPACE) in \
        /dev/shm and removes those that no live process uses (returning the pool references \
        held by a removed topic's entries first), plus files at horus names that are not \
        horus segments. Segments in use are kept. Prints one line per segment. Any horus \
        process does the same once when it opens its first topic.
        """
    )

    func run() throws {
        let outcomes = NamespaceSweep.run()
        for o in outcomes { Console.out("\(o)") }
        let removed = outcomes.filter(\.removed).count
        Console.out("removed \(removed) segment\(removed == 1 ? "" : "s"), kept \(outcomes.count - removed) in namespace \(HorusNamespace.current)")
    }
}
