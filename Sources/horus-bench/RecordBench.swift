import ArgumentParser
import HorusRecord

/// `horus-bench record`: recording throughput (MB/s) of 640x480 rgb8 + depth next to a
/// plain sequential write(2) of the same bytes in the same run, and replay --fast (msg/s);
/// then the ROS 2 figures (ros2/cdr vs horus encoding, depth bag replay, CDR vs memcpy).
struct RecordBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Recording throughput vs plain write(2), and replay --fast throughput."
    )

    @OptionGroup var common: CommonBenchOptions

    @Option(help: "rgb8 + depth frame pairs to record.")
    var frames = 300

    @Option(help: "Directory for the files (default: a temporary directory; use a real disk to measure it).")
    var directory: String?

    @Option(help: "Interleaved runs (recorder, recorder without CRC, plain write); medians are reported.")
    var runs = 9

    @Flag(help: "Include fsync(2) in both the recorder's and the plain write's times (measures the disk).")
    var fsync = false

    @Option(help: "Graph whose topics the ROS 2 encoding cost is measured on.")
    var graph = "graphs/camera_to_costmap.yaml"

    @Option(help: "Passes over the graph's 4 recorded frames per ROS 2 encoding run.")
    var ros2Passes = 25

    @Option(help: "Frames of the 640x480 depth bag replayed with --fast.")
    var bagFrames = 1500

    @Flag(help: "Only the ROS 2 figures.")
    var ros2Only = false

    func run() throws {
        let ros2 = try ROS2Benchmark.run(graphPath: graph, runs: max(3, runs / 2), passes: ros2Passes, bagFrames: bagFrames, directory: directory)
        if ros2Only {
            print(ros2.formatted)
            if common.json {
                print(#"{"bench":"record-ros2","ros2_cost_ratio":\#(ros2.costRatio),"ros2_cpu_ratio":\#(ros2.cpuRatio),"replay_depth_bag_msg_s":\#(ros2.replayMessagesPerSecond),"encode_p50_ratio":\#((ros2.encode?.p50 ?? 0) / (ros2.memcpyEncode?.p50 ?? 1)),"decode_p50_ratio":\#((ros2.decode?.p50 ?? 0) / (ros2.memcpyDecode?.p50 ?? 1))}"#)
            }
            return
        }
        let r = try RecordBenchmark.run(frames: frames, directory: directory, runs: runs, fsync: fsync)
        print(r.formatted)
        print(ros2.formatted)
        if common.json {
            print(#"{"bench":"record","record_mb_s":\#(r.recordMBps),"plain_write_mb_s":\#(r.plainWriteMBps),"ratio":\#(r.ratio),"median_run_ratio":\#(r.medianRatio),"cpu_ratio":\#(r.cpuRatio),"fsync":\#(r.fsync),"replay_msg_s":\#(r.replayMessagesPerSecond),"lost":\#(r.lost),"ros2_cost_ratio":\#(ros2.costRatio),"ros2_cpu_ratio":\#(ros2.cpuRatio),"replay_depth_bag_msg_s":\#(ros2.replayMessagesPerSecond),"encode_p50_ratio":\#((ros2.encode?.p50 ?? 0) / (ros2.memcpyEncode?.p50 ?? 1)),"decode_p50_ratio":\#((ros2.decode?.p50 ?? 0) / (ros2.memcpyDecode?.p50 ?? 1))}"#)
        }
    }
}
