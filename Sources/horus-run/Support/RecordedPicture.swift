import Foundation
import HorusMessages
import HorusMemory
import HorusPicture
import HorusRecord

/// The picture of a recorded message, drawn from its horus record bytes (docs/recording-format.md):
/// horus-encoded channels as they are, ROS 2 CDR ones (MCAP or rosbag2) decoded first.
enum RecordedPicture {
    /// The message of `topic` at `seconds` after the recording's first message (the first
    /// one at or after that time, else the last one); its picture and a description.
    static func render(path: String, topic: String, seconds: Double) throws -> (RGBPicture, String) {
        let source: RecordingSource
        do { source = try RecordingSource(path: path) } catch { throw ExitCodeError.topic("cannot read recording '\(path)': \(error)") }
        let reader = source.reader
        guard let channel = source.channels.first(where: { $0.recordedTopic == topic }) else {
            let known = source.channels.map(\.recordedTopic).sorted().joined(separator: ", ")
            throw ExitCodeError.topic("recording '\(path)' has no topic '\(topic)' (topics: \(known.isEmpty ? "none" : known))")
        }
        guard !channel.typeNames.isEmpty else {
            throw ExitCodeError.topic("topic '\(topic)' in '\(path)' is \(channel.schemaName.isEmpty ? "schemaless" : channel.schemaName) (\(channel.messageEncoding)), which horus does not decode")
        }
        let start = reader.statistics.messageStartTime
        let target = start &+ UInt64(max(0, seconds) * 1e9)
        // Pass 1 picks the message (no copies), pass 2 copies that one.
        var index = -1, seen = 0, reached = false
        try reader.forEachMessage { m in
            guard m.channelID == channel.id, !reached else { return }
            index = seen
            reached = m.logTime >= target
            seen += 1
        }
        var chosen: (time: UInt64, bytes: [UInt8])?
        seen = 0
        try reader.forEachMessage { m in
            guard m.channelID == channel.id else { return }
            if seen == index { chosen = (m.logTime, Array(m.data)) }
            seen += 1
        }
        guard var chosen else { throw ExitCodeError.topic("topic '\(topic)' in '\(path)' has no messages") }
        if channel.messageEncoding == "cdr" {
            // ROS 2 CDR (the default recording encoding, and rosbag2): rebuilt as a horus record.
            let codecs = channel.typeNames.compactMap { MessageCodecRegistry.shared.codecs($0) }
            let pool = try HorusRecordBytes.decodingPool("snapshot")
            do { chosen.bytes = try chosen.bytes.withUnsafeBytes { try HorusRecordBytes.fromCDR($0, codecs: codecs, pool: pool) } } catch {
                throw ExitCodeError.topic("topic '\(topic)' in '\(path)': bad \(channel.schemaName) message at t=\(chosen.time) ns: \(error)")
            }
        }
        let at = "t=+\(Fmt.num(Double(chosen.time &- start) / 1e9)) s"
        let (picture, what) = try chosen.bytes.withUnsafeBytes { try draw($0) }
        return (picture, "\(what) \(at)")
    }

    /// Draws one record: its 160-byte header says the kind, shape and encoding.
    static func draw(_ record: UnsafeRawBufferPointer) throws -> (RGBPicture, String) {
        let h = try RecordFormat.Header.decode(record)
        let payload = UnsafeRawBufferPointer(rebasing: record[RecordFormat.headerSize..<(RecordFormat.headerSize + h.payloadBytes)])
        func bad(_ why: String) -> PictureError { PictureError("record of kind \(h.kind), shape \(h.shape): \(why)") }
        switch RecordFormat.Kind(rawValue: h.kind) {
        case .image:
            guard h.shape.count == 3, let e = ImageEncoding(rawValue: h.encoding) else { throw bad("not an image") }
            return (try ImagePicture.render(width: h.shape[1], height: h.shape[0], encoding: e, bytes: payload), "Image \(h.shape[0])x\(h.shape[1]) \(e)")
        case .depthImage:
            guard h.shape.count == 2, let u = DepthUnit(rawValue: h.encoding), u.dtype == h.dtype else { throw bad("not a depth image") }
            return (try DepthPicture.render(width: h.shape[1], height: h.shape[0], unit: u, bytes: payload), "DepthImage \(h.shape[0])x\(h.shape[1]) \(u)")
        case .pointCloud:
            guard h.shape.count == 2, h.dtype == .float32, let f = PointFormat(rawValue: h.encoding), h.shape[1] == f.fieldCount else { throw bad("not a point cloud") }
            return (try CloudPicture.render(count: h.shape[0], format: f, floats: payload), "PointCloud \(h.shape[0]) points \(f)")
        case .costmap:
            guard h.shape.count == 2, h.dtype == .uint8, h.meta.count >= 20 else { throw bad("not a costmap") }
            // meta: width u32, height u32, resolution f32, origin_x f32, origin_y f32 (little-endian).
            func u32(_ o: Int) -> UInt32 { h.meta[o..<(o + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
            let cells = CostmapCells(width: h.shape[1], height: h.shape[0], resolution: Float(bitPattern: u32(8)),
                                     originX: Float(bitPattern: u32(12)), originY: Float(bitPattern: u32(16)), cells: payload)
            guard Int(u32(0)) == cells.width, Int(u32(4)) == cells.height else { throw bad("geometry \(u32(0))x\(u32(4)) differs from the shape") }
            return (try CostmapPicture.render(cells), "Costmap \(cells.width)x\(cells.height)")
        case .tensor, nil:
            throw PictureError("snapshot draws Image, DepthImage, PointCloud and Costmap records, not record kind \(h.kind)")
        }
    }
}
