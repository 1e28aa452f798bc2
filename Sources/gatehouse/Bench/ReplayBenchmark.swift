import Capture
import Foundation
import GatehousePolicy
import GatehouseServer
import SIPMessage

/// Replay throughput on one core: a synthetic capture of `messages` SIP messages — initial INVITEs from a PBX
/// routed to a carrier (each built into the callee's INVITE by the B2BUA and the egress stages), REGISTERs and
/// OPTIONS from thousands of unknown sources (some of them over their rate limit), and the carrier's responses —
/// is written to a temporary pcap, then read, decoded and judged by `CaptureReplaySession` as `gatehouse replay`
/// does without a report (`--trace`: with the steps recorded as a report needs them). The figure is SIP messages
/// per second of the whole run.
struct ReplayBenchmark {
    struct Result {
        var messages: Int
        var seconds: Double
        var summary: ReplaySummary
        var perSecond: Double { Double(messages) / seconds }
    }

    /// The four kinds of message the capture interleaves, in their order.
    enum Kind: Int, CaseIterable {
        case invite, register, options, response

        var name: String { ["invite", "register", "options", "response"][rawValue] }
    }

    let messages: Int
    /// Record each message's pipeline steps as text, as `gatehouse replay` does when it writes a report.
    var recordsTrace = false
    /// Only the messages of one kind, exactly as the whole capture holds them (the same sources, the same spacing
    /// per source, so the same verdicts): what that kind costs inside a whole replay. Nil: the whole capture.
    var only: Kind?

    static let policyYAML = """
        version: 1
        node: { name: bench }
        realms:
          access: { listen: ["udp://127.0.0.10:5060"] }
          interconnect: { listen: ["udp://127.0.0.20:5060"] }
        peers:
          pbx:
            realm: access
            addresses: ["127.0.16.0/20"]
            numbering: { country_code: 1, national_prefix: "1", national_lengths: 10 }
          carrier: { realm: interconnect, addresses: ["127.0.1.0/24"], next_hop: "sip:127.0.1.1:5060", trust: trusted, numbering: { country_code: 1 } }
        admission:
          per_source: { messages_per_second: { rate: 50, burst: 100 } }
        # No BYEs in the capture: room for every call, so that each INVITE takes the whole path.
        limits: { max_calls: 1000000 }
        routes:
          - { match: { from_peer: pbx, number_prefix: "+1" }, to: "peer:carrier" }
          - { match: { method: REGISTER }, to: "peer:carrier" }
        """

    func run() throws -> Result {
        let policy = try PolicyLoader.load(yaml: Self.policyYAML, file: "bench-replay.yaml")
        let path = NSTemporaryDirectory() + "gatehouse-bench-replay-\(getpid()).pcap"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeCapture(to: path)
        var session = CaptureReplaySession(policy: policy)
        session.options.recordsTrace = recordsTrace
        let start = ContinuousClock.now
        let summary = try session.run(capture: path)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(messages: summary.messages, seconds: seconds, summary: summary)
    }

    /// The synthetic capture: one message every 10 µs of capture time (with `only`, the capture's messages of
    /// that kind, each at its place in time).
    private func writeCapture(to path: String) throws {
        let writer = try PcapFileWriter(path: path)
        let access = IPAddress(parsing: "127.0.0.10")!
        let interconnect = IPAddress(parsing: "127.0.0.20")!
        var timestamp: Int64 = 1_800_000_000_000_000_000
        for position in 0..<messages {
            let index = only.map { position * Kind.allCases.count + $0.rawValue } ?? position
            timestamp += only == nil ? 10_000 : 10_000 * Int64(Kind.allCases.count)
            let frame: [UInt8]
            switch index % 4 {
            case 0:
                // 4,096 PBX addresses, each within its per-source budget: every INVITE is routed and built.
                let pbx = IPAddress.v4(IPv4Address(127, 0, UInt8(16 + index / 1024 % 16), UInt8(index / 4 % 256)))
                frame = PacketBuilder.udpFrame(from: pbx, 5060, to: access, 5060, payload: Self.invite(index))
            case 1:
                let source = IPAddress.v4(IPv4Address(10, 0, UInt8(index / 1024 % 16), UInt8(index / 4 % 256)))
                frame = PacketBuilder.udpFrame(
                    from: source, 5060, to: access, 5060, payload: Self.register(index, source))
            case 2:
                // 64 scanners: far over their budget, rate limited, then blocklisted.
                let source = IPAddress.v4(IPv4Address(10, 1, 0, UInt8(index / 4 % 64)))
                frame = PacketBuilder.udpFrame(
                    from: source, 5070, to: access, 5060, payload: Self.options(index, source))
            default:
                let carrier = IPAddress.v4(IPv4Address(127, 0, 1, UInt8(index / 4 % 256)))
                frame = PacketBuilder.udpFrame(
                    from: carrier, 5060, to: interconnect, 5060, payload: Self.response(index))
            }
            try writer.write(frame, timestamp: timestamp)
        }
        try writer.flush()
    }

