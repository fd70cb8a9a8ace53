import ArgumentParser
import HorusRecord

/// `horus-run info FILE`: topics, types, counts, duration, rates.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Summarize an MCAP recording.")

    @Argument(help: "Recording (MCAP).") var file: String

    func run() throws {
        print(try MCAPInfo(path: file).formattedTable())
    }
}
