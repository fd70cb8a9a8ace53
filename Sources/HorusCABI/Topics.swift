import CHorus
import HorusMemory
import HorusTopics
import Synchronization
#if canImport(Glibc)
import Glibc
import HorusSystem
#endif

// Topics over the C ABI: publisher and subscriber handles for the four pool-backed
// types (declared in horus_c_api.h). A handle is a retained `Endpoint` object; its
// class is checked on every call (`Endpoint.borrowing`), so passing a subscriber where a publisher
// is expected -- or a tensor handle -- is reported instead of misread. Each endpoint
// serializes its own calls with a mutex (Publisher/Subscriber are single-threaded): the
// standard library's futex mutex, whose uncontended lock and unlock are one inlined atomic
// each (a pthread mutex costs two calls and about 170 instructions per message).

/// Common base of the two endpoint boxes.
class Endpoint {
    let kind: MessageKind
    let topic: String
    private let mutex = Synchronization.Mutex<Void>(())

    init(kind: MessageKind, topic: String) {
        self.kind = kind
        self.topic = topic
    }

    @inline(__always)
    func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try mutex.withLock { _ throws(E) in try body() }
    }

    func retainedPointer() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    /// The topic's shared ring (overridden by the typed endpoints).
    var ring: TopicRing { fatalError("abstract") }

    /// The endpoint of class `B` behind `p`, retained (for calls that keep it).
    static func from<B: Endpoint>(_ p: OpaquePointer?, as type: B.Type, _ name: String) throws -> B {
        try borrowing(p, as: type, name) { $0 }
    }

    /// Runs `body` with the endpoint of class `B` behind `p` borrowed, not retained: the
    /// per-message calls (a retain and release pair is two atomic operations).
    @inline(__always)
    static func borrowing<B: Endpoint, R>(_ p: OpaquePointer?, as type: B.Type, _ name: String, _ body: (B) throws -> R) throws -> R {
        guard let p else { throw CABIError.invalid("\(name) must not be NULL") }
        return try Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(p))._withUnsafeGuaranteedRef { object in
            // (`is` then a downcast: an `as?` would retain and release the object)
            guard object is B else { throw CABIError.invalid("handle is not a horus \(name)") }
            return try body(unsafeDowncast(object, to: B.self))
        }
    }
}

/// A publisher of one pool-backed kind.
class PublisherBox: Endpoint {
    func publish(_ h: Handle) throws { fatalError("abstract") }
    var publishedCount: UInt64 { 0 }

    static func from(_ p: OpaquePointer?) throws -> PublisherBox { try from(p, as: PublisherBox.self, "publisher") }
}

final class TypedPublisher<M: CABISample>: PublisherBox {
    let publisher: Publisher<M>

    init(topic: String, capacity: Int?) throws {
        publisher = try Publisher<M>(topic: topic, capacity: capacity)
        super.init(kind: M.kind, topic: topic)
    }

    // Specialized per type (the generic body dispatches to these): no generic metadata
    // lookups on the hot path.
    @_specialize(where M == Image)
    @_specialize(where M == Tensor)
    @_specialize(where M == PointCloud)
    @_specialize(where M == DepthImage)
    override func publish(_ h: Handle) throws {
        // The descriptor is written from the handle's fields (the handle holds the slot while
        // the ring takes its reference): nothing allocated, no message formed, nothing
        // re-validated but the handle's geometry against its kind.
        try M.check(handle: h)
        try locked {
            try publisher.publish(writingDescriptor: { h.writeDescriptor(kind: M.kind, into: $0) })
        }
    }

    override var publishedCount: UInt64 { locked { publisher.publishedCount } }
    override var ring: TopicRing { publisher.ring }
}

/// A subscriber of one pool-backed kind.
class SubscriberBox: Endpoint {
    /// The next sample as a new read-only handle (+1), or nil on timeout.
    func receive(timeout: Double?) -> OpaquePointer? { fatalError("abstract") }
    func stats() -> horus_subscriber_stats_t { fatalError("abstract") }

