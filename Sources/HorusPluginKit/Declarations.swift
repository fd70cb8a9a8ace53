import CHorus

/// The message type a plugin port carries: one of the pool-backed types, or a struct type
/// the plugin declares (`PluginStructType`, plugin ABI 1.1) named with `.struct(_:)`.
public struct PluginMessageType: RawRepresentable, Hashable, Sendable {
    /// The type name as graph files and the host know it ("Image", "ObstacleAlert").
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let image = PluginMessageType(rawValue: "Image")
    public static let depthImage = PluginMessageType(rawValue: "DepthImage")
    public static let pointCloud = PluginMessageType(rawValue: "PointCloud")
    public static let tensor = PluginMessageType(rawValue: "Tensor")
    /// A plain struct message type declared in `HorusPluginExport(structTypes:)`.
    public static func `struct`(_ name: String) -> PluginMessageType { PluginMessageType(rawValue: name) }
}

/// A plain fixed-size struct message type (plugin ABI 1.1), declared by name and size. The
/// host must know a type of the same name and size (e.g. horus's `ObstacleAlert`, whose
/// layout is the C struct `horus_obstacle_alert_t`); it travels by value, no pool slot.
public struct PluginStructType: Sendable {
    public var name: String
    public var size: Int
    public var doc: String

    /// A struct type named `name` whose layout is `T` (its C declaration, shared with the host).
    public init<T: BitwiseCopyable>(_ name: String, _ type: T.Type, doc: String = "") {
        self.init(name: name, size: MemoryLayout<T>.size, doc: doc)
    }

    public init(name: String, size: Int, doc: String = "") {
        self.name = name
        self.size = size
        self.doc = doc
    }
}

/// A port declaration. Its position in `ports` is the port index used at run time.
public struct PluginPort: Sendable {
    public var name: String
    public var isInput: Bool
    public var messageType: PluginMessageType
    public var optional: Bool
    public var doc: String

    /// An input port (required unless `optional`).
    public static func input(_ name: String, _ type: PluginMessageType, optional: Bool = false, doc: String = "") -> PluginPort {
        PluginPort(name: name, isInput: true, messageType: type, optional: optional, doc: doc)
    }

    /// An output port.
    public static func output(_ name: String, _ type: PluginMessageType, doc: String = "") -> PluginPort {
        PluginPort(name: name, isInput: false, messageType: type, optional: true, doc: doc)
    }
}

/// A parameter declaration (the host validates graph values against it).
public struct PluginParam: Sendable {
    public enum Kind: Sendable {
        case int(default: Int?), double(default: Double?), bool(default: Bool?), string(default: String?)
    }
    public var name: String
    public var kind: Kind
    public var min: Double?
    public var max: Double?
    public var doc: String

    public static func int(_ name: String, default value: Int? = nil, min: Int? = nil, max: Int? = nil, doc: String = "") -> PluginParam {
        PluginParam(name: name, kind: .int(default: value), min: min.map(Double.init), max: max.map(Double.init), doc: doc)
    }
    public static func double(_ name: String, default value: Double? = nil, min: Double? = nil, max: Double? = nil, doc: String = "") -> PluginParam {
        PluginParam(name: name, kind: .double(default: value), min: min, max: max, doc: doc)
    }
    public static func bool(_ name: String, default value: Bool? = nil, doc: String = "") -> PluginParam {
        PluginParam(name: name, kind: .bool(default: value), min: nil, max: nil, doc: doc)
    }
    public static func string(_ name: String, default value: String? = nil, doc: String = "") -> PluginParam {
        PluginParam(name: name, kind: .string(default: value), min: nil, max: nil, doc: doc)
    }
}

/// The trigger a node type uses when the graph sets neither `rate` nor `trigger`.
public enum PluginTrigger: Sendable {
    /// Tick periodically at this rate.
    case rate(hz: Double)
    /// Tick when this input port has a message.
    case input(String)
}

/// A failure reported to the host (the text appears in the graph runner's error).
public struct PluginError: Error, CustomStringConvertible {
    public var message: String
    public var status: Int32
    public init(_ message: String, status: Int32 = HORUS_ERR_FAILED.rawValue) {
        self.message = message
        self.status = status
    }
    public var description: String { message }
}

/// A node type implemented in Swift. One instance is made per graph node; the host never
/// calls two methods of one instance concurrently.
///
/// Only `CHorus` and this kit may be imported by a plugin: linking a horus Swift module
/// (HorusMemory, HorusGraph, ...) into a plugin would duplicate its types.
public protocol PluginNodeType: AnyObject {
    /// The type name used in graph files (`type:`).
    static var typeName: String { get }
    /// One-line description.
    static var doc: String { get }
    /// Ports in declaration order; a port's index is its position here.
    static var ports: [PluginPort] { get }
    /// Parameters.
    static var params: [PluginParam] { get }
    /// Default trigger (nil: any input, or the graph must set a rate).
    static var defaultTrigger: PluginTrigger? { get }

    /// Makes an instance; params can be read from `host`.
    init(host: PluginHost) throws
    /// Reads params, prepares state (optional).
    func configure(_ host: PluginHost) throws
    /// Called once after every node is configured (optional).
    func start(_ host: PluginHost) throws
    /// One step.
    func tick(_ host: PluginHost) throws
    /// Called once when the graph stops (optional).
    func stop(_ host: PluginHost)
}

extension PluginNodeType {
    public static var doc: String { "" }
    public static var params: [PluginParam] { [] }
    public static var defaultTrigger: PluginTrigger? { nil }
    public func configure(_ host: PluginHost) throws {}
    public func start(_ host: PluginHost) throws {}
    public func stop(_ host: PluginHost) {}
}
