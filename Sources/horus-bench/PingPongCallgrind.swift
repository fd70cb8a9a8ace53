#if canImport(Glibc)
import Glibc
#endif

/// `horus-bench pingpong --callgrind`: instructions per message of the C ABI and of the
/// Python package (publish + receive of a 1920x1080 rgb8 Image in one process), counted
/// by valgrind's callgrind -- repeatable where wall-clock time on a shared machine is
/// not. Each probe runs with 1,000 and 3,000 messages; (I(3000) - I(1000)) / 2000 is one
/// message, start-up and teardown cancelling out. libhorus_c.so is copied without its
/// debug info (valgrind cannot read Swift's DWARF).
enum PingPongCallgrind {
    static func run(tools: PingPongTools) throws {
        guard let valgrind = PingPongProcesses.inPath("valgrind") else { throw BenchError("valgrind not installed") }
        guard let cc = PingPongProcesses.inPath("cc"), let strip = PingPongProcesses.inPath("strip") else {
            throw BenchError("cc and strip (binutils) are needed")
        }
        let dir = tools.workDir, libDir = PingPongProcesses.executableDirectory
        guard PingPongProcesses.run(["cp", libDir + "/libhorus_c.so", dir + "/libhorus_c.so"], log: dir + "/cp.log"),
              PingPongProcesses.run([strip, "--strip-debug", dir + "/libhorus_c.so"], log: dir + "/strip.log") else {
            throw BenchError("cannot copy libhorus_c.so from \(libDir)")
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
        for (label, argv) in [("C API", [exe]), ("Python", python.map { [$0, dir + "/cost.py"] } ?? [])] where !argv.isEmpty {
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