    static func from(_ p: OpaquePointer?) throws -> SubscriberBox { try from(p, as: SubscriberBox.self, "subscriber") }
}

final class TypedSubscriber<M: CABISample>: SubscriberBox {
    let subscriber: Subscriber<M>
    /// Handles of received samples come from here and return here when released.
    let handles = HandleCache()

    init(topic: String, history: Int, capacity: Int?, waitPolicy: WaitPolicy) throws {
        subscriber = try Subscriber<M>(topic: topic, history: history, capacity: capacity, waitPolicy: waitPolicy)
        super.init(kind: M.kind, topic: topic)
    }

    deinit { handles.close() }

    /// Dispatches to the concrete type's copy itself: the generic body (which uses `M?`)
    /// instantiates Optional<M>'s metadata on every call (about 330 instructions) before
    /// its own specialization dispatch.
    override func receive(timeout: Double?) -> OpaquePointer? {
        if M.self == Image.self { return unsafeDowncast(self, to: TypedSubscriber<Image>.self).receiveSample(timeout: timeout) }
        if M.self == Tensor.self { return unsafeDowncast(self, to: TypedSubscriber<Tensor>.self).receiveSample(timeout: timeout) }
        if M.self == PointCloud.self { return unsafeDowncast(self, to: TypedSubscriber<PointCloud>.self).receiveSample(timeout: timeout) }
        if M.self == DepthImage.self { return unsafeDowncast(self, to: TypedSubscriber<DepthImage>.self).receiveSample(timeout: timeout) }
        return receiveSample(timeout: timeout)
    }

    @_specialize(where M == Image)
    @_specialize(where M == Tensor)
    @_specialize(where M == PointCloud)
    @_specialize(where M == DepthImage)
    @inline(never)
    private func receiveSample(timeout: Double?) -> OpaquePointer? {
        // The sample is validated from the subscriber's private copy of the descriptor and
        // put in a handle right there: no M formed, none moved out of the receive; the handle
        // holds the tensor (and its slot reference).
        let handles = self.handles
        return locked {
            subscriber.receive(timeout: timeout, decodingDescriptor: { d, cache in
                try M.handle(decoding: d, storage: cache, from: handles)
            })
        }
    }

    override func stats() -> horus_subscriber_stats_t {
        locked {
            var s = horus_subscriber_stats_t()
            s.received = subscriber.receivedCount
            s.dropped = subscriber.droppedCount
            s.rejected = subscriber.rejectedCount
            s.backlog = subscriber.backlog
            s.published = subscriber.ring.publishedCount
            return s
        }
    }

    override var ring: TopicRing { subscriber.ring }
}

// MARK: - Argument parsing

private func parseKind(_ k: Int32) throws -> MessageKind {
    guard k >= 0, k <= 255, let kind = MessageKind(rawValue: UInt8(k)) else {
        throw CABIError.invalid("unknown message kind \(k) (0 tensor, 1 image, 2 point cloud, 3 depth image)")
    }
    return kind
}

private func parseTopic(_ p: UnsafePointer<CChar>?) throws -> String {
    let t = try requireString(p, "topic")
    guard !t.isEmpty, t.utf8.count < Int(HORUS_RING_TOPIC_NAME_CAPACITY) else {
        throw CABIError.invalid("topic names are 1 to \(HORUS_RING_TOPIC_NAME_CAPACITY - 1) bytes, got \(t.utf8.count)")
    }
    return t
}

/// 0: the existing ring's capacity (16 when creating); otherwise the capacity to match or create.
private func parseCapacity(_ c: Int64) throws -> Int? {
    if c == 0 { return nil }
    guard c >= 1, c <= 1 << 20 else { throw CABIError.invalid("capacity \(c) not in 0...1048576") }
    return Int(c)
}

