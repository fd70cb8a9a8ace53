import Foundation

/// A rosbag2 bag directory: `metadata.yaml` beside the storage file (MCAP here). horus writes
/// one when the output path ends in `/` (or names a directory), and reads one given its path.
public enum Rosbag2Directory {
    /// True when `path` should be (or is) a bag directory.
    public static func isDirectoryPath(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue)
    }

    /// Creates the directory and returns the MCAP file to record into (`<dir>/<dirname>_0.mcap`).
    public static func prepare(_ dir: String) throws -> String {
        let url = URL(fileURLWithPath: dir)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.appendingPathComponent("\(url.lastPathComponent)_0.mcap").path
    }

    /// The MCAP storage file of a bag directory (from `metadata.yaml`'s relative_file_paths, else the only .mcap).
    public static func storageFile(_ dir: String) throws -> String {
        let url = URL(fileURLWithPath: dir)
        let meta = url.appendingPathComponent("metadata.yaml").path
        var files: [String] = []
        if let text = try? String(contentsOfFile: meta, encoding: .utf8) {
            if text.contains("storage_identifier:") && !text.contains("storage_identifier: mcap") {
                throw RecordError("\(meta): storage is not mcap (only MCAP bags can be read; convert sqlite3 bags with `ros2 bag convert`)")
            }
            // The list under `relative_file_paths:` ("  - name.mcap" lines).
            var inList = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let t = line.trimmingCharacters(in: .whitespaces)
                if t.hasPrefix("relative_file_paths:") { inList = true; continue }
                if inList {
                    if t.hasPrefix("- ") { files.append(String(t.dropFirst(2)).trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))) } else { inList = false }
                }
            }
        }
        if files.isEmpty {
            files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".mcap") }.sorted()
        }
        guard !files.isEmpty else { throw RecordError("\(dir): a bag directory without an .mcap file") }
        guard files.count == 1 else { throw RecordError("\(dir): split bags (\(files.count) files) are not supported yet; merge them first") }
        return url.appendingPathComponent(URL(fileURLWithPath: files[0]).lastPathComponent).path
    }

    /// Writes `metadata.yaml` (rosbag2 version 5) for a finished recording in `dir`.
    public static func writeMetadata(_ dir: String, summary s: Recorder.Summary) throws {
        let file = URL(fileURLWithPath: s.path).lastPathComponent
        let duration = s.endTime >= s.startTime ? s.endTime - s.startTime : 0
        // rosbag2 lists CDR topics only (Tensor channels keep the horus encoding and are not part of the bag).
        let cdr = s.topics.filter { $0.messageEncoding == "cdr" }
        let count = cdr.reduce(0) { $0 + $1.written }
        var y = """
        rosbag2_bagfile_information:
          version: 5
          storage_identifier: mcap
          duration:
            nanoseconds: \(duration)
          starting_time:
            nanoseconds_since_epoch: \(s.startTime)
          message_count: \(count)
          topics_with_message_count:

        """
        for t in cdr {
            y += """
                - topic_metadata:
                    name: \(t.topic)
                    type: \(t.schemaName)
                    serialization_format: cdr
                    offered_qos_profiles: ""
                  message_count: \(t.written)

            """
        }
        y += """
          compression_format: ""
          compression_mode: ""
          relative_file_paths:
            - \(file)
          files:
            - path: \(file)
              starting_time:
                nanoseconds_since_epoch: \(s.startTime)
              duration:
                nanoseconds: \(duration)
              message_count: \(count)

        """
        try y.write(toFile: URL(fileURLWithPath: dir).appendingPathComponent("metadata.yaml").path, atomically: true, encoding: .utf8)
    }
}
