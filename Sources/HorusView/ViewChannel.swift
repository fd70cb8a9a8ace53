/// A topic as the live view serves it: how its schema is advertised to Foxglove and how
/// one message becomes the bytes of a Message Data frame.
///
/// The ROS 2 codecs conform with `schemaEncoding "ros2msg"`, `encoding "cdr"` and the
/// message definition text as `schema`; `encode` is only called for a message that at
/// least one client subscribed to, once per message whatever the number of clients, straight
/// into the buffer that every client's frame shares.
public protocol ViewChannel: Sendable {
    /// What `ViewTopic.publish` is given: a message value (which may hold a pool slot).
    associatedtype Message
    /// Topic name shown in Foxglove, e.g. "/camera/depth".
    var topic: String { get }
    /// Schema name, e.g. "sensor_msgs/msg/Image".
    var schemaName: String { get }
    /// Schema encoding, e.g. "ros2msg".
    var schemaEncoding: String { get }
    /// Schema text (for ros2msg: the message definition with its dependencies).
    var schema: String { get }
    /// Message encoding, e.g. "cdr".
    var encoding: String { get }
    /// Bytes `encode` will write for `message`.
    func encodedSize(_ message: Message) throws -> Int
    /// Writes the encoded message to `buffer` (exactly `encodedSize` bytes); returns the bytes written.
    func encode(_ message: Message, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