/// Runs a topic call, mapping TopicError to HORUS_E_TOPIC / HORUS_E_TYPE_MISMATCH.
private func topicGuarded(_ body: () throws -> Void) -> Int32 {
    guarded {
        do { try body() } catch let e as TopicError {
            if case .typeMismatch = e { throw CABIError(code: HORUS_E_TYPE_MISMATCH, message: e.description) }
            throw CABIError(code: HORUS_E_TOPIC, message: e.description)
        }
    }
}

// MARK: - Publishers

@_cdecl("horus_publisher_create")
public func cabiPublisherCreate(_ topic: UnsafePointer<CChar>?, _ kind: Int32, _ capacity: Int64, _ out: HandleOut?) -> Int32 {
    topicGuarded {
        let out = try requireOut(out)
        let t = try parseTopic(topic)
        let k = try parseKind(kind)
        let c = try parseCapacity(capacity)
        let box: PublisherBox
        switch k {
        case .tensor: box = try TypedPublisher<Tensor>(topic: t, capacity: c)
        case .image: box = try TypedPublisher<Image>(topic: t, capacity: c)
        case .pointCloud: box = try TypedPublisher<PointCloud>(topic: t, capacity: c)
        case .depthImage: box = try TypedPublisher<DepthImage>(topic: t, capacity: c)
        }
        out.pointee = box.retainedPointer()
    }
}

@_cdecl("horus_publisher_publish")
public func cabiPublisherPublish(_ pub: OpaquePointer?, _ t: OpaquePointer?) -> Int32 {
    topicGuarded {
        try Endpoint.borrowing(pub, as: PublisherBox.self, "publisher") { p in
            try Handle.borrowing(t, "sample") { h in
                guard h.kind == p.kind else {
                    throw CABIError(code: HORUS_E_TYPE_MISMATCH,
                                    message: "topic '\(p.topic)' carries \(p.kind), cannot publish a \(h.kind) on it")
                }
                try p.publish(h)
            }
        }
    }
}

@_cdecl("horus_publisher_published")
public func cabiPublisherPublished(_ pub: OpaquePointer?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    guarded {
        let p = try PublisherBox.from(pub)
        try requireOut(out).pointee = p.publishedCount
    }
}

@_cdecl("horus_publisher_subscriber_count")
public func cabiPublisherSubscriberCount(_ pub: OpaquePointer?, _ out: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded {
        let p = try PublisherBox.from(pub)
        let out = try requireOut(out)
        out.pointee = Int64(p.ring.participants.reduce(0) { $0 + $1.subscribers })
    }
}

@_cdecl("horus_publisher_destroy")
public func cabiPublisherDestroy(_ pub: OpaquePointer?) -> Int32 {
    guard pub != nil else { return HORUS_OK.rawValue }
    return guarded {
        let p = try PublisherBox.from(pub)
        Unmanaged.passUnretained(p).release()
    }
}

// MARK: - Subscribers

@_cdecl("horus_subscriber_create")
public func cabiSubscriberCreate(_ topic: UnsafePointer<CChar>?, _ kind: Int32, _ history: Int64, _ capacity: Int64,
                                 _ wait: Int32, _ out: HandleOut?) -> Int32 {
    topicGuarded {
        let out = try requireOut(out)
        let t = try parseTopic(topic)
        let k = try parseKind(kind)
        let c = try parseCapacity(capacity)
        guard history >= 0 else { throw CABIError.invalid("history \(history) must not be negative") }
        let h = Int(Swift.min(history, 1 << 20))
        let policy: WaitPolicy
        switch wait {
        case HORUS_WAIT_SPIN: policy = .spin
        case HORUS_WAIT_BLOCK: policy = .block
        case HORUS_WAIT_SPIN_THEN_BLOCK: policy = .spinThenBlock(spins: 2000)
        default: throw CABIError.invalid("unknown wait policy \(wait) (0 spin, 1 block, 2 spin then block)")
        }
        let box: SubscriberBox
        switch k {
        case .tensor: box = try TypedSubscriber<Tensor>(topic: t, history: h, capacity: c, waitPolicy: policy)
        case .image: box = try TypedSubscriber<Image>(topic: t, history: h, capacity: c, waitPolicy: policy)
        case .pointCloud: box = try TypedSubscriber<PointCloud>(topic: t, history: h, capacity: c, waitPolicy: policy)
        case .depthImage: box = try TypedSubscriber<DepthImage>(topic: t, history: h, capacity: c, waitPolicy: policy)
        }
        out.pointee = box.retainedPointer()
    }
}

