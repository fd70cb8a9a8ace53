import CHorusDDSAPI

/// A DDS domain participant (configured by CYCLONEDDS_URI like any Cyclone program); makes the
/// raw-CDR writers and readers of bridged topics and lists what other participants offer.
public final class DDSParticipant: @unchecked Sendable {
    public let library: DDSLibrary
    public let domain: UInt32
    let handle: OpaquePointer

    public init(domain: UInt32, library: DDSLibrary? = nil) throws {
        let library = try library ?? DDSLibrary.shared()
        var out: OpaquePointer?
        try library.check(library.api.pointee.participant_create(domain, &out))
        self.library = library
        self.domain = domain
        self.handle = out!
    }

    deinit { library.api.pointee.participant_delete(handle) }

    /// A writer of serialized samples on DDS topic `topic` (ROS 2: "rt/<name>") with type name
    /// `typeName` (ROS 2: "sensor_msgs::msg::dds_::Image_").
    public func writer(topic: String, typeName: String, qos: DDSQoS = DDSQoS()) throws -> DDSWriter {
        var q = qos.c
        var out: OpaquePointer?
        try library.check(library.api.pointee.writer_create(handle, topic, typeName, &q, &out))
        return DDSWriter(participant: self, handle: out!, topic: topic)
    }

    /// A reader of serialized samples (see `writer`); samples of this participant are ignored.
    public func reader(topic: String, typeName: String, qos: DDSQoS = DDSQoS()) throws -> DDSReader {
        var q = qos.c
        var out: OpaquePointer?
        try library.check(library.api.pointee.reader_create(handle, topic, typeName, &q, &out))
        return DDSReader(participant: self, handle: out!, topic: topic)
    }

    /// The endpoints other participants have announced (alive ones).
    public func endpoints() throws -> [DDSEndpoint] {
        var capacity = 64
        while true {
            var buffer = [horus_dds_endpoint_info_t](repeating: horus_dds_endpoint_info_t(), count: capacity)
            let total = library.api.pointee.list_endpoints(handle, &buffer, UInt32(capacity))
            if total < 0 { throw library.error(total) }
            if Int(total) <= capacity { return buffer[0..<Int(total)].map(DDSEndpoint.init) }
            capacity = Int(total)
        }
    }
}

/// A topic endpoint another participant announced (DCPSPublication / DCPSSubscription).
public struct DDSEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let topic: String
    public let typeName: String
    public let isWriter: Bool
    public let reliable: Bool

    init(_ e: horus_dds_endpoint_info_t) {
        var e = e
        topic = withUnsafeBytes(of: &e.topic_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        typeName = withUnsafeBytes(of: &e.type_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        isWriter = e.is_writer != 0
        reliable = e.reliable != 0
    }

    public var description: String {
        "\(isWriter ? "publication" : "subscription") \(topic) \(typeName) \(reliable ? "reliable" : "best-effort")"
    }
}
