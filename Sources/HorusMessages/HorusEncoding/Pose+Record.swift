import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

extension Pose: PlainRecordableMessage {
    public static var recordFields: [(name: String, offset: Int, dtype: DType)] {
        [("x", MemoryLayout<Pose>.offset(of: \.x)!, .float64), ("y", MemoryLayout<Pose>.offset(of: \.y)!, .float64),
         ("z", MemoryLayout<Pose>.offset(of: \.z)!, .float64), ("yaw", MemoryLayout<Pose>.offset(of: \.yaw)!, .float64),
         ("pitch", MemoryLayout<Pose>.offset(of: \.pitch)!, .float64), ("roll", MemoryLayout<Pose>.offset(of: \.roll)!, .float64),
         ("timestamp_ns", MemoryLayout<Pose>.offset(of: \.timestampNs)!, .uint64)]
    }
}
