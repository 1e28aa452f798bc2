import ArgumentParser
import GatehouseServer
import Logging

/// `gatehouse bench …`: throughput figures, measured in a release build.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (build with -c release for figures worth quoting).",
        subcommands: [
            BenchParseCommand.self, BenchRegisterCommand.self, BenchReplayCommand.self, BenchRelayCommand.self,
        ])
}

/// `gatehouse bench relay`: RTP packets per second through the media relay, rtpengine, or bare loopback.
struct BenchRelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Relay 172-byte RTP packets through anchored streams; print packets/s.",
        discussion: """
            Binds the relay's realms on 127.0.0.70 and .71 (ports 44000-47999), the load on .72 and the sink on
            .73, one socket and thread each (sendmmsg, recvmmsg). --through rtpengine starts rtpengine
            (userspace only, --table=-1) on 127.0.0.90 (ports 55000-58999) and sets up each stream with ng
            offer/answer; --through loopback sends straight to the sink (the machine's limit with this load
            generator). With --protect srtp the sink's leg runs SDES SRTP (AES_CM_128_HMAC_SHA1_80): the relay
            protects every packet.
            Without --rate the load sends as fast as its thread can (a flood). With --rate the load
            is paced: RATE packets/s in all, split evenly over the streams, sent every 250 us. With --search the
            paced rate starts at --rate (default 10000) and rises by 25 % a step (each step --seconds long) until
            1 % or more of the packets are lost, then the gap is halved twice: the result is the highest rate
            carried without loss. `make bench-media` runs the whole table.
            The last line is machine-readable:
              relay_pps=N streams=S sent_pps=M loss=L through=X threads=T protect=P            (flood, --rate)
              lossless_pps=R delivered_pps=N streams=S through=X threads=T protect=P limit=W   (--search)
            where W is "relay" (loss above 1 %), "generator" (the load could not go faster) or "steps".
            """)

    @Option(help: "Concurrent streams.") var streams: Int = 1
    @Option(help: "Seconds measured (after half a second of warm-up); per step with --search.") var seconds: Int = 5
    @Option(help: "What relays the packets: gatehouse, rtpengine or loopback.") var through: RelayUnderTest = .gatehouse
    @Option(help: "Relay event loops (Gatehouse) or worker threads (rtpengine).") var threads: Int = 1
    @Option(help: "The rtpengine daemon to compare with.") var rtpengine = "/usr/bin/rtpengine"
    @Option(help: "What the sink's leg carries: rtp, or srtp (the relay protects each packet).")
    var protect: RelayBenchmark.Protection = .rtp
    @Option(help: "Paced load: packets/s in all, split evenly over the streams (the first rate with --search).")
    var rate: Int?
    @Flag(help: "Search for the highest paced rate with less than 1 % loss.") var search = false

    func validate() throws {
        guard (1...1000).contains(streams), (1...600).contains(seconds), (1...64).contains(threads) else {
            throw ValidationError("--streams 1–1000, --seconds 1–600, --threads 1–64")
        }
        if let rate, !(100...2_000_000).contains(rate) { throw ValidationError("--rate 100–2000000") }
    }

    func run() async throws {
        #if DEBUG
            print("warning: this is a debug build; figures are not representative (use -c release)")
        #endif
        let benchmark = RelayBenchmark(
            streams: streams, seconds: seconds, through: through, protection: protect, relayThreads: threads,
            rtpengineExecutable: rtpengine)
        let setting = "streams=\(streams) through=\(through.rawValue) threads=\(threads) protect=\(protect.rawValue)"
        if search {
            let outcome = try await benchmark.search(
                RelayRateSearch(start: rate ?? 10_000, seconds: Double(seconds)), report: Self.printStep)
            let best = outcome.lossless
            let limit =
                outcome.generatorLimited
                ? "generator" : outcome.steps.count >= RelayRateSearch().maximumSteps ? "steps" : "relay"
            print("highest rate with less than 1 % loss: \(best?.offeredRate ?? 0) packets/s (limit: \(limit))")
            print(
                "lossless_pps=\(best?.offeredRate ?? 0) delivered_pps=\(Int(best?.perSecond ?? 0)) \(setting) limit=\(limit)"
            )
            return
        }
        let result: RelayBenchmark.Result
        if let rate {
            result = try await benchmark.run(rate: rate)
        } else {
            result = try await benchmark.run()
        }
        print(
            "\(through.rawValue), \(streams) stream(s): delivered \(result.delivered) of \(result.sent) packets sent in "
                + "\(String(format: "%.2f", result.seconds)) s; delivered datagrams of \(result.deliveredSize) bytes")
        print(
            "relay_pps=\(Int(result.perSecond)) sent_pps=\(Int(result.sentPerSecond)) "
                + "loss=\(String(format: "%.4f", result.loss)) \(setting)")
    }

    private static func printStep(_ step: RelayBenchmark.Result) {
        print(
            "  rate \(step.offeredRate ?? 0)/s: sent \(Int(step.sentPerSecond))/s (skipped \(step.skipped)), "
                + "delivered \(Int(step.perSecond))/s, loss \(String(format: "%.2f", step.loss * 100)) %")
    }
}

