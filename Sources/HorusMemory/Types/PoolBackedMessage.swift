import CHorus
/// A message type whose payload lives in a pool slot, so a topic moves only its
/// descriptor: Tensor, Image, PointCloud and DepthImage conform.
public protocol PoolBackedMessage: Sendable {
    /// The kind recorded in descriptors and ring headers.
    static var kind: MessageKind { get }
    /// The message's elements as a tensor view (zero-copy).
    func asTensor() -> Tensor
    /// Writes the descriptor that stands for this message (all 144 bytes) into `d`: what
    /// a publisher does for every message, with no intermediate value.
    func writeDescriptor(into d: UnsafeMutablePointer<horus_descriptor>)
    /// Rebuilds a message from a validated sample of this kind.
    init(decoded: DecodedSample) throws
    /// Validates an untrusted descriptor and forms the message (a reference is taken on
    /// the slot; read-only when `readOnly`). A requirement, so generic callers (topic
    /// rings) reach each type's direct implementation.
    init(descriptor: Descriptor, readOnly: Bool) throws
    /// The same for the descriptor at `d`, a private copy no other party writes (read in
    /// place: how a topic subscriber decodes its scratch entry), with the receiver's
    /// storage `cache` when it has one (a subscriber does; see `SlotStorageCache`).
    init(descriptorAt d: UnsafePointer<horus_descriptor>, readOnly: Bool, cache: UnsafeMutablePointer<SlotStorageCache>?) throws
    /// The message as a read-only view sharing its slot (what a subscriber receives).
    /// No default: a conformer that could not form one must not hand out a writable view.
    func readOnlyView() -> Self
}

extension PoolBackedMessage {
    /// The descriptor that stands for this message in a ring or a file.
    public func descriptor() -> Descriptor {
        var r = horus_descriptor()
        writeDescriptor(into: &r)
        return Descriptor(raw: r)
    }

    /// Validates an untrusted descriptor and forms the message (a reference is taken on
    /// the slot; the message is read-only when `readOnly`): `init(descriptorAt:)` on a
    /// private copy of the descriptor. Inlinable, so callers get the concrete type's init.
    @inlinable
    public init(descriptor: Descriptor, readOnly: Bool = false) throws {
        var raw = descriptor.raw
        try self.init(descriptorAt: &raw, readOnly: readOnly, cache: nil)
    }
}

extension Tensor {
    /// Validates the untrusted descriptor of a tensor at `d`, a private copy, and forms
    /// the view (see `Descriptor.decode`).
    @inlinable
    public init(descriptorAt d: UnsafePointer<horus_descriptor>, readOnly: Bool = false,
                cache: UnsafeMutablePointer<SlotStorageCache>? = nil) throws {
        try self.init(validatingDescriptorAt: d, expecting: .tensor, readOnly: readOnly, cache: cache)
        timestampNs = d.pointee.timestamp_ns
        frameID = Descriptor.frameID(at: d)
    }
}

extension Tensor: PoolBackedMessage {
    public static var kind: MessageKind { .tensor }
    /// A tensor is its own tensor view.
    public func asTensor() -> Tensor { self }
    public func writeDescriptor(into d: UnsafeMutablePointer<horus_descriptor>) {
        Descriptor.encode(tensor: self, kind: .tensor, encoding: 0, timestampNs: timestampNs, frameID: frameID, into: d)
    }
    public func descriptor(timestampNs: UInt64, frameID: String) -> Descriptor {
        Descriptor(tensor: self, kind: .tensor, encoding: 0, timestampNs: timestampNs, frameID: frameID)
    }
    public init(decoded: DecodedSample) throws {
        guard decoded.kind == .tensor else { throw DescriptorError.wrongKind(expected: .tensor, found: decoded.kind.description) }
        self = decoded.tensor
        timestampNs = decoded.timestampNs
        frameID = decoded.frameID
    }
}
