import ArgumentParser
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench pingpong --callgrind`: instructions per message of the Swift API, the C
/// ABI and the Python package (publish + receive of a 1920x1080 rgb8 Image in one process), counted
/// by valgrind's callgrind -- repeatable where wall-clock time on a shared machine is
/// not. Each probe runs with 1,000 and 3,000 messages; (I(3000) - I(1000)) / 2000 is one
/// message, start-up and teardown cancelling out. libhorus_c.so and horus-bench (whose
/// `pingpong-cost-probe` is the Swift probe) are copied without their debug info
/// (valgrind cannot read Swift's DWARF).
enum PingPongCallgrind {
    static func run(tools: PingPongTools) throws {
        guard let valgrind = PingPongProcesses.inPath("valgrind") else { throw BenchError("valgrind not installed") }
        guard let cc = PingPongProcesses.inPath("cc"), let strip = PingPongProcesses.inPath("strip") else {
            throw BenchError("cc and strip (binutils) are needed")
        }
        let dir = tools.workDir, libDir = PingPongProcesses.executableDirectory
        for file in ["libhorus_c.so", "horus-bench"] {
            guard PingPongProcesses.run(["cp", libDir + "/" + file, dir + "/" + file], log: dir + "/cp.log"),
                  PingPongProcesses.run([strip, "--strip-debug", dir + "/" + file], log: dir + "/strip.log") else {
                throw BenchError("cannot copy \(file) from \(libDir)")
            }
        }
        guard let include = PingPongTools.headerDirectory(libDir: libDir) else { throw BenchError("horus_c_api.h not found") }
        let src = dir + "/cost.c", exe = dir + "/cost"
        try PingPongProcesses.writeFile(src, PingPongCPrograms.costProbe)
        try PingPongProcesses.writeFile(dir + "/cost.py", PingPongCPrograms.pythonCostProbe)
        guard PingPongProcesses.run([cc, "-O2", "-o", exe, src, "-I" + include, "-L" + dir, "-lhorus_c", "-Wl,-rpath," + dir], log: dir + "/cc-cost.log") else {
            throw BenchError("compiling the cost probe failed (see \(dir)/cc-cost.log)")
        }
        setenv("HORUS_LIB_DIR", dir, 1)
        let python = interpreter(dir)
        let package = libDir + "/../../../python"
        if PingPongProcesses.exists(package + "/horus/__init__.py") {
            setenv("PYTHONPATH", package, 1)
        }
        print("callgrind: instructions per message (publish + receive of a 1920x1080 rgb8 Image, one process)")
        let probes = [("Swift API", [dir + "/horus-bench", "pingpong-cost-probe"]), ("C API", [exe]),
                      ("Python", python.map { [$0, dir + "/cost.py"] } ?? [])]
        for (label, argv) in probes where !argv.isEmpty {
            for mode in ["fresh", "republish"] {
                var counts = [Int]()
                for n in [1000, 3000] {
                    let out = "\(dir)/callgrind.out.\(n)"
                    guard PingPongProcesses.run([valgrind, "--tool=callgrind", "--callgrind-out-file=" + out] + argv + ["\(n)", mode],
                                                log: "\(dir)/valgrind.log") else {
                        throw BenchError("valgrind \(label) \(mode) failed (see \(dir)/valgrind.log)")
                    }
                    counts.append(try totalInstructions(out))
                    unlink(out)
                }
                let per = Double(counts[1] - counts[0]) / 2000
                print("  \(label) \(mode == "fresh" ? "fresh loan per message" : "one sample re-published"): \(Int(per.rounded())) instructions")
            }
        }
    }

    /// The Python interpreter itself (python3 may be a launcher script, e.g. pyenv's,
    /// which valgrind would measure instead).
    static func interpreter(_ dir: String) -> String? {
        let out = dir + "/python.txt"
        defer { unlink(out) }
        guard PingPongProcesses.inPath("python3") != nil,
              PingPongProcesses.run(["python3", "-c", "import sys; print(sys.executable)"], log: out),
              let f = fopen(out, "r") else { return nil }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 4096)
        guard fgets(&line, Int32(line.count), f) != nil else { return nil }
        let path = String(decoding: line.prefix(while: { $0 != 0 && $0 != 10 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.isEmpty ? nil : path
    }

    /// The "summary:" (or "totals:") line of a callgrind output file.
    static func totalInstructions(_ path: String) throws -> Int {
        guard let f = fopen(path, "r") else { throw BenchError("no callgrind output \(path)") }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), f) != nil {
            let s = String(decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            for key in ["summary: ", "totals: "] where s.hasPrefix(key) {
                if let v = Int(s.dropFirst(key.count).split(separator: " ").first?.trimmingSuffix() ?? "") { return v }
            }
        }
        throw BenchError("no instruction total in \(path)")
    }
}

private extension Substring {
    func trimmingSuffix() -> Substring {
        var s = self
        while let c = s.last, c == "\n" || c == " " { s.removeLast() }
        return s
    }
}

/// The Swift probe of `pingpong --callgrind` (not listed in help): N messages, each a
/// publish and a receive of a 1920x1080 rgb8 Image in this process, as the C probe does.
struct PingPongCostProbe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pingpong-cost-probe", shouldDisplay: false)

    @Argument var count: Int
    @Argument var mode: String

    func run() throws {
        let pool = try Pool.open(name: "cost", configuration: PoolConfiguration(classes: [.init(slotSize: 8 << 20, slotCount: 8)], processCapacity: 4))
        let publisher = try Publisher<Image>(topic: "cost", capacity: 4)
        let subscriber = try Subscriber<Image>(topic: "cost", capacity: 4, waitPolicy: .spin)
        let kept = try Image.loan(height: 1080, width: 1920, encoding: .rgb8, pool: pool)
        var sum: UInt64 = 0
        let fresh = mode == "fresh", count = self.count  // (a property wrapper's getter per message would be counted too)
        for i in 0..<count {
            var sample = fresh ? try Image.loan(height: 1080, width: 1920, encoding: .rgb8, pool: pool) : kept
            sample.timestampNs = UInt64(i)
            try publisher.publish(sample)
            guard let r = subscriber.receive(timeout: 1) else { throw BenchError("cost probe: message \(i) not received") }
            sum &+= r.timestampNs
        }
        guard sum == UInt64(count) * UInt64(count - 1) / 2 else { throw BenchError("cost probe: wrong timestamps") }
    }
}
