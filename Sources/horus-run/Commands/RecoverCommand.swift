import ArgumentParser
import HorusRecord

/// `horus-run recover FILE [-o OUT]`: rewrites a truncated recording (e.g. of a killed
/// recorder) as a valid file with every complete chunk.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recover", abstract: "Rewrite a truncated recording as a valid MCAP file.")

    @Argument(help: "Recording (MCAP), possibly truncated.") var file: String
    @Option(name: .shortAndLong, help: "Output file (default: FILE with .recovered.mcap).") var output: String?

    func run() throws {
        let out = output ?? (file.hasSuffix(".mcap") ? String(file.dropLast(5)) : file) + ".recovered.mcap"
        let r = try MCAPRecovery.recover(input: file, output: out)
        print("recovered \(r.messageCount) messages (\(r.channelCount) channels, \(r.schemaCount) schemas) from \(r.inputChunkCount) chunks into \(out)")
        if let t = r.inputTruncation { print("input was truncated: \(t)") }
    }
}
