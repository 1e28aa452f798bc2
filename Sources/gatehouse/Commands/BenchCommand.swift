import ArgumentParser

/// `gatehouse bench …`: throughput figures, measured in a release build.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (build with -c release for figures worth quoting).",
        subcommands: [BenchParseCommand.self])
}

/// `gatehouse bench parse`: SIP codec throughput on one core.
struct BenchParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse and re-serialize a 1 KB INVITE with SDP and a 400-byte 200 OK; print messages per second.",
        discussion: "The last line is machine-readable: invite_per_s=N response_per_s=M")

    @Option(help: "Messages of each kind per measured round.")
    var iterations: Int = 1_000_000

    func validate() throws {
        guard iterations >= 1_000 else { throw ValidationError("--iterations must be at least 1000") }
    }

    func run() {
        #if DEBUG
            print("warning: this is a debug build; figures are not representative (use -c release)")
        #endif
        let result = ParseBenchmark().run(iterations: iterations)
        print("INVITE   \(result.inviteBytes) bytes: \(result.invitesPerSecond) messages/s")
        print("200 OK   \(result.responseBytes) bytes: \(result.responsesPerSecond) messages/s")
        print("invite_per_s=\(result.invitesPerSecond) response_per_s=\(result.responsesPerSecond)")
    }
}
