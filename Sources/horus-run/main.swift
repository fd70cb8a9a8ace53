// horus-run: run, check, draw and inspect horus processing graphs.
import ArgumentParser

struct HorusRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "horus-run",
        abstract: "Run and inspect horus processing graphs.",
        discussion: """
        `horus-run GRAPH.yaml` is short for `horus-run run GRAPH.yaml`.
        Shared memory is namespaced by HORUS_NAMESPACE (default: u<uid>).
        """,
        subcommands: [RunCommand.self, CheckCommand.self, GraphCommand.self,
                      TopicsCommand.self, CleanCommand.self, EchoCommand.self, HzCommand.self, BridgeCommand.self,
                      RecordCommand.self, ReplayCommand.self, InfoCommand.self, RecoverCommand.self,
                      TypesCommand.self, NewPluginCommand.self, SnapshotCommand.self, ViewCommand.self,
                      NodeHostCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

HorusRun.main()
