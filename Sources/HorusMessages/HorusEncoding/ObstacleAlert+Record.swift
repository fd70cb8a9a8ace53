import CHorus
import HorusMemory
import HorusTopics

/// ObstacleAlert records as its 24 bytes (horus-plain/1), so a plugin's alerts can be
/// recorded and replayed; the log time is the alert's `timestamp_ns`.
extension ObstacleAlert: PlainRecordableMessage, TimestampedMessage {
    public static var recordFields: [(name: String, offset: Int, dtype: DType)] {
        let raw = MemoryLayout<ObstacleAlert>.offset(of: \.raw)!
        return [("timestamp_ns", raw + MemoryLayout<horus_obstacle_alert_t>.offset(of: \.timestamp_ns)!, .uint64),
                ("distance_m", raw + MemoryLayout<horus_obstacle_alert_t>.offset(of: \.distance_m)!, .float32),
                ("bearing_rad", raw + MemoryLayout<horus_obstacle_alert_t>.offset(of: \.bearing_rad)!, .float32),
                ("close_count", raw + MemoryLayout<horus_obstacle_alert_t>.offset(of: \.close_count)!, .uint32),
                ("level", raw + MemoryLayout<horus_obstacle_alert_t>.offset(of: \.level)!, .uint32)]
    }
}
