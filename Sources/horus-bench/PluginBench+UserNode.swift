import CHorus
import Foundation
import HorusGraph
import HorusMemory
import HorusNodes
import HorusPlugins
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench plugins --plugin LIB --type T`: times a user's plugin node on reference
/// inputs. Each sample publishes one reference message on every wired input and ticks the
/// node; the baseline, interleaved in the same run, publishes the same messages and ticks an
/// empty built-in node. Any error (load, params, a failing tick) exits non-zero.
struct UserNodeBench {
    var libraryPath: String
    var typeName: String
    var params: [String]
    var width: Int
    var height: Int
    var samples: Int
    var json: Bool

    /// A node that does nothing: the baseline's tick.
    final class IdleNode: Node {
        func configure(_ context: NodeContext) throws {}
        func tick(_ context: NodeContext) throws {}
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    func run() throws {
        BuiltinNodes.registerMessageTypes()
        let lib = try PluginLibrary.load(path: libraryPath)
        guard let spec = lib.nodeType(typeName) else {
            throw Failure(description: "plugin '\(lib.path)' has no node type '\(typeName)'\(NameSuggester.didYouMean(typeName, from: lib.nodeTypes.map(\.name))) (exports \(lib.nodeTypes.map(\.name).joined(separator: ", ")))")
        }
        let values = try Self.paramValues(spec, params)
        let pool = try Pool.open(name: "userbench")
        let tag = "ub\(getpid())"
        let inputs = spec.inputs.map { PortWiring(port: $0.name, topic: "/\(tag)/in/\($0.name)", typeName: $0.messageType.rawValue) }
        let outputs = spec.outputs.map { PortWiring(port: $0.name, topic: "/\(tag)/out/\($0.name)", typeName: $0.messageType.rawValue) }
        let nodeContext = try NodeContext.wired(nodeName: typeName, params: values, pool: pool, inputs: inputs, outputs: outputs,
                                                capacity: 8, log: { Progress.note($0) })
        // The feeder publishes the reference inputs on the node's input topics.
        let feederOutputs = inputs.map { PortWiring(port: $0.port, topic: $0.topic, typeName: $0.typeName) }
        let feeder = try NodeContext.wired(nodeName: "feeder", pool: pool, outputs: feederOutputs, capacity: 8, log: { _ in })
        let publishers = try spec.inputs.map { try referencePublisher($0, feeder, pool) }
        let node = try lib.makeNode(type: typeName)
        try node.configure(nodeContext)
        try node.start(nodeContext)
        defer { node.stop(nodeContext) }
        let idle = IdleNode(), idleContext = try NodeContext.wired(nodeName: "idle", pool: pool, log: { _ in })

        var sampler = LatencySampler(samples: samples, batch: 1, warmupCalls: min(200, samples))
        sampler.label = "\(typeName) on \(describeInputs(spec))"
        let (a, b) = try sampler.measureInterleaved(
            { for p in publishers { try p() }; try node.tick(nodeContext) },
            { for p in publishers { try p() }; try idle.tick(idleContext) })
        let pa = Percentiles(a), pb = Percentiles(b)
        let result = BenchResult(name: "\(typeName) tick (+ input publish)", stats: pa,
                                 baselineName: "input publish + empty tick", baseline: pb, goal: nil,
                                 note: "inputs: \(describeInputs(spec)); the node's own time (p50 difference) \(formatNs(pa.p50 - pb.p50)); plugin \(lib.path)")
        BenchOutput.emit(bench: "plugins", title: "horus-bench plugins --type \(typeName) (\(samples) samples)", results: [result], json: json)
    }

    private func describeInputs(_ spec: NodeTypeSpec) -> String {
        spec.inputs.isEmpty ? "no inputs" : spec.inputs.map { "\($0.name): \(reference($0.messageType.rawValue))" }.joined(separator: ", ")
    }

    private func reference(_ type: String) -> String {
        switch type {
        case "Image": return "rgb8 \(width)x\(height)"
        case "DepthImage": return "float32 meters \(width)x\(height)"
        case "PointCloud": return "xyz \(width * height / 4) points"
        case "Tensor": return "float32 [\(width * height)]"
        default: return "\(type) (zero bytes)"
        }
    }

    /// A closure publishing one reference message for `port` (contents fixed, filled once).
    private func referencePublisher(_ port: PortSpec, _ feeder: NodeContext, _ pool: Pool) throws -> () throws -> Void {
        let name = port.name
        switch port.messageType.rawValue {
        case "Image":
            let out = try feeder.output(name, as: Image.self)
            let img = try Image(height: height, width: width, encoding: .rgb8, pool: pool)
            img.asTensor().withUnsafeMutableBufferPointer(as: UInt8.self) { p in for i in p.indices { p[i] = UInt8(truncatingIfNeeded: i &* 7) } }
            return { try out.publish(img) }
        case "DepthImage":
            let out = try feeder.output(name, as: DepthImage.self)
            let d = try DepthImage(height: height, width: width, pool: pool)
            d.asTensor().withUnsafeMutableBufferPointer(as: Float.self) { p in for i in p.indices { p[i] = 0.5 + Float(i % width) * 4.5 / Float(width) } }
            return { try out.publish(d) }
        case "PointCloud":
            let out = try feeder.output(name, as: PointCloud.self)
            let n = max(1, width * height / 4)
            let c = try PointCloud(count: n, format: .xyz, pool: pool)
            c.asTensor().withUnsafeMutableBufferPointer(as: Float.self) { p in for i in p.indices { p[i] = Float(i % 1000) * 0.01 } }
            return { try out.publish(c) }
        case "Tensor":
            let out = try feeder.output(name, as: Tensor.self)
            let t = try Tensor(shape: [width * height], dtype: .float32, pool: pool)
            t.withUnsafeMutableBufferPointer(as: Float.self) { p in for i in p.indices { p[i] = Float(i) } }
            return { try out.publish(t) }
        default:
            guard let plain = MessageTypeCatalog.shared.plainStruct(port.messageType.rawValue), let any = feeder.anyOutput(name) else {
                throw Failure(description: "no reference input for port '\(name)' (\(port.messageType))")
            }
            let bytes = UnsafeMutableRawPointer.allocate(byteCount: plain.size, alignment: 16)
            bytes.initializeMemory(as: UInt8.self, repeating: 0, count: plain.size)
            return { try plain.publish(any, UnsafeRawPointer(bytes)) }
        }
    }

    /// Defaults, overridden by `name=value` pairs checked against the declarations.
    static func paramValues(_ spec: NodeTypeSpec, _ pairs: [String]) throws -> [String: ParamValue] {
        var values: [String: ParamValue] = [:]
        for p in spec.params { if let d = p.defaultValue { values[p.name] = d } }
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "=") else { throw Failure(description: "--param '\(pair)': expected name=value") }
            let key = String(pair[..<eq]), text = String(pair[pair.index(after: eq)...])
            guard let p = spec.param(key) else {
                throw Failure(description: "--param '\(key)': unknown param for type \(spec.name)\(NameSuggester.didYouMean(key, from: spec.params.map(\.name)))")
            }
            let value: ParamValue?
            switch p.type {
            case .int: value = Int(text).map { .int($0) }
            case .double: value = Double(text).map { .double($0) }
            case .bool: value = text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
            case .string, .enumeration: value = .string(text)
            case .doubleList: value = nil
            }
            guard let value, value.matches(p.type) else { throw Failure(description: "--param \(key)=\(text): expected \(p.expectation)") }
            if let n = value.doubleValue, !p.isInRange(n) { throw Failure(description: "--param \(key)=\(text) is out of range (expected \(p.expectation))") }
            values[key] = value
        }
        for p in spec.params where values[p.name] == nil {
            throw Failure(description: "param '\(p.name)' of \(spec.name) is required: pass --param \(p.name)=VALUE (\(p.expectation))")
        }
        return values
    }
}
