#if canImport(Glibc)
import Glibc
#endif

/// Child processes of `horus-bench pingpong`: spawning, waiting, compiling the C sides
/// with `cc`, and RouDi (iceoryx's daemon) for the iceoryx baseline.
enum PingPongProcesses {
    /// Starts `argv[0]` (looked up in PATH) with this environment; stdout and stderr
    /// inherited, or sent to `output` when given.
    static func spawn(_ argv: [String], output: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cargs.append(nil)
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, nil, cargs, environ)
        guard rc == 0 else { throw BenchError("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Waits for `pid`; throws unless it exited with status 0.
    static func wait(_ pid: pid_t, _ what: String) throws {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        guard exited && (status >> 8) & 0xff == 0 else {
            throw BenchError("\(what) failed (\(exited ? "exit status \((status >> 8) & 0xff)" : "signal \(status & 0x7f)"))")
        }
    }

    /// Runs a command to completion; its output goes to `log`. Returns whether it succeeded.
    static func run(_ argv: [String], log: String) -> Bool {
        guard let pid = try? spawn(argv, output: log) else { return false }
        return (try? wait(pid, argv[0])) != nil
    }

    /// The round-trip times a C ping side wrote (int64 count, then int64 ns values).
    static func readResults(_ path: String) throws -> [Int64] {
        guard let f = fopen(path, "rb") else { throw BenchError("no results in \(path)") }
        defer { fclose(f); unlink(path) }
        var n: Int64 = 0
        guard fread(&n, 8, 1, f) == 1, n >= 0, n <= 100_000_000 else { throw BenchError("bad results header in \(path)") }
        var v = [Int64](repeating: 0, count: Int(n))
        guard fread(&v, 8, Int(n), f) == Int(n) else { throw BenchError("short results file \(path)") }
        return v
    }

    /// The directory of this executable (where `swift build` also puts libhorus_c.so).
    static var executableDirectory: String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return "." }
        let path = String(decoding: buf[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The names in `dir` (without "." and ".."); empty when it cannot be read.
    static func entries(of dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names = [String]()
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The last (by name) entry of `dir` whose name starts with `prefix`, as a full path.
    static func lastEntry(of dir: String, prefix: String) -> String? {
        entries(of: dir).filter { $0.hasPrefix(prefix) }.sorted().last.map { dir + "/" + $0 }
    }

    static func inPath(_ tool: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where access("\(dir)/\(tool)", X_OK) == 0 { return "\(dir)/\(tool)" }
        return nil
    }

    static func writeFile(_ path: String, _ text: String) throws {
        guard let f = fopen(path, "w") else { throw BenchError("cannot write \(path)") }
        fputs(text, f)
        fclose(f)
    }
}

/// The compiled C sides and, for iceoryx, a running RouDi; `unavailable` says why a
/// side is missing (shown in its row).
final class PingPongTools {
    let workDir: String
    private(set) var horusC: String?
    private(set) var horusCUnavailable = ""
    private(set) var iceoryx: String?
    private(set) var iceoryxUnavailable = ""
    private var roudi: pid_t = 0

    init(wantC: Bool, wantIceoryx: Bool) throws {
        workDir = "/tmp/horus-bench-pingpong-\(getpid())"
        mkdir(workDir, 0o755)
        let cc = PingPongProcesses.inPath("cc")
        if wantC { compileHorusC(cc) }
        if wantIceoryx { prepareIceoryx(cc) }
    }

    private func compileHorusC(_ cc: String?) {
        let libDir = PingPongProcesses.executableDirectory
        guard let cc else { horusCUnavailable = "no C compiler (cc)"; return }
        guard PingPongProcesses.exists(libDir + "/libhorus_c.so") else {
            horusCUnavailable = "libhorus_c.so not built (swift build -c release --product horus_c)"; return
        }
        guard let include = Self.headerDirectory(libDir: libDir) else { horusCUnavailable = "horus_c_api.h not found (run from the package directory)"; return }
        let src = workDir + "/pingpong_horus.c", exe = workDir + "/pingpong_horus"
        do { try PingPongProcesses.writeFile(src, PingPongCPrograms.horus) } catch { horusCUnavailable = "\(error)"; return }
        let log = workDir + "/cc-horus.log"
        if PingPongProcesses.run([cc, "-O2", "-o", exe, src, "-I" + include, "-L" + libDir, "-lhorus_c", "-Wl,-rpath," + libDir], log: log) {
            horusC = exe
        } else {
            horusCUnavailable = "compiling the C API peer failed (see \(log))"
        }
    }

    /// Where horus_c_api.h is: the package's sources, found from the working directory
    /// or from the build directory (`.build/<triple>/release`).
    static func headerDirectory(libDir: String) -> String? {
        ["Sources/CHorus/include", libDir + "/../../../Sources/CHorus/include"].first { PingPongProcesses.exists($0 + "/horus_c_api.h") }
    }

    private func prepareIceoryx(_ cc: String?) {
        guard let base = PingPongProcesses.lastEntry(of: "/usr/include/iceoryx", prefix: "v"),
              PingPongProcesses.exists(base + "/iceoryx_binding_c/api.h"),
              let roudiExe = PingPongProcesses.inPath("iox-roudi") else {
            iceoryxUnavailable = "not installed (iceoryx, libiceoryx-binding-c-dev)"; return
        }
        guard let cc else { iceoryxUnavailable = "no C compiler (cc)"; return }
        let src = workDir + "/pingpong_iceoryx.c", exe = workDir + "/pingpong_iceoryx", log = workDir + "/cc-iceoryx.log"
        do { try PingPongProcesses.writeFile(src, PingPongCPrograms.iceoryx) } catch { iceoryxUnavailable = "\(error)"; return }
        guard PingPongProcesses.run([cc, "-O2", "-o", exe, src, "-I" + base, "-liceoryx_binding_c"], log: log) else {
            iceoryxUnavailable = "not installed: compiling against iceoryx_binding_c failed (see \(log))"; return
        }
        if PingPongProcesses.exists("/dev/shm/iceoryx_mgmt") {
            iceoryxUnavailable = "a RouDi is already running on this machine (/dev/shm/iceoryx_mgmt): not measured"; return
        }
        let config = workDir + "/roudi.toml"
        do {
            try PingPongProcesses.writeFile(config, PingPongCPrograms.roudiConfig)
            roudi = try PingPongProcesses.spawn([roudiExe, "-c", config, "-l", "warning"], output: workDir + "/roudi.log")
        } catch { iceoryxUnavailable = "RouDi did not start: \(error)"; return }
        // RouDi is up when its management segment exists.
        let deadline = monotonicNs() &+ 10_000_000_000
        while !PingPongProcesses.exists("/dev/shm/iceoryx_mgmt") {
            var status: Int32 = 0
            if waitpid(roudi, &status, WNOHANG) == roudi || monotonicNs() > deadline {
                roudi = 0
                iceoryxUnavailable = "RouDi did not start (see \(workDir)/roudi.log)"; return
            }
            usleep(20_000)
        }
        usleep(200_000)
        Progress.note("started iox-roudi (pid \(roudi))")
        iceoryx = exe
    }

    /// Stops RouDi and removes the work directory.
    func shutdown() {
        if roudi > 0 {
            kill(roudi, SIGINT)
            var status: Int32 = 0
            let deadline = monotonicNs() &+ 5_000_000_000
            while waitpid(roudi, &status, WNOHANG) == 0 {
                if monotonicNs() > deadline { kill(roudi, SIGKILL); waitpid(roudi, &status, 0); break }
                usleep(20_000)
            }
            Progress.note("stopped iox-roudi")
            roudi = 0
        }
        // Everything this run wrote there (programs, logs, results, callgrind files), also after an error.
        for n in PingPongProcesses.entries(of: workDir) { unlink(workDir + "/" + n) }
        rmdir(workDir)
    }
}