@_cdecl("horus_subscriber_receive")
public func cabiSubscriberReceive(_ sub: OpaquePointer?, _ timeoutMs: Int64, _ out: HandleOut?) -> Int32 {
    var status = HORUS_OK.rawValue
    let r = guarded {
        let s = try SubscriberBox.from(sub)
        let out = try requireOut(out)
        let timeout: Double? = timeoutMs < 0 ? nil : Double(timeoutMs) / 1000
        if let h = s.receive(timeout: timeout) {
            out.pointee = h
        } else {
            out.pointee = nil
            status = HORUS_TIMEOUT
        }
    }
    return r == HORUS_OK.rawValue ? status : r
}

@_cdecl("horus_subscriber_receive_sample")
public func cabiSubscriberReceiveSample(_ sub: OpaquePointer?, _ timeoutMs: Int64, _ out: UnsafeMutablePointer<horus_received_t>?) -> Int32 {
    var status = HORUS_OK.rawValue
    let r = guarded {
        let out = try requireOut(out)
        let timeout: Double? = timeoutMs < 0 ? nil : Double(timeoutMs) / 1000
        guard let p = try Endpoint.borrowing(sub, as: SubscriberBox.self, "subscriber", { $0.receive(timeout: timeout) }) else {
            out.pointee.handle = nil
            status = HORUS_TIMEOUT
            return
        }
        try Handle.borrowing(p) { h in
            writeTensorInfo(of: h, into: &out.pointee.info)
            out.pointee.timestamp_ns = h.timestampNs
        }
        out.pointee.handle = p
    }
    return r == HORUS_OK.rawValue ? status : r
}

@_cdecl("horus_subscriber_stats")
public func cabiSubscriberStats(_ sub: OpaquePointer?, _ out: UnsafeMutablePointer<horus_subscriber_stats_t>?) -> Int32 {
    guarded {
        let s = try SubscriberBox.from(sub)
        try requireOut(out).pointee = s.stats()
    }
}

@_cdecl("horus_subscriber_destroy")
public func cabiSubscriberDestroy(_ sub: OpaquePointer?) -> Int32 {
    guard sub != nil else { return HORUS_OK.rawValue }
    return guarded {
        let s = try SubscriberBox.from(sub)
        Unmanaged.passUnretained(s).release()
    }
}

// MARK: - Topic queries

private func copyCString(_ s: String, _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int) throws {
    let out = try requireOut(out)
    let bytes = Array(s.utf8)
    guard capacity > bytes.count else { throw CABIError.buffer("capacity \(capacity) cannot hold \(bytes.count + 1) bytes") }
    for (i, b) in bytes.enumerated() { out[i] = CChar(bitPattern: b) }
    out[bytes.count] = 0
}

@_cdecl("horus_topic_type_name")
public func cabiTopicTypeName(_ topic: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    guarded {
        let t = try parseTopic(topic)
        try copyCString(TopicRing.recordedTypeName(topic: t) ?? "", out, capacity)
    }
}

@_cdecl("horus_endpoint_type_name")
public func cabiEndpointTypeName(_ endpoint: OpaquePointer?, _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    guarded {
        let e = try Endpoint.from(endpoint, as: Endpoint.self, "publisher or subscriber")
        try copyCString(e.ring.typeName, out, capacity)
    }
}
