import ArgumentParser
import HorusRecord

/// `horus-run recover FILE [-o OUT]`: rewrites a truncated or damaged recording (e.g. of a killed
/// recorder, or with flipped bits) as a valid file with every intact chunk, saying what it skipped.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover", abstract: "Rewrite a truncated or damaged recording as a valid MCAP file.",
        discussion: """
        Damaged chunks are skipped (one line each: chunk, byte offset, messages lost, problem) and \
        reading goes on with the next intact chunk; a damaged summary or footer is rebuilt from \
        the chunks. Exit status 0 when the output was written (even with skipped parts), 1 when \
        the input cannot be read at all.
        """)

    @Argument(help: "Recording (MCAP), possibly truncated or damaged.") var file: String
    @Option(name: .shortAndLong, help: "Output file (default: FILE with .recovered.mcap).") var output: String?

    func run() throws {
        let out = output ?? (file.hasSuffix(".mcap") ? String(file.dropLast(5)) : file) + ".recovered.mcap"
        let r = try MCAPRecovery.recover(input: file, output: out)
        print("recovered \(r.messageCount) messages (\(r.channelCount) channels, \(r.schemaCount) schemas) from \(r.inputChunkCount) chunks into \(out)")
        if let d = r.summaryDamage { print("summary rebuilt from the chunks: \(d.problem) (at byte \(d.offset))") }
        for region in r.skipped { print("skipped \(region)") }
        if !r.skipped.isEmpty {
            let lost = r.messagesLost.map { "\($0) messages lost" } ?? "messages lost: unknown for some"
            print("skipped \(r.skipped.count) damaged part\(r.skipped.count == 1 ? "" : "s"), \(lost)")
        }
        if let t = r.inputTruncation { print("input was truncated: \(t)") }
    }
}
