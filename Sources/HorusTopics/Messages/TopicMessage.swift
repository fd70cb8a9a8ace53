import CHorus
import HorusMemory

/// A type that can travel on a topic. The ring records its name, layout version and
/// size; opening a topic with another type is refused with both names.
///
/// Pool-backed types (Tensor, Image, PointCloud, DepthImage) travel as their 144-byte
/// descriptor; plain fixed-size structs (`PlainMessage`) travel as their bytes.
public protocol TopicMessage {
    /// The type name recorded in the ring header ("Image", "Pose").
    static var topicTypeName: String { get }
    /// Bumped when the type's byte layout changes.
    static var topicLayoutVersion: UInt32 { get }
    /// Bytes per ring entry.
    static var wireSize: Int { get }
    /// 0 for plain structs, 1 + MessageKind for pool-backed types.
    static var wireKind: UInt32 { get }
    /// Writes the message's `wireSize` bytes (its descriptor, or the struct itself).
    func writeWire(to p: UnsafeMutableRawPointer)
    /// Rebuilds a message from `wireSize` bytes copied out of a ring entry. Pool-backed
    /// types validate the descriptor and take a slot reference; the result is read-only.
    static func readWire(_ p: UnsafeRawPointer) throws -> Self
    /// `readWire` by a receiver with a storage cache (a subscriber's; see `SlotStorageCache`).
    static func readWire(_ p: UnsafeRawPointer, cache: UnsafeMutablePointer<SlotStorageCache>) throws -> Self
}

/// A trivially copyable struct sent by value through the ring (poses, commands,
/// costmap metadata). Conform with a type name and, if the layout ever changes, a
/// new layout version.
public protocol PlainMessage: TopicMessage, BitwiseCopyable {}

extension PlainMessage {
    public static var topicLayoutVersion: UInt32 { 1 }
    public static var wireSize: Int { MemoryLayout<Self>.size }
    public static var wireKind: UInt32 { 0 }
    @inline(__always) public func writeWire(to p: UnsafeMutableRawPointer) { p.storeBytes(of: self, as: Self.self) }
    @inline(__always) public static func readWire(_ p: UnsafeRawPointer) throws -> Self { p.loadUnaligned(as: Self.self) }
}

extension TopicMessage {
    /// Types without pool slots have nothing to cache.
    @inline(__always) public static func readWire(_ p: UnsafeRawPointer, cache: UnsafeMutablePointer<SlotStorageCache>) throws -> Self {
        try readWire(p)
    }
}

extension Tensor: TopicMessage {
    public static var topicTypeName: String { "Tensor" }
}
extension Image: TopicMessage {
    public static var topicTypeName: String { "Image" }
}
extension PointCloud: TopicMessage {
    public static var topicTypeName: String { "PointCloud" }
}
extension DepthImage: TopicMessage {
    public static var topicTypeName: String { "DepthImage" }
}

extension PoolBackedMessage where Self: TopicMessage {
    public static var topicLayoutVersion: UInt32 { 1 }
    public static var wireSize: Int { Descriptor.byteSize }
    public static var wireKind: UInt32 { UInt32(kind.rawValue) + 1 }
    @inline(__always) public func writeWire(to p: UnsafeMutableRawPointer) {
        writeDescriptor(into: p.bindMemory(to: horus_descriptor.self, capacity: 1))
    }
    @inline(__always) public static func readWire(_ p: UnsafeRawPointer) throws -> Self {
        // In place: `p` is the subscriber's private scratch copy of the entry.
        try Self(descriptorAt: p.bindMemory(to: horus_descriptor.self, capacity: 1), readOnly: true, cache: nil)
    }
    @inline(__always) public static func readWire(_ p: UnsafeRawPointer, cache: UnsafeMutablePointer<SlotStorageCache>) throws -> Self {
        try Self(descriptorAt: p.bindMemory(to: horus_descriptor.self, capacity: 1), readOnly: true, cache: cache)
    }
}
