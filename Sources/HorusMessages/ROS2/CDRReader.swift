/// Reads XCDR1 little-endian CDR from untrusted bytes (a mapped recording, a datagram):
/// every length and count is checked against the bytes present before anything is formed
/// from it, and every error names the field.
public struct CDRReader {
    private let bytes: UnsafeRawBufferPointer
    /// Offset of the next byte, the encapsulation header included.
    public private(set) var position = 0

    /// Checks the encapsulation header (little-endian plain CDR) and positions after it.
    public init(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes = bytes
        guard bytes.count >= 4 else { throw CDRError(field: "encapsulation", reason: "message of \(bytes.count) bytes has no 4-byte header") }
        guard bytes[0] == 0 else { throw CDRError(field: "encapsulation", reason: "representation 0x\(String(bytes[0], radix: 16))\(String(bytes[1], radix: 16)) is not plain CDR") }
        switch bytes[1] {
        case 1: break
        case 0: throw CDRError(field: "encapsulation", reason: "big-endian CDR is not supported")
        default: throw CDRError(field: "encapsulation", reason: "representation 0x00\(String(bytes[1], radix: 16)) is not XCDR1 little-endian (00 01)")
        }
        position = 4
    }

    /// Bytes left after the current position.
    public var remaining: Int { bytes.count - position }

    @inline(__always)
    private mutating func take(_ n: Int, _ field: @autoclosure () -> String) throws -> UnsafeRawPointer {
        guard n >= 0, remaining >= n else {
            throw CDRError(field: field(), reason: "needs \(n) bytes at offset \(position), message has \(remaining) left (truncated)")
        }
        let p = bytes.baseAddress! + position
        position += n
        return p
    }

    /// Skips padding to a multiple of `n` (relative to the byte after the header).
    @inline(__always)
    public mutating func align(_ n: Int, _ field: @autoclosure () -> String) throws {
        let pad = (n - (position - 4) % n) % n
        if pad > 0 { _ = try take(pad, field()) }
    }

    @inline(__always)
    private mutating func get<T: FixedWidthInteger>(_: T.Type, _ field: @autoclosure () -> String) throws -> T {
        try align(MemoryLayout<T>.size, field())
        return T(littleEndian: try take(MemoryLayout<T>.size, field()).loadUnaligned(as: T.self))
    }

    public mutating func uint8(_ f: @autoclosure () -> String) throws -> UInt8 { try get(UInt8.self, f()) }
    public mutating func int8(_ f: @autoclosure () -> String) throws -> Int8 { try get(Int8.self, f()) }
    public mutating func bool(_ f: @autoclosure () -> String) throws -> Bool {
        let v = try get(UInt8.self, f())
        guard v <= 1 else { throw CDRError(field: f(), reason: "boolean byte \(v) is neither 0 nor 1") }
        return v == 1
    }
    public mutating func uint16(_ f: @autoclosure () -> String) throws -> UInt16 { try get(UInt16.self, f()) }
    public mutating func uint32(_ f: @autoclosure () -> String) throws -> UInt32 { try get(UInt32.self, f()) }
    public mutating func int32(_ f: @autoclosure () -> String) throws -> Int32 { try get(Int32.self, f()) }
    public mutating func uint64(_ f: @autoclosure () -> String) throws -> UInt64 { try get(UInt64.self, f()) }
    public mutating func float32(_ f: @autoclosure () -> String) throws -> Float { Float(bitPattern: try get(UInt32.self, f())) }
    public mutating func float64(_ f: @autoclosure () -> String) throws -> Double { Double(bitPattern: try get(UInt64.self, f())) }

    /// A string (u32 length including the NUL, bytes, NUL); the length is checked first.
    public mutating func string(_ f: @autoclosure () -> String) throws -> String {
        let n = Int(try uint32(f()))
        guard n <= remaining else { throw CDRError(field: f(), reason: "string length \(n) exceeds the \(remaining) bytes left") }
        if n == 0 { return "" }  // some writers encode "" as length 0
        let p = try take(n, f())
        guard p.load(fromByteOffset: n - 1, as: UInt8.self) == 0 else { throw CDRError(field: f(), reason: "string of length \(n) is not NUL-terminated") }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: n - 1), as: UTF8.self)
    }

    /// A sequence count whose elements take at least `minElementSize` bytes each: refused
    /// when the bytes left cannot hold that many, before the caller allocates anything.
    public mutating func count(minElementSize: Int, _ f: @autoclosure () -> String) throws -> Int {
        let n = Int(try uint32(f()))
        let (need, overflow) = n.multipliedReportingOverflow(by: minElementSize)
        guard !overflow, need <= remaining else {
            throw CDRError(field: f(), reason: "count \(n) needs at least \(n) x \(minElementSize) bytes, message has \(remaining) left")
        }
        return n
    }

    /// A `uint8[]` / `int8[]` sequence as a view into the message bytes (no copy).
    public mutating func byteSequence(_ f: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        let n = try count(minElementSize: 1, f())
        return UnsafeRawBufferPointer(start: try take(n, f()), count: n)
    }

    /// `n` fixed-size float64 values (a `float64[N]` array or a checked sequence).
    public mutating func float64Array(_ n: Int, _ f: @autoclosure () -> String) throws -> [Double] {
        guard n * 8 <= remaining + 8 else { throw CDRError(field: f(), reason: "\(n) float64 values exceed the \(remaining) bytes left") }
        var out: [Double] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try float64(f())) }
        return out
    }
}
