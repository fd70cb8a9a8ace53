import ArgumentParser
import HorusRecord

/// `horus-bench record`: recording throughput (MB/s) of 640x480 rgb8 + depth next to a
/// plain sequential write(2) of the same bytes in the same run, and replay --fast (msg/s).
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

    func run() throws {
        let r = try RecordBenchmark.run(frames: frames, directory: directory, runs: runs, fsync: fsync)
        print(r.formatted)
        if common.json {
            print(#"{"bench":"record","record_mb_s":\#(r.recordMBps),"plain_write_mb_s":\#(r.plainWriteMBps),"ratio":\#(r.ratio),"median_run_ratio":\#(r.medianRatio),"cpu_ratio":\#(r.cpuRatio),"fsync":\#(r.fsync),"replay_msg_s":\#(r.replayMessagesPerSecond),"lost":\#(r.lost)}"#)
        }
    }
}
