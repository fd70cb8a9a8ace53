import HorusGraph
import HorusMemory

/// Small node types used by horus-run's own tests (enabled with `HORUS_RUN_TEST_NODES=1`),
/// so the CLI can run real graphs before the built-in nodes are in the catalog.
///
/// - `cli_test_source`: periodic (default 50 Hz); publishes an `Image` (`height` x `width`,
///   rgb8, frame `cli`) on `out`, timestamped with the graph clock.
/// - `cli_test_relay`: forwards every `Image` from `in` to `out`.
/// - `cli_test_sink`: consumes `Image`s from `in`.
/// - `cli_test_fail`: fails in configure (to test exit codes).
/// - `cli_test_tick_fail`: periodic (default 50 Hz); every tick fails (to test exit code 4).
enum CLITestNodes {
    static func register(in catalog: inout NodeCatalog) throws {
        try catalog.register(NodeTypeSpec(name: "cli_test_source", doc: "test image source",
                                          ports: [.output("out", .image)],
                                          params: [ParamSpec("height", .int, default: .int(24), min: 1, max: 4096),
                                                   ParamSpec("width", .int, default: .int(32), min: 1, max: 4096)],
                                          defaultTrigger: .periodic(hz: 50)),
                             factory: { SourceNode() })
        try catalog.register(NodeTypeSpec(name: "cli_test_relay", doc: "test relay",
                                          ports: [.input("in", .image), .output("out", .image)]),
                             factory: { RelayNode() })
        try catalog.register(NodeTypeSpec(name: "cli_test_sink", doc: "test sink", ports: [.input("in", .image)]),
                             factory: { SinkNode() })
        try catalog.register(NodeTypeSpec(name: "cli_test_fail", doc: "fails to configure", ports: [.input("in", .image)]),
                             factory: { FailNode() })
        try catalog.register(NodeTypeSpec(name: "cli_test_tick_fail", doc: "fails every tick",
                                          defaultTrigger: .periodic(hz: 50)),
                             factory: { TickFailNode() })
    }

    final class SourceNode: Node {
        var out: OutputPort<Image>!
        var h = 24, w = 32, n = 0
        func configure(_ c: NodeContext) throws {
            out = try c.output("out", as: Image.self)
            h = c.int("height"); w = c.int("width")
        }
        func tick(_ c: NodeContext) throws {
            let img = try Image(height: h, width: w, encoding: .rgb8, pool: c.pool, timestampNs: c.clock.now(), frameID: "cli")
            let b = img.bytes
            for k in 0..<b.count { b[k] = UInt8(truncatingIfNeeded: n &+ k) }
            n += 1
            try out.publish(img)
        }
    }

    final class RelayNode: Node {
        var inPort: InputPort<Image>!
        var out: OutputPort<Image>!
        func configure(_ c: NodeContext) throws {
            inPort = try c.input("in", as: Image.self)
            out = try c.output("out", as: Image.self)
        }
        func tick(_ c: NodeContext) throws {
            while let img = inPort.next() { try out.publish(img) }
        }
    }

    final class SinkNode: Node {
        var inPort: InputPort<Image>!
        func configure(_ c: NodeContext) throws { inPort = try c.input("in", as: Image.self) }
        func tick(_ c: NodeContext) throws { while inPort.next() != nil {} }
    }

    struct Refused: Error, CustomStringConvertible { var description: String { "refused on purpose" } }

    final class FailNode: Node {
        func configure(_ c: NodeContext) throws { throw Refused() }
        func tick(_ c: NodeContext) throws {}
    }

    final class TickFailNode: Node {
        func configure(_ c: NodeContext) throws {}
        func tick(_ c: NodeContext) throws { throw Refused() }
    }
}
