import CHorus

/// The element type of a tensor; raw values are the descriptor's `horus_dtype` codes.
public enum DType: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case uint8 = 0, int8, uint16, int16, uint32, int32, uint64, int64, float16, float32, float64, bool

    /// Bytes per element.
    @inline(__always)
    public var size: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16, .float16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        }
    }

    /// NumPy-style name: "uint8", "float32", "bool".
    public var description: String {
        switch self {
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .uint16: return "uint16"
        case .int16: return "int16"
        case .uint32: return "uint32"
        case .int32: return "int32"
        case .uint64: return "uint64"
        case .int64: return "int64"
        case .float16: return "float16"
        case .float32: return "float32"
        case .float64: return "float64"
        case .bool: return "bool"
        }
    }

    /// Parses a NumPy-style name or short form ("u8", "f32").
    public init?(name: String) {
        let short: [String: DType] = ["u8": .uint8, "i8": .int8, "u16": .uint16, "i16": .int16, "u32": .uint32,
                                      "i32": .int32, "u64": .uint64, "i64": .int64, "f16": .float16,
                                      "f32": .float32, "f64": .float64]
        if let d = short[name] { self = d; return }
        guard let d = DType.allCases.first(where: { $0.description == name }) else { return nil }
        self = d
    }

    /// True for float16/32/64.
    public var isFloatingPoint: Bool { self == .float16 || self == .float32 || self == .float64 }

    /// The DLPack data type (code, bits, lanes = 1).
    public var dlpack: DLDataType {
        let code: DLDataTypeCode
        switch self {
        case .uint8, .uint16, .uint32, .uint64: code = kDLUInt
        case .int8, .int16, .int32, .int64: code = kDLInt
        case .float16, .float32, .float64: code = kDLFloat
        case .bool: code = kDLBool
        }
        return DLDataType(code: UInt8(code.rawValue), bits: UInt8(size * 8), lanes: 1)
    }
}
