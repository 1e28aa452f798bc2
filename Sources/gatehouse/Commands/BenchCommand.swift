import ArgumentParser

/// `gatehouse bench …`: throughput figures, measured in a release build.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (build with -c release for figures worth quoting).",
        subcommands: [BenchParseCommand.self, BenchRegisterCommand.self])
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

/// `gatehouse bench register`: IMS-AKA registrations per second through the embedded core, with SIPp UEs.
struct BenchRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register the lab's alice with IMS-AKA through the embedded core at a rate; print registrations/s.",
        discussion: """
            Starts a node on 127.0.0.50 with its own temporary SQLite store and runs SIPp (127.0.0.51) for
            --registrations registrations at --rate per second, at most --concurrency at once. Every registration is
            a new Call-ID: UAR, MAR (a fresh vector, its SQN written), SAR, binding written.
            The last line is machine-readable: register_per_s=N failed=M
            """)

    @Option(help: "Registrations in all.") var registrations: Int = 5_000
    @Option(help: "Registrations SIPp starts per second.") var rate: Int = 1_000
    @Option(help: "At most this many in progress at once.") var concurrency: Int = 200

    func validate() throws {
        guard registrations >= 100, rate >= 1, concurrency >= 1 else {
            throw ValidationError("--registrations ≥ 100, --rate ≥ 1, --concurrency ≥ 1")
        }
    }

    func run() async throws {
        #if DEBUG
            print("warning: this is a debug build; figures are not representative (use -c release)")
        #endif
        let result = try await RegisterBenchmark(
            registrations: registrations, rate: rate, concurrency: concurrency
        ).run()
        print(
            "registered \(result.registered) of \(registrations) in \(String(format: "%.2f", result.seconds)) s "
                + "(SIPp exit \(result.sippStatus)), \(result.failed) refused")
        print("register_per_s=\(Int(result.perSecond)) failed=\(result.failed)")
    }
}
