import CHorus

/// The text the fatal-signal handler prints when a node's callback crashes the process,
/// e.g. `horus: node 'x' (plugin libfoo.so) crashed: SIGSEGV` (see `horus_crash_report.h`).
/// Built once per node; `run` marks the calling thread for the duration of the call.
final class CrashLabel: @unchecked Sendable {
    private let label: UnsafeMutablePointer<horus_crash_label_t>
    private let text: UnsafeMutablePointer<CChar>

    init(node: ResolvedNode) {
        let what: String
        switch node.source {
        case .builtin: what = node.type.name
        case .plugin(let path): what = "plugin \(path.split(separator: "/").last.map(String.init) ?? path)"
        }
        let bytes = Array("horus: node '\(node.name)' (\(what)) crashed: ".utf8CString)
        // SAFETY: both allocations live as long as this object; the handler only reads them.
        text = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        text.initialize(from: bytes, count: bytes.count)
        label = UnsafeMutablePointer<horus_crash_label_t>.allocate(capacity: 1)
        label.initialize(to: horus_crash_label_t(text: text, length: bytes.count - 1))
        horus_crash_report_install()
    }

    deinit {
        label.deallocate()
        text.deallocate()
    }

    /// Runs `body` with this thread marked as running the node.
    @inline(__always)
    func run<T>(_ body: () throws -> T) rethrows -> T {
        let previous = horus_crash_enter(label)
        defer { horus_crash_leave(previous) }
        return try body()
    }
}
