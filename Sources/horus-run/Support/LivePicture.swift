import Foundation
import HorusMemory
import HorusMessages
import HorusPicture
import HorusTopics

/// The picture of the next message on a live topic (Image, DepthImage, PointCloud, Costmap).
enum LivePicture {
    /// Waits up to `timeout` seconds for a message; returns its picture and a one-line description.
    static func next(topic: String, timeout: Double) throws -> (RGBPicture, String) {
        let tap = try TopicTap(topic: topic)
        let end = Date().addingTimeInterval(timeout)
        var result: Result<(RGBPicture, String), Error>?
        func take<M: TopicMessage>(_: M.Type, _ draw: @escaping (M) throws -> (RGBPicture, String)) throws {
            try tap.messages(M.self, stop: { StopSignal.requested || Date() >= end }) { _, m in
                result = Result { try draw(m) }
                return false
            }
        }
        switch tap.ring.typeName {
        case "Image": try take(Image.self) { (try ImagePicture.render($0), "Image \($0.height)x\($0.width) \($0.encoding)") }
        case "DepthImage": try take(DepthImage.self) { (try DepthPicture.render($0), "DepthImage \($0.height)x\($0.width) \($0.unit)") }
        case "PointCloud": try take(PointCloud.self) { (try CloudPicture.render($0), "PointCloud \($0.count) points \($0.format)") }
        case "Costmap": try take(Costmap.self) { m in (try CostmapPicture.render(cells(of: m)), "Costmap \(m.geometry.width)x\(m.geometry.height)") }
        case let other:
            throw ExitCodeError.topic("topic '\(topic)' carries \(other): snapshot draws Image, DepthImage, PointCloud and Costmap")
        }
        guard let result else { throw ExitCodeError.topic("no message on '\(topic)' within \(Fmt.num(timeout)) s") }
        return try result.get()
    }

    /// A costmap's cells and geometry for the renderer (valid while `m` lives).
    static func cells(of m: Costmap) -> CostmapCells {
        let g = m.geometry
        return CostmapCells(width: g.width, height: g.height, resolution: g.resolution, originX: g.originX, originY: g.originY,
                            cells: UnsafeRawBufferPointer(m.bytes))
    }
}
