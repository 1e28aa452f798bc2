import Capture
import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import SIPMessage
import TestSupport
import Testing

/// A live run captured by tcpdump on loopback, then replayed under the same policy: the replay's verdicts must be
/// the ones the node counted (ARCHITECTURE.md: "one pipeline, two drivers").
///
/// Addresses: Gatehouse .233 (access) and .234 (interconnect); `pbx` .235 (SIPp caller); `carrier` .236 (SIPp
/// callee); `flooder` .237; an unknown source .238; .239 warms the capture up. tcpdump captures 127.0.0.232/29.
@Suite(.serialized)
struct ReplayIntegrationTests {
    static let policyYAML = """
        version: 1
        node: { name: replay-live-test }
        realms:
          access: { listen: ["udp://127.0.0.233:5060"] }
          interconnect: { listen: ["udp://127.0.0.234:5060"] }
        peers:
          pbx: { realm: access, addresses: ["127.0.0.235/32"], limits: { calls_per_second: { rate: 1, burst: 2 } } }
          carrier: { realm: interconnect, addresses: ["127.0.0.236"], port: 5060, transport: udp }
          flooder: { realm: access, addresses: ["127.0.0.237"], limits: { messages_per_second: { rate: 1, burst: 3 } } }
        routes:
          - { id: out, match: { from_peer: pbx, number_prefix: "+1" }, to: "peer:carrier" }
        """

    static func options(callID: String, from host: String, port: Int) -> String {
        """
        OPTIONS sip:127.0.0.233 SIP/2.0\r
        Via: SIP/2.0/UDP \(host):\(port);branch=z9hG4bK-\(callID)\r
        Max-Forwards: 70\r
        From: <sip:probe@\(host)>;tag=\(callID)\r
        To: <sip:127.0.0.233>\r
        Call-ID: \(callID)\r
        CSeq: 1 OPTIONS\r
        Content-Length: 0\r
        \r

        """
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// Sends a marker datagram (to port 9 on .239, which the replay counts as not SIP) until the capture file grows.
    static func mark(_ path: String, with probe: SocketProbe) async throws -> Bool {
        let size = fileSize(path)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            probe.send("marker", to: "127.0.0.239", port: 9)
            try await Task.sleep(for: .milliseconds(100))
            if fileSize(path) > max(size, 24) { return true }
        }
        return false
    }

    /// SIPp calls (two connected, one over the PBX's call rate), an OPTIONS flood over a peer's message rate, an
    /// unparseable datagram and an INVITE without a route — then the capture replayed.
    @Test func aReplayOfALiveCaptureGivesTheVerdictsTheNodeCounted() async throws {
        let tcpdump = try #require(ExternalProcess.find("tcpdump"), "tcpdump is missing: make test-deps installs it")
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let capturePath = workspace.directory + "/live.pcap"
        let capture = try ExternalProcess.start(
            tcpdump,
            ["-i", "lo", "--immediate-mode", "-U", "-n", "-Z", "root", "-w", capturePath, "net 127.0.0.232/29"])
        defer { capture.stop() }
        // tcpdump writes the file header before it captures: poke (port 9, not SIP) until a packet is in the file.
        let marker = try SocketProbe(udpFrom: "127.0.0.239")
        try #require(try await Self.mark(capturePath, with: marker), "tcpdump captured nothing")

        let policy = try PolicyLoader.load(yaml: Self.policyYAML, file: "replay-live-test.yaml")
        var logger = Logger(label: "gatehouse.replay-test")
        logger.logLevel = .critical
        let node = GatehouseNode(policy: policy, logger: logger, threads: 1)
        try await node.serving { _ in
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", BorderIntegrationTests.scenarios.appendingPathComponent("uas-basic.xml").path, "-i",
                    "127.0.0.236", "-p", "5060", "-t", "u1", "-nostdin",
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.0.236", 5060)])

            let flooder = try SocketProbe(udpFrom: "127.0.0.237")
            for index in 0..<8 {
                flooder.send(
                    Self.options(callID: "flood-\(index)", from: "127.0.0.237", port: flooder.localPort),
                    to: "127.0.0.233", port: 5060)
            }
            let stranger = try SocketProbe(udpFrom: "127.0.0.238")
            stranger.send("HELLO\r\n\r\n", to: "127.0.0.233", port: 5060)
            stranger.send(
                """
                INVITE sip:+15557770000@127.0.0.233 SIP/2.0\r
                Via: SIP/2.0/UDP 127.0.0.238:\(stranger.localPort);branch=z9hG4bK-stranger\r
                Max-Forwards: 70\r
                From: <sip:x@127.0.0.238>;tag=stranger\r
                To: <sip:+15557770000@127.0.0.233>\r
                Call-ID: stranger\r
                CSeq: 1 INVITE\r
                Contact: <sip:x@127.0.0.238:\(stranger.localPort)>\r
                Content-Length: 0\r
                \r

                """, to: "127.0.0.233", port: 5060)
            #expect(
                await stranger.receiveYielding().map { $0.contains("SIP/2.0 100") || $0.contains("SIP/2.0 404") }
                    == true)

            let caller = try ExternalProcess.start(
                sipp,
                [
                    "-sf", BorderIntegrationTests.scenarios.appendingPathComponent("uac-limited.xml").path,
                    "127.0.0.233:5060", "-s", "+15551230000", "-i", "127.0.0.235", "-p", "5062", "-t", "u1", "-m",
                    "3", "-r", "10", "-nostdin",
                ])
            let outcome = try await caller.finish(within: .seconds(60))
            #expect(outcome.status == 0, "caller:\n\(outcome.output.suffix(1500))")
            #expect(
                await eventually(.seconds(10)) {
                    node.counters.snapshot.refused["admission.rate-limited", default: 0] == 6
                })
            // The last answers (the BYEs' 200s) and the node's own retransmissions reach the capture.
            try await Task.sleep(for: .milliseconds(500))
        }
        // Everything before the closing marker is in the file once the marker is.
        #expect(try await Self.mark(capturePath, with: marker))
        capture.stop()
        let live = node.counters.snapshot
        let summary = try CaptureReplaySession(policy: policy).run(capture: capturePath)

        #expect(summary.messages == live.received.values.reduce(0, +), "live: \(live), replay: \(summary.byVerdict)")
        #expect(summary.refusals["admission.rate-limited"] == live.refused["admission.rate-limited"])
        #expect(summary.count(.rateLimited) == 6)
        #expect(summary.count(.unparseable) == live.rejected.values.reduce(0, +))
        #expect(summary.count(.unparseable) == 1)
        #expect(summary.count(.rejected) == 1)
        #expect(summary.byStatus[404] == 1)
        #expect(summary.count(.blocked) == 0 && summary.count(.dropped) == 0)
        #expect(live.dropped["unparseable"] == 1)
        // Everything else was let through, live and in the replay: 3 OPTIONS, and the two calls' messages.
        #expect(summary.count(.accepted) == summary.messages - 8)
        #expect(summary.sentByNode > 0)
    }
}