extension RelayUnderTest: ExpressibleByArgument {}
extension RelayBenchmark.Protection: ExpressibleByArgument {}

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
        abstract: "Register IMS-AKA subscribers through the embedded core at a rate; print registrations/s.",
        discussion: """
            Starts a node on 127.0.0.50 with its own temporary SQLite store and --ues subscribers, and one SIPp UE
            per subscriber (127.0.0.51) re-registering it, for --registrations registrations at --rate per second in
            all. Every registration is a new Call-ID: UAR, MAR (a fresh vector, its SQN written), SAR, binding
            written.
            The last line is machine-readable: register_per_s=N failed=M
            """)

    @Option(help: "Registrations in all.") var registrations: Int = 5_000
    @Option(help: "Registrations SIPp starts per second.") var rate: Int = 1_000
    @Option(help: "Subscribers, one SIPp each (each with at most 2 registrations in flight).") var ues: Int = 20
    @Option(help: "The node's log level (logs go to standard error).") var logLevel: String = "error"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level '\(logLevel)'") }
        guard registrations >= 100, rate >= 1, (1...200).contains(ues) else {
            throw ValidationError("--registrations ≥ 100, --rate ≥ 1, --ues 1–200")
        }
    }

    func run() async throws {
        #if DEBUG
            print("warning: this is a debug build; figures are not representative (use -c release)")
        #endif
        let result = try await RegisterBenchmark(
            registrations: registrations, rate: rate, ues: ues,
            logLevel: Logger.Level(rawValue: logLevel) ?? .error
        ).run()
        print(
            "registered \(result.registered) of \(registrations) in \(String(format: "%.2f", result.seconds)) s "
                + "(\(result.failedUEs) of \(ues) SIPp UEs failed), \(result.failed) refused")
        for (status, count) in result.refusals.sorted(by: { $0.key < $1.key }) {
            print("  \(count) answered \(status)")
        }
        print("register_per_s=\(Int(result.perSecond)) failed=\(result.failed)")
    }
}

/// `gatehouse bench replay`: SIP messages per second through `gatehouse replay`, on one core.
struct BenchReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a synthetic capture (INVITE, REGISTER, OPTIONS, responses) and print SIP messages/s.",
        discussion: "The last line is machine-readable: replay_per_s=N messages=M")

    @Option(help: "SIP messages in the synthetic capture.")
    var messages: Int = 200_000

    @Flag(
        inversion: .prefixedNo,
        help: "Record each message's pipeline steps as text, as gatehouse replay does when it writes a --report.")
    var trace = false

    @Option(
        help: ArgumentHelp(
            "Only the capture's messages of one kind (invite, register, options, response), as the whole capture holds them.",
            valueName: "kind"))
    var only: ReplayBenchmark.Kind?

    @Flag(help: "Instead: what each step of the path costs for the capture's INVITE and REGISTER.")
    var stages = false

    func validate() throws {
        guard messages >= 1_000 else { throw ValidationError("--messages must be at least 1000") }
    }

    func run() throws {
        #if DEBUG
            print("warning: this is a debug build; figures are not representative (use -c release)")
        #endif
        if stages {
            printStageCosts()
            return
        }
        let result = try ReplayBenchmark(messages: messages, recordsTrace: trace, only: only).run()
        let verdicts = ReplayVerdict.Kind.allCases.map { "\($0.rawValue) \(result.summary.count($0))" }
        print(
            "replayed \(result.messages) messages in \(String(format: "%.2f", result.seconds)) s: \(verdicts.joined(separator: ", "))"
        )
        print("replay_per_s=\(Int(result.perSecond)) messages=\(result.messages)")
    }
}

extension ReplayBenchmark.Kind: ExpressibleByArgument {
    init?(argument: String) {
        guard let kind = Self.allCases.first(where: { $0.name == argument.lowercased() }) else { return nil }
        self = kind
    }

    static var allValueStrings: [String] { allCases.map(\.name) }
}
