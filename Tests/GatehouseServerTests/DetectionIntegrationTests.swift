import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import SIPMessage
import TestSupport
import Testing

/// Detection and the operators' blocklist methods on a running node, on loopback, in user space (no `firewall:`
/// section, so nothing touches the kernel): a sweep, an enumeration and a malformed storm each get their source
/// blocked with their reason and counter, and `block`/`unblock`/`blocklist` work on the engine's admission control.
///
/// Addresses: Gatehouse 127.0.0.241; senders .242 (sweep), .243 (enumeration), .244 and .246 (malformed),
/// .245 (operator).
@Suite(.serialized)
struct DetectionIntegrationTests {
    static let node = "127.0.0.241"

    static func policy() throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: detection-test }
                realms:
                  access: { listen: ["udp://\(node):5060"] }
                detection:
                  block_for: 5m
                  sweeps: { distinct: 5, within: 60s }
                  enumeration: { distinct: 4, within: 60s }
                  malformed: { count: 3, within: 60s }
                """, file: "detection-test.yaml")
    }

    static func start() throws -> GatehouseNode {
        var logger = Logger(label: "gatehouse.detection-test")
        logger.logLevel = ProcessInfo.processInfo.environment["DETECTION_TEST_LOG"] == nil ? .critical : .info
        return GatehouseNode(policy: try policy(), logger: logger, threads: 1)
    }

    static func request(_ method: String, user: String, host: String = node, from source: String, port: Int) -> String {
        let branch = "z9hG4bK-\(UUID().uuidString.prefix(12))"
        var text = "\(method) sip:\(user)@\(host) SIP/2.0\r\n"
        text += "Via: SIP/2.0/UDP \(source):\(port);branch=\(branch);rport\r\n"
        text += "Max-Forwards: 70\r\nFrom: <sip:probe@\(source)>;tag=\(UUID().uuidString.prefix(8))\r\n"
        text += "To: <sip:\(user)@\(host)>\r\nCall-ID: \(UUID().uuidString)@\(source)\r\nCSeq: 1 \(method)\r\n"
        if method == "INVITE" || method == "REGISTER" { text += "Contact: <sip:probe@\(source):\(port)>\r\n" }
        text += "User-Agent: probe/1.0\r\nContent-Length: 0\r\n\r\n"
        return text
    }

    @Test func anOPTIONSSweepGetsItsSourceBlocked() async throws {
        let node = try Self.start()
        try await node.serving { _ in
            let probe = try SocketProbe(udpFrom: "127.0.0.242")
            for index in 1...4 {
                probe.send(
                    Self.request(
                        "OPTIONS", user: "100", host: "10.0.0.\(index)", from: "127.0.0.242", port: probe.localPort),
                    to: Self.node, port: 5060)
                #expect(await probe.receiveYielding()?.hasPrefix("SIP/2.0 200") == true)
            }
            // The fifth distinct target completes the sweep: no answer, and the source is blocked.
            probe.send(
                Self.request("OPTIONS", user: "100", host: "10.0.0.5", from: "127.0.0.242", port: probe.localPort),
                to: Self.node, port: 5060)
            #expect(await probe.receiveYielding(timeoutMilliseconds: 500) == nil)
            let entries = await node.blocklist()
            #expect(entries.map(\.reason) == ["sweep"])
            #expect(entries.first?.address.description == "127.0.0.242")
            #expect(entries.first?.kernel == false)
            #expect((entries.first?.remaining ?? .zero) > .seconds(290))
            #expect(node.counters.snapshot.detections == ["sweep.block": 1])
            probe.send(
                Self.request("OPTIONS", user: "100", host: "10.0.0.1", from: "127.0.0.242", port: probe.localPort),
                to: Self.node, port: 5060)
            #expect(await probe.receiveYielding(timeoutMilliseconds: 500) == nil)
        }
    }

    @Test func enumeratingUsersThatGet404GetsItsSourceBlocked() async throws {
        let node = try Self.start()
        try await node.serving { _ in
            let probe = try SocketProbe(udpFrom: "127.0.0.243")
            // No route: every INVITE gets 404 (after 100 Trying); four distinct users make an enumeration.
            for user in 100...103 {
                probe.send(
                    Self.request("INVITE", user: "\(user)", from: "127.0.0.243", port: probe.localPort),
                    to: Self.node, port: 5060)
                var final: String?
                while let response = await probe.receiveYielding(), final == nil {
                    if !response.hasPrefix("SIP/2.0 100") { final = response }
                }
                #expect(final?.hasPrefix("SIP/2.0 404") == true)
            }
            #expect(await eventually { await node.blocklist().map(\.reason) == ["enumeration"] })
            #expect(node.counters.snapshot.detections == ["enumeration.block": 1])
        }
    }

    @Test func aStormOfRequestsTheSanityStageRefusesGetsItsSourceBlockedAndThenUnanswered() async throws {
        let node = try Self.start()
        try await node.serving { _ in
            let probe = try SocketProbe(udpFrom: "127.0.0.244")
            // Every header an answer needs, but a CSeq that does not parse: answered 400 until the third.
            let broken =
                "OPTIONS sip:x@\(Self.node) SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.244:\(probe.localPort);branch=z9hG4bK1\r\n"
                + "From: <sip:a@b>;tag=1\r\nTo: <sip:x@\(Self.node)>\r\nCall-ID: storm@127.0.0.244\r\n"
                + "CSeq: one OPTIONS\r\nContent-Length: 0\r\n\r\n"
            for _ in 1...2 {
                probe.send(broken, to: Self.node, port: 5060)
                #expect(await probe.receiveYielding()?.hasPrefix("SIP/2.0 400") == true)
            }
            probe.send(broken, to: Self.node, port: 5060)
            #expect(await probe.receiveYielding(timeoutMilliseconds: 500) == nil)
            #expect(await node.blocklist().map(\.reason) == ["malformed-storm"])
            probe.send(broken, to: Self.node, port: 5060)
            #expect(await probe.receiveYielding(timeoutMilliseconds: 500) == nil)
            #expect(node.counters.snapshot.detections == ["malformed-storm.block": 1])
        }
    }

    @Test func aStormOfRequestsTheCodecRejectsGetsItsSourceBlocked() async throws {
        let node = try Self.start()
        try await node.serving { _ in
            let probe = try SocketProbe(udpFrom: "127.0.0.246")
            // A SIP version the codec refuses while parsing: answered 505 by the stateless entry until the third.
            let broken = Self.request("OPTIONS", user: "x", from: "127.0.0.246", port: probe.localPort)
                .replacingOccurrences(of: "SIP/2.0\r\nVia", with: "SIP/3.0\r\nVia")
            for _ in 1...2 {
                probe.send(broken, to: Self.node, port: 5060)
                #expect(await probe.receiveYielding()?.hasPrefix("SIP/2.0 505") == true)
            }
            probe.send(broken, to: Self.node, port: 5060)
            #expect(await probe.receiveYielding(timeoutMilliseconds: 500) == nil)
            #expect(await node.blocklist().map(\.reason) == ["malformed-storm"])
            #expect(node.counters.snapshot.detections == ["malformed-storm.block": 1])
        }
    }

    @Test func operatorsBlockListAndUnblock() async throws {
        let node = try Self.start()
        try await node.serving { _ in
            let probe = try SocketProbe(udpFrom: "127.0.0.245")
            let address = try #require(IPAddress(parsing: "127.0.0.245"))
            let options = { Self.request("OPTIONS", user: "ping", from: "127.0.0.245", port: probe.localPort) }

            let blocked = await node.block(address, for: .seconds(120))
            #expect(blocked?.reason == "blocked-by-operator")
            #expect(blocked?.kernel == false)
            #expect(blocked?.escalation == 0)
            #expect((blocked?.expires ?? .distantPast) > Date().addingTimeInterval(100))
            probe.send(options(), to: Self.node, port: 5060)
            #expect(await probe.receiveYielding(timeoutMilliseconds: 500) == nil)
            #expect(await node.blocklist().map(\.address) == [address])

            // A second block while blocked is a repeat: escalated.
            #expect(await node.block(address, for: .seconds(120))?.escalation == 1)

            #expect(await node.unblock(address))
            #expect(await !node.unblock(address))
            #expect(await node.blocklist().isEmpty)
            probe.send(options(), to: Self.node, port: 5060)
            #expect(await probe.receiveYielding()?.hasPrefix("SIP/2.0 200") == true)
        }
    }
}
