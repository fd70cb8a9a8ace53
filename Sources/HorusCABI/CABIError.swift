import CHorus
import HorusMemory
#if canImport(Glibc)
import Glibc
#endif

// Error reporting for the C ABI: every exported function runs its body inside
// `guarded`, which turns any thrown error into a negative status and stores the
// error's text in a thread-local C string (horus_last_error). Nothing in the bodies may
// trap on caller input: every precondition of HorusMemory is checked here first.

/// An error with a status code (HORUS_E_*) and text for horus_last_error.
struct CABIError: Error {
    let code: Int32
    let message: String

    static func invalid(_ m: String) -> CABIError { CABIError(code: HORUS_E_INVALID_ARGUMENT, message: m) }
    static func index(_ m: String) -> CABIError { CABIError(code: HORUS_E_INDEX, message: m) }
    static func shape(_ m: String) -> CABIError { CABIError(code: HORUS_E_SHAPE, message: m) }
    static func readOnly(_ m: String) -> CABIError { CABIError(code: HORUS_E_READ_ONLY, message: m) }
    static func buffer(_ m: String) -> CABIError { CABIError(code: HORUS_E_BUFFER, message: m) }
}

/// Per-thread storage of the last error text: a malloc'd C string freed when replaced
/// or when the thread exits.
private let errorKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { p in free(p) }
    return key
}()

/// Static empty string returned when no error has been recorded.
let emptyCString: UnsafePointer<CChar> = UnsafePointer(strdup("")!)

func setLastError(_ message: String) {
    let old = pthread_getspecific(errorKey)
    pthread_setspecific(errorKey, strdup(message))
    free(old)
}

func lastErrorPointer() -> UnsafePointer<CChar> {
    guard let p = pthread_getspecific(errorKey) else { return emptyCString }
    return UnsafePointer(p.assumingMemoryBound(to: CChar.self))
}

/// Runs `body`, mapping errors to status codes and recording their text.
@inline(__always)
func guarded(_ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return HORUS_OK.rawValue
    } catch let e as CABIError {
        setLastError(e.message)
        return e.code
    } catch let e as PoolError {
        setLastError(e.description)
        return HORUS_E_POOL
    } catch let e as DescriptorError {
        setLastError(e.description)
        return HORUS_E_DESCRIPTOR
    } catch {
        setLastError("\(error)")
        return HORUS_E_INVALID_ARGUMENT
    }
}

/// Checks an output pointer is non-NULL before any work is done.
@inline(__always)
func requireOut<T>(_ p: UnsafeMutablePointer<T>?, _ name: String = "out") throws -> UnsafeMutablePointer<T> {
    guard let p else { throw CABIError.invalid("\(name) must not be NULL") }
    return p
}

/// A C string argument as a Swift String (NULL refused).
func requireString(_ p: UnsafePointer<CChar>?, _ name: String) throws -> String {
    guard let p else { throw CABIError.invalid("\(name) must not be NULL") }
    return String(cString: p)
}
