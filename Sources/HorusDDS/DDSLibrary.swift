import CHorusDDSAPI
import HorusSystem
#if canImport(Glibc)
import Glibc
#endif

/// libhorus_dds.so loaded with dlopen: the only way horus reaches Cyclone DDS, so nothing that
/// horus-run links needs libddsc. Loaded once per process, on the first bridge use.
public final class DDSLibrary: @unchecked Sendable {
    /// The function table (static storage in the library, which is never unloaded).
    package let api: UnsafePointer<horus_dds_api_t>
    /// Where the library was found.
    public let path: String

    private init(api: UnsafePointer<horus_dds_api_t>, path: String) {
        self.api = api
        self.path = path
    }

    /// "Cyclone DDS 0.10.2".
    public var engineVersion: String { String(cString: api.pointee.engine_version()) }

    nonisolated(unsafe) private static var loaded: Result<DDSLibrary, DDSError>?
    private static let lock = Mutex()

    /// The process's library: `HORUS_DDS_LIBRARY` if set, else libhorus_dds.so next to the
    /// running executable, else the dynamic loader's search path.
    public static func shared() throws -> DDSLibrary {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return try loaded.get() }
        let result = Result { try load(candidates: candidatePaths()) }.mapError { $0 as! DDSError }
        loaded = result
        return try result.get()
    }

    package static func candidatePaths() -> [String] {
        if let env = getenv("HORUS_DDS_LIBRARY"), env.pointee != 0 { return [String(cString: env)] }
        var paths: [String] = []
        if let exe = executableDirectory() { paths.append(exe + "/libhorus_dds.so") }
        paths.append("libhorus_dds.so")
        return paths
    }

    /// Loads the first candidate that exists; a missing libddsc becomes one line naming the
    /// Debian package.
    package static func load(candidates: [String]) throws -> DDSLibrary {
        var notFound: [String] = []
        for path in candidates {
            if path.contains("/"), access(path, F_OK) != 0 {
                notFound.append(path)
                continue
            }
            guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
                let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
                if reason.contains("libddsc") {
                    throw DDSError(code: 0, message: "DDS bridge: Cyclone DDS is not installed (\(path) needs libddsc): apt-get install libddsc0debian")
                }
                if !path.contains("/"), reason.contains("cannot open shared object file") {
                    notFound.append(path)
                    continue
                }
                throw DDSError(code: 0, message: "DDS bridge: cannot load \(path): \(reason)")
            }
            guard let symbol = dlsym(handle, "horus_dds_get_api") else {
                throw DDSError(code: 0, message: "DDS bridge: \(path) has no horus_dds_get_api (not a horus DDS library)")
            }
            let getAPI = unsafeBitCast(symbol, to: horus_dds_get_api_fn.self)
            guard let api = getAPI(HORUS_DDS_API_VERSION) else {
                throw DDSError(code: 0, message: "DDS bridge: \(path) does not implement DDS API version \(HORUS_DDS_API_VERSION)")
            }
            guard api.pointee.size >= UInt32(MemoryLayout<horus_dds_api_t>.size) else {
                throw DDSError(code: 0, message: "DDS bridge: \(path) has a shorter API table (\(api.pointee.size) bytes) than expected")
            }
            return DDSLibrary(api: api, path: path)
        }
        throw DDSError(code: 0, message: "DDS bridge: libhorus_dds.so not found (looked at \(notFound.joined(separator: ", "))): build it with `swift build -c release --product horus_dds` (needs apt-get install cyclonedds-dev)")
    }

    /// The error for a failed call: the library's message for this thread.
    func error(_ code: Int32) -> DDSError {
        DDSError(code: code, message: String(cString: api.pointee.last_error()))
    }

    /// Throws the library's error unless `code` is HORUS_DDS_OK.
    func check(_ code: Int32) throws {
        if code != Int32(HORUS_DDS_OK) { throw error(code) }
    }

    private static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }
}