    private static func lines(_ lines: [String], body: String = "") -> [UInt8] {
        Array((lines.joined(separator: "\r\n") + "\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
    }

    static func invite(_ index: Int) -> [UInt8] {
        let sdp =
            "v=0\r\no=pbx 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n"
        return lines(
            [
                "INVITE sip:555123\(String(format: "%04d", index % 10_000))@127.0.0.10 SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-\(index)",
                "Max-Forwards: 70",
                "From: \"PBX\" <sip:2000@127.0.0.2>;tag=f\(index)",
                "To: <sip:555123\(String(format: "%04d", index % 10_000))@127.0.0.10>",
                "Call-ID: call-\(index)@127.0.0.2",
                "CSeq: 1 INVITE",
                "Contact: <sip:2000@127.0.0.2:5060>",
                "User-Agent: bench-pbx",
                "Content-Type: application/sdp",
            ], body: sdp)
    }

    static func register(_ index: Int, _ source: IPAddress) -> [UInt8] {
        lines([
            "REGISTER sip:127.0.0.10 SIP/2.0",
            "Via: SIP/2.0/UDP \(source):5060;branch=z9hG4bK-r\(index)",
            "Max-Forwards: 70",
            "From: <sip:u\(index % 1000)@127.0.0.10>;tag=r\(index)",
            "To: <sip:u\(index % 1000)@127.0.0.10>",
            "Call-ID: reg-\(index)@\(source)",
            "CSeq: 1 REGISTER",
            "Contact: <sip:u\(index % 1000)@\(source):5060>",
            "Expires: 3600",
        ])
    }

    static func options(_ index: Int, _ source: IPAddress) -> [UInt8] {
        lines([
            "OPTIONS sip:100@127.0.0.10 SIP/2.0",
            "Via: SIP/2.0/UDP \(source):5070;branch=z9hG4bK-o\(index)",
            "Max-Forwards: 70",
            "From: \"scan\" <sip:100@\(source)>;tag=o\(index)",
            "To: <sip:100@127.0.0.10>",
            "Call-ID: opt-\(index)@\(source)",
            "CSeq: 1 OPTIONS",
            "Accept: application/sdp",
        ])
    }

    static func response(_ index: Int) -> [UInt8] {
        lines([
            "SIP/2.0 200 OK",
            "Via: SIP/2.0/UDP 127.0.0.20:5060;branch=z9hG4bK-b\(index)",
            "From: <sip:+15551230000@127.0.0.20>;tag=b\(index)",
            "To: <sip:+15551230000@127.0.0.3>;tag=c\(index)",
            "Call-ID: out-\(index)@127.0.0.20",
            "CSeq: 1 INVITE",
            "Contact: <sip:+15551230000@127.0.0.3:5060>",
        ])
    }
}

extension BenchReplayCommand {
    /// `--stages`: the cost of each step for the capture's first INVITE (from a PBX, routed to the carrier) and
    /// first REGISTER, each step on its own (`ReplayStageCosts`).
    func printStageCosts() {
        guard let policy = try? PolicyLoader.load(yaml: ReplayBenchmark.policyYAML, file: "bench-replay.yaml") else {
            return
        }
        let costs = ReplayStageCosts(policy: policy)
        let pbx = IPAddress.v4(IPv4Address(127, 0, 16, 1))
        let handset = IPAddress.v4(IPv4Address(10, 0, 0, 1))
        for (message, steps) in [
            ("INVITE", costs.invite(ReplayBenchmark.invite(0), from: pbx, realm: "access")),
            ("REGISTER", costs.register(ReplayBenchmark.register(1, handset), from: handset, realm: "access")),
        ] {
            print("\(message) (µs per message, each step on its own):")
            for step in steps {
                let name = step.name.padding(toLength: 30, withPad: " ", startingAt: 0)
                print("  \(name) \(String(format: "%7.2f", step.nanoseconds / 1000))")
            }
        }
    }
}
