/// Which of the four pool-backed message types a descriptor carries.
public enum MessageKind: UInt8, Sendable, CustomStringConvertible {
    case tensor = 0, image, pointCloud, depthImage

    public var description: String {
        switch self {
        case .tensor: return "Tensor"
        case .image: return "Image"
        case .pointCloud: return "PointCloud"
        case .depthImage: return "DepthImage"
        }
    }
}

/// Pixel encoding of an image: channel count and element type.
public enum ImageEncoding: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case rgb8 = 0, bgr8, rgba8, bgra8, mono8, mono16, bayerRGGB8, bayerBGGR8, bayerGBRG8, bayerGRBG8

    public var channels: Int {
        switch self {
        case .rgb8, .bgr8: return 3
        case .rgba8, .bgra8: return 4
        default: return 1
        }
    }

    public var dtype: DType { self == .mono16 ? .uint16 : .uint8 }

    /// ROS-style name: "rgb8", "bayer_rggb8".
    public var description: String {
        switch self {
        case .rgb8: return "rgb8"
        case .bgr8: return "bgr8"
        case .rgba8: return "rgba8"
        case .bgra8: return "bgra8"
        case .mono8: return "mono8"
        case .mono16: return "mono16"
        case .bayerRGGB8: return "bayer_rggb8"
        case .bayerBGGR8: return "bayer_bggr8"
        case .bayerGBRG8: return "bayer_gbrg8"
        case .bayerGRBG8: return "bayer_grbg8"
        }
    }

    public init?(name: String) {
        guard let e = Self.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = e
    }
}

/// Field layout of a point cloud; every field is float32. `xyzrgb` packs the color as
/// 0x00RRGGBB in the bits of the fourth float (the PCL / ROS PointCloud2 convention).
public enum PointFormat: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case xyz = 0, xyzi, xyzrgb

    public var fieldCount: Int { self == .xyz ? 3 : 4 }
    public var hasIntensity: Bool { self == .xyzi }
    public var hasColor: Bool { self == .xyzrgb }
    public var description: String { ["xyz", "xyzi", "xyzrgb"][Int(rawValue)] }

    public init?(name: String) {
        guard let f = Self.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = f
    }
}

/// Storage unit of a depth image: float32 meters or uint16 millimeters.
public enum DepthUnit: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case meters = 0, millimeters

    public var dtype: DType { self == .meters ? .float32 : .uint16 }
    public var description: String { self == .meters ? "meters" : "millimeters" }
}
