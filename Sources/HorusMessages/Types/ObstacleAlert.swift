import CHorus
import HorusTopics

/// How close the nearest obstacle is: a plain struct message (plugin ABI 1.1). Its only
/// stored property is the C struct `horus_obstacle_alert_t` (`horus_obstacle_alert.h`), so
/// the layout a C plugin publishes and the one a Swift node reads are one definition.
public struct ObstacleAlert: PlainMessage, Equatable, Sendable {
    public static var topicTypeName: String { "ObstacleAlert" }
    /// The C layout (24 bytes).
    public var raw: horus_obstacle_alert_t

    /// Creates an alert.
    public init(timestampNs: UInt64 = 0, distance: Float = 0, bearing: Float = 0, closeCount: UInt32 = 0, level: UInt32 = 0) {
        raw = horus_obstacle_alert_t(timestamp_ns: timestampNs, distance_m: distance, bearing_rad: bearing,
                                     close_count: closeCount, level: level)
    }

    /// Capture time of the data the alert was computed from, ns.
    public var timestampNs: UInt64 { raw.timestamp_ns }
    /// Distance to the nearest obstacle point, m (0 when none).
    public var distance: Float { raw.distance_m }
    /// Bearing of that point, rad, positive to the left.
    public var bearing: Float { raw.bearing_rad }
    /// Pixels closer than the alert distance.
    public var closeCount: UInt32 { raw.close_count }
    /// 0 clear, 1 warning, 2 stop.
    public var level: UInt32 { raw.level }

    public static func == (a: ObstacleAlert, b: ObstacleAlert) -> Bool {
        a.timestampNs == b.timestampNs && a.distance == b.distance && a.bearing == b.bearing
            && a.closeCount == b.closeCount && a.level == b.level
    }
}
