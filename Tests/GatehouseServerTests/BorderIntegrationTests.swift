import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import SIPMessage
import TestSupport
import Testing

/// The border functions end to end on loopback: rate limits and the blocklist driven by real traffic, ENUM
/// routing by a real DNS server (dnsmasq `--naptr-record`) and its fallback when DNS does not answer.
///
/// Addresses: Gatehouse .161 (access) and .162 (interconnect); `pbx` .163, `pbx2` .167; `carrier` .164 (a SIPp
/// callee), `enum-carrier` .168 (another SIPp callee); dnsmasq .165:5354; a DNS black hole .169:5354.
@Suite(.serialized)
struct BorderIntegrationTests {
    static func policy(enumServer: String = "127.0.0.165:5354") throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: border-test }
                realms:
                  access: { listen: ["udp://127.0.0.161:5060"] }
                  interconnect: { listen: ["udp://127.0.0.162:5060"] }
                peers:
                  pbx:
                    realm: access
                    addresses: ["127.0.0.163/32"]
                    limits: { calls_per_second: 5 }
                    numbering: { country_code: 1 }
                  pbx2:
                    realm: access
                    addresses: ["127.0.0.167/32"]
                    limits: { calls_per_second: 1, block_offenders: true }
                  carrier: { realm: interconnect, addresses: ["127.0.0.164"] }
                  enum-carrier: { realm: interconnect, addresses: ["127.0.0.168"] }
                admission:
                  block: { after: 3, within: 10s, for: 2s }
                enum:
                  servers: ["\(enumServer)"]
                  timeout: 300ms
                  static: { "+1555777xxxx": peer:carrier }
                routes:
                  - { id: by-enum, match: { from_peer: pbx, number_prefix: "+1555777" }, to: enum }
                  - { id: pbx-out, match: { from_peer: pbx, number_prefix: "+1" }, to: "peer:carrier" }
                  - { id: pbx2-busy, match: { from_peer: pbx2 }, to: "reject:486" }
                """, file: "border-test.yaml")
    }

    static func node(_ policy: Policy) -> GatehouseNode {
        var logger = Logger(label: "gatehouse.border-test")
        logger.logLevel = ProcessInfo.processInfo.environment["BORDER_TEST_LOG"] == nil ? .critical : .info
        return GatehouseNode(policy: policy, logger: logger, threads: 1)
    }

    static let scenarios = B2BUAIntegrationTests.scenarios

    /// SIPp calls from `pbx` at 20 per second against its limit of 5: about three calls in four get 503 with
    /// Retry-After, the rest are connected to the callee. Meanwhile `pbx2`, whose own limit is untouched, is
    /// answered by its route (486), never 503.
    @Test func aPeerOverItsCallRateGets503sAndOthersDoNot() async throws {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy())
        try await node.serving { _ in
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", Self.scenarios.appendingPathComponent("uas-basic.xml").path, "-i", "127.0.0.164", "-p",
                    "5060", "-t", "u1", "-nostdin",
                ])
            defer { callee.stop() }
            try await Task.sleep(for: .milliseconds(300))
            let callerLog = workspace.directory + "/caller.log"
            let caller = try ExternalProcess.start(
                sipp,
                [
                    "-sf", Self.scenarios.appendingPathComponent("uac-limited.xml").path, "127.0.0.161:5060",
                    "-s", "+15551230000", "-i", "127.0.0.163", "-p", "5062", "-t", "u1", "-m", "40", "-r", "20",
                    "-nostdin", "-trace_msg", "-message_file", callerLog,
                ])
            try await Task.sleep(for: .milliseconds(1000))
            let other = try SocketProbe(udpFrom: "127.0.0.167")
            B2BUAIntegrationTests.sendInvite(
                dialling: "+15550001111", callID: "other-peer", from: other, gatehouse: "127.0.0.161")
            #expect(Self.finalStatus(from: other, callID: "other-peer") == 486, "pbx2 is not limited by pbx's limit")
            let outcome = try await caller.finish(within: .seconds(60))
            #expect(outcome.status == 0, "caller:\n\(outcome.output.suffix(1500))")
            let log = (try? String(contentsOfFile: callerLog, encoding: .utf8)) ?? ""
            let rejected = log.components(separatedBy: "SIP/2.0 503 ").count - 1
            let connected = log.components(separatedBy: "SIP/2.0 200 OK").count - 1
            // 40 calls in about 2 s against 5 per second (a burst of 5): roughly 15 pass. Bounds are wide, as
            // SIPp's pacing is not exact; the share is what matters.
            #expect((16...34).contains(rejected), "503s: \(rejected), connected: \(connected)")
            #expect(log.contains("Retry-After: "))
            #expect(node.counters.snapshot.refused["admission.rate-limited", default: 0] >= rejected)
        }
    }

    /// `pbx2` may start one call per second and counts its excess against itself: after three refusals it is
    /// blocked (nothing answers it), and two seconds later the block has expired and it is answered again.
    @Test func repeatedOffendersAreBlockedUntilTheBlockExpires() async throws {
        let node = Self.node(try Self.policy())
        try await node.serving { _ in
            let probe = try SocketProbe(udpFrom: "127.0.0.167")
            var statuses: [Int?] = []
            for index in 0..<6 {
                B2BUAIntegrationTests.sendInvite(
                    dialling: "+15550001111", callID: "flood-\(index)", from: probe, gatehouse: "127.0.0.161")
                statuses.append(Self.finalStatus(from: probe, callID: "flood-\(index)", timeoutMilliseconds: 700))
            }
            #expect(statuses == [486, 503, 503, 503, nil, nil], "\(statuses)")
            #expect(node.counters.snapshot.dropped["blocked", default: 0] == 2)
            try await Task.sleep(for: .milliseconds(2500))
            B2BUAIntegrationTests.sendInvite(
                dialling: "+15550001111", callID: "after-block", from: probe, gatehouse: "127.0.0.161")
            #expect(Self.finalStatus(from: probe, callID: "after-block") == 486, "the block has expired")
        }
    }

    /// dnsmasq answers the number's NAPTR with `E2U+sip` → `sip:…@127.0.0.168`, which is `enum-carrier`: the call
    /// goes there, not to the static table's `carrier`.
    @Test func enumRoutesByTheDNSAnswer() async throws {
        let dnsmasq = try #require(ExternalProcess.find("dnsmasq"), "dnsmasq is missing: make test-deps installs it")
        let server = try ExternalProcess.start(
            dnsmasq,
            [
                "--keep-in-foreground", "--conf-file=/dev/null", "--port=5354", "--listen-address=127.0.0.165",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=", "--local=/e164.arpa/",
                "--naptr-record=2.2.2.2.7.7.7.5.5.5.1.e164.arpa,100,10,U,E2U+sip,!^\\+(.*)$!sip:+\\1@127.0.0.168!",
            ])
        defer { server.stop() }
        try await Task.sleep(for: .milliseconds(300))
        let reached = try await Self.callReaches(dialling: "+15557772222", policy: try Self.policy())
        #expect(reached == "127.0.0.168")
    }

    /// A DNS server that never answers: after `enum.timeout` the static table routes the call to `carrier`.
    @Test func enumFallsBackToTheStaticTableWhenDNSTimesOut() async throws {
        let socat = try #require(ExternalProcess.find("socat"), "socat is missing: make test-deps installs it")
        let blackHole = try ExternalProcess.start(socat, ["-u", "UDP-RECV:5354,bind=127.0.0.169", "OPEN:/dev/null"])
        defer { blackHole.stop() }
        try await Task.sleep(for: .milliseconds(200))
        let reached = try await Self.callReaches(
            dialling: "+15557772222", policy: try Self.policy(enumServer: "127.0.0.169:5354"))
        #expect(reached == "127.0.0.164")
    }

    /// Places one call through Gatehouse with a SIPp callee on each carrier; returns the address of the callee
    /// that received the INVITE.
    static func callReaches(dialling number: String, policy: Policy) async throws -> String? {
        let sipp = try #require(ExternalProcess.find("sipp"))
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = node(policy)
        return try await node.serving { _ in
            var callees: [ExternalProcess.Running] = []
            defer { for callee in callees { callee.stop() } }
            let addresses = ["127.0.0.164", "127.0.0.168"]
            for address in addresses {
                callees.append(
                    try ExternalProcess.start(
                        sipp,
                        [
                            "-sf", scenarios.appendingPathComponent("uas-basic.xml").path, "-i", address, "-p", "5060",
                            "-t", "u1", "-nostdin", "-trace_msg", "-message_file",
                            workspace.directory + "/\(address).log",
                        ]))
            }
            try await Task.sleep(for: .milliseconds(300))
            let probe = try SocketProbe(udpFrom: "127.0.0.163")
            B2BUAIntegrationTests.sendInvite(dialling: number, callID: "enum-1", from: probe, gatehouse: "127.0.0.161")
            guard Self.finalStatus(from: probe, callID: "enum-1", timeoutMilliseconds: 5000) == 200 else { return nil }
            return addresses.first { address in
                let log = (try? String(contentsOfFile: workspace.directory + "/\(address).log", encoding: .utf8)) ?? ""
                return log.contains("INVITE sip:\(number)@")
            }
        }
    }

    /// The final status answering `callID`; responses to earlier INVITEs (a 503 retransmitted until Timer H,
    /// since the probe does not ACK) are skipped.
    static func finalStatus(from probe: SocketProbe, callID: String, timeoutMilliseconds: Int = 3000) -> Int? {
        while let bytes = probe.receive(timeoutMilliseconds: timeoutMilliseconds),
            let response = try? SIPMessage(parsing: bytes), let code = response.statusCode
        {
            if code >= 200, response.headers.firstString(.callID) == "\(callID)@127.0.0.143" { return code }
        }
        return nil
    }
}
