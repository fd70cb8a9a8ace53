import ArgumentParser
import Foundation
import HorusGraph
import HorusNodes

/// `horus-bench graph`: what `horus-run check` does (read, parse, validate, format every
/// diagnostic) on generated graphs of camera -> cloud -> downsample -> costmap pipelines,
/// at two sizes, against reading + parsing alone (the baseline, same file, same run), so
/// the ratio shows what validation adds and the size rows show it stays linear.
struct GraphCheckBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Graph check time of generated 1,000- and 10,000-node graphs (goal: 10,000 nodes < 1 s)."
    )

    @OptionGroup var common: CommonBenchOptions

    @Option(help: "Nodes in the large graph (a multiple of 4; the small one has a tenth).")
    var nodes = 10_000

    @Option(help: "Samples per row.")
    var samples = 7

    func validate() throws {
        guard nodes >= 40, nodes % 4 == 0, samples > 0 else { throw ValidationError("--nodes must be a multiple of 4 >= 40, --samples > 0") }
    }

    func run() throws {
        Progress.quiet = common.quiet
        let registry = try BuiltinNodes.catalog().registry
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("horus-bench-graph-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var results: [BenchResult] = []
        var p50s: [Int: Double] = [:]
        for count in [nodes / 10, nodes] {
            let path = dir.appendingPathComponent("pipelines-\(count).yaml").path
            try Self.pipelines(nodes: count).write(toFile: path, atomically: true, encoding: .utf8)
            let sampler = LatencySampler(samples: samples, batch: 1, warmupCalls: 1, label: "check \(count) nodes")
            var diagnostics = 0
            var cpu: [Double] = []
            let (check, parse) = try sampler.measureInterleaved({
                let c0 = threadCPUSeconds()
                defer { cpu.append((threadCPUSeconds() - c0) * 1e9) }
                let report = GraphLoader.loadAndValidate(path: path, registry: registry)
                let text = try String(contentsOfFile: path, encoding: .utf8)
                diagnostics = report.formatted(sourceText: text).utf8.count
                guard report.graph != nil else { throw ValidationError("generated graph did not validate") }
            }, {
                blackHole(try GraphLoader.load(path: path).nodes.count)
            }, round: 1)
            blackHole(diagnostics)
            let stats = Percentiles(check)
            p50s[count] = stats.p50
            results.append(BenchResult(name: "check \(count) nodes", stats: stats,
                                       baselineName: "read + parse only", baseline: Percentiles(parse),
                                       goal: count == nodes && nodes == 10_000 ? .p50AtMost(1e9) : nil,
                                       note: "thread CPU time p50 \(formatNs(Percentiles(cpu).p50))"
                                           + (count == nodes ? "; p50 \(count) / p50 \(count / 10) = \(String(format1: (p50s[count] ?? 0) / (p50s[count / 10] ?? 1), 2)) (10.00 is linear)" : "")))
        }
        BenchOutput.emit(bench: "graph", title: "horus-run check on generated graphs (load: other processes share the machine)",
                         results: results, json: common.json)
    }

    /// `nodes / 4` pipelines of camera_sim -> depth_to_cloud -> downsampler -> costmap_builder,
    /// each on its own topics, with declared topics (every path the validator has is taken).
    static func pipelines(nodes: Int) -> String {
        var out = "graph: pipelines\nnodes:\n"
        var topics = "topics:\n"
        for p in 0..<(nodes / 4) {
            out += """
              - name: camera\(p)
                type: camera_sim
                rate: 30
                params: {width: 640, height: 480, fx: 525.0, fy: 525.0}
                outputs: {color: /p\(p)/color, depth: /p\(p)/depth, pose: /p\(p)/pose}
              - name: cloud\(p)
                type: depth_to_cloud
                trigger: depth
                params: {max_depth: 8.0}
                inputs: {depth: /p\(p)/depth, pose: /p\(p)/pose}
                outputs: {cloud: /p\(p)/cloud}
              - name: downsample\(p)
                type: downsampler
                params: {leaf_size: 0.05}
                inputs: {cloud: /p\(p)/cloud}
                outputs: {cloud: /p\(p)/voxels}
              - name: costmap\(p)
                type: costmap_builder
                params: {width: 200, height: 200}
                inputs: {cloud: /p\(p)/voxels}
                outputs: {costmap: /p\(p)/costmap}

            """
            topics += "  /p\(p)/depth: {type: DepthImage, capacity: 4}\n"
        }
        return out + topics
    }
}

