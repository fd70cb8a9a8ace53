/// The name of a message type carried by a topic, e.g. `Image`, `DepthImage`, `PointCloud`,
/// `Tensor`, `Costmap`, or a plain struct such as `Pose`, `Twist`, `ObstacleAlert`.
///
/// Names are identifiers (`[A-Za-z_][A-Za-z0-9_.]*`); the wildcard `Any` is rejected because every
/// topic must carry exactly one concrete type.
public struct MessageTypeName: Sendable, Hashable, Comparable, CustomStringConvertible,
                               ExpressibleByStringLiteral {
    /// The type name as written.
    public let rawValue: String

    /// Validates and wraps a type name; throws `MessageTypeNameError` for `Any` or a non-identifier.
    public init(validating name: String) throws {
        if let problem = MessageTypeName.problem(with: name) {
            throw MessageTypeNameError(name: name, problem: problem)
        }
        rawValue = name
    }

    /// Literal form for code-defined specs; traps on an invalid name (a programming error).
    public init(stringLiteral value: String) {
        do { try self.init(validating: value) } catch { preconditionFailure("\(error)") }
    }

    /// Why `name` is not a valid message type name, or nil if it is valid.
    public static func problem(with name: String) -> String? {
        if name == "Any" { return "'Any' is not allowed; a topic must carry one concrete message type" }
        guard let first = name.unicodeScalars.first else { return "message type name is empty" }
        func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        guard isLetter(first), name.unicodeScalars.allSatisfy({ isLetter($0) || isDigit($0) || $0 == "." }) else {
            return "'\(name)' is not a valid message type name (expected an identifier like PointCloud)"
        }
        return nil
    }

    /// The name itself.
    public var description: String { rawValue }

    /// Orders by name.
    public static func < (lhs: MessageTypeName, rhs: MessageTypeName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Dense image (`Image`).
    public static let image: MessageTypeName = "Image"
    /// Depth image (`DepthImage`).
    public static let depthImage: MessageTypeName = "DepthImage"
    /// Point cloud (`PointCloud`).
    public static let pointCloud: MessageTypeName = "PointCloud"
    /// N-dimensional tensor (`Tensor`).
    public static let tensor: MessageTypeName = "Tensor"
    /// 2-D occupancy costmap (`Costmap`).
    public static let costmap: MessageTypeName = "Costmap"
}

/// A rejected message type name.
public struct MessageTypeNameError: Error, Sendable, CustomStringConvertible {
    /// The name that was rejected.
    public let name: String
    /// Why it was rejected.
    public let problem: String
    /// The problem text.
    public var description: String { problem }
}
