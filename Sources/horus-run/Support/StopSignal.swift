import Atomics
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT/SIGTERM handling for long-running commands.
///
/// The handlers only bump an atomic counter (async-signal-safe). Commands poll
/// `StopSignal.requested` and return normally, so the process exits through the usual
/// path and the atexit hooks remove this process's shared memory. A second SIGINT makes
/// a watchdog thread (not the handler) call `exit(130)`, which still runs the atexit
/// hooks; a third one `_exit`s from the handler as a last resort.
enum StopSignal {
    /// Signals received so far. Created before the handlers are installed.
    private static let count = UnsafeAtomic<Int>.create(0)
    nonisolated(unsafe) private static var installed = false

    /// True once SIGINT or SIGTERM arrived.
    static var requested: Bool { count.load(ordering: .relaxed) > 0 }

    /// Installs the handlers (idempotent) and starts the second-signal watchdog.
    static func install() {
        guard !installed else { return }
        installed = true
        _ = count.load(ordering: .relaxed)  // materialize the global before any signal
        let handler: @convention(c) (Int32) -> Void = { _ in
            let n = StopSignal.count.loadThenWrappingIncrement(ordering: .relaxed) + 1
            if n >= 3 { _exit(130) }
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        var thread = pthread_t()
        pthread_create(&thread, nil, { _ in
            while StopSignal.count.load(ordering: .relaxed) < 2 { usleep(50_000) }
            let msg = "\nhorus-run: second interrupt, exiting now\n"
            _ = msg.withCString { write(2, $0, strlen($0)) }
            exit(130)
        }, nil)
        pthread_detach(thread)
    }
}
