import ArgumentParser

/// `gatehouse`: the command line of the Gatehouse session border controller.
@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "Gatehouse: a session border controller with an embedded IMS core.",
        discussion: """
            Start a node with `gatehouse serve --policy policies/lab.yaml`; check a policy file before deploying
            it with `gatehouse check FILE`; make a running node re-read its policy with `gatehouse reload`; watch it with
            `gatehouse status`, `gatehouse calls` and `gatehouse registrations` (or its status page); manage the embedded HSS's subscribers with
            `gatehouse hss`. The policy reference is policies/README.md.
            """,
        version: GatehouseVersionInfo.text,
        subcommands: [
            ServeCommand.self, ReloadCommand.self, CheckCommand.self, ExplainCommand.self, ReplayCommand.self,
            VersionCommand.self, BenchCommand.self, HSSCommand.self, StatusCommand.self, CallsCommand.self,
            RegistrationsCommand.self, BlockCommand.self,
        ]
    )
}
