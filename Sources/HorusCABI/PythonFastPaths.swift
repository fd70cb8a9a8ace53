import CHorus
import CHorusPython
import HorusMemory

// One-call paths for the Python binding (declared in horus_c_api.h, "fast paths for
// Python"): __dlpack__ and as_tensor() each cross into the library once. Python calls
// them through the builtins of CHorusPython (horus_py_builtin), or ctypes as a fallback.

@_cdecl("horus_tensor_dlpack_capsule")
public func cabiDLPackCapsule(_ t: OpaquePointer?, _ versioned: Int32, _ copied: Int32) -> UnsafeMutableRawPointer? {
    guard horus_py_capi_available() != 0 else { return nil }
    var managed: UnsafeMutableRawPointer?
    let status = guarded { managed = try exportDLPack(try Handle.from(t), versioned: versioned != 0, copied: copied != 0) }
    guard status == HORUS_OK.rawValue else { return horus_py_int(Int64(status)) }
    // The capsule owns the export from here (deleted at once if it cannot be made).
    return horus_py_dlpack_capsule(managed, versioned != 0 ? 1 : 0)
}

@_cdecl("horus_tensor_dlpack_capsule_available")
public func cabiDLPackCapsuleAvailable() -> Int32 { horus_py_capi_available() }

@_cdecl("horus_tensor_as_tensor_handle")
public func cabiAsTensorHandle(_ t: OpaquePointer?) -> OpaquePointer? {
    var out: OpaquePointer?
    _ = guarded { out = Handle(tensor: try Handle.from(t).tensor).retainedPointer() }
    return out
}
