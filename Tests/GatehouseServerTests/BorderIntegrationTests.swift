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
/// Addresses: Gatehouse .221 (access) and .222 (interconnect); `pbx` .223, `pbx2` .227; `carrier` .224 (a SIPp
/// callee), `enum-carrier` .228 (another SIPp callee); dnsmasq .225:5354; a DNS black hole .229:5354.
/// The SIPp offender's test (BorderIntegrationTests+SIPpOffender.swift) has addresses of its own, in 127.0.4.0/27.
@Suite(.serialized)
struct BorderIntegrationTests {
    static func policy(enumServer: String = "127.0.0.225:5354") throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: border-test }
                realms:
                  access: { listen: ["udp://127.0.0.221:5060"] }
                  interconnect: { listen: ["udp://127.0.0.222:5060"] }
                peers:
                  pbx:
                    realm: access
                    addresses: ["127.0.0.223/32"]
                    limits: { calls_per_second: 5 }
                    numbering: { country_code: 1 }
                  pbx2:
                    realm: access
                    addresses: ["127.0.0.227/32"]
                    limits: { calls_per_second: 1, block_offenders: true }
                  carrier: { realm: interconnect, addresses: ["127.0.0.224"] }
                  enum-carrier: { realm: interconnect, addresses: ["127.0.0.228"] }
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
                    "-sf", Self.scenarios.appendingPathComponent("uas-basic.xml").path, "-i", "127.0.0.224", "-p",
                    "5060", "-t", "u1", "-nostdin",
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.0.224", 5060)])
            let callerLog = workspace.directory + "/caller.log"
            let caller = try ExternalProcess.start(
                sipp,
                [
                    "-sf", Self.scenarios.appendingPathComponent("uac-limited.xml").path, "127.0.0.221:5060",
                    "-s", "+15551230000", "-i", "127.0.0.223", "-p", "5062", "-t", "u1", "-m", "40", "-r", "20",
                    "-nostdin", "-trace_msg", "-message_file", callerLog,
                ])
            try await Task.sleep(for: .milliseconds(1000))
            let other = try SocketProbe(udpFrom: "127.0.0.227")
            B2BUAIntegrationTests.sendInvite(
                dialling: "+15550001111", callID: "other-peer", from: other, gatehouse: "127.0.0.221")
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
    ///
    /// The six INVITEs leave in one burst. The node takes them in order on its one event loop, so the first is
    /// admitted, the next three exceed the rate (the third refusal blocks the address) and the last two arrive
    /// blocked, however late this test's task runs. (Sent one per answer, with a quiet spell standing for "no
    /// answer", the 503s' retransmissions could stretch those spells past the two-second block on a loaded
    /// machine, and the last INVITE was answered.)
    @Test func repeatedOffendersAreBlockedUntilTheBlockExpires() async throws {
        let node = Self.node(try Self.policy())
        try await node.serving { _ in
            let probe = try SocketProbe(udpFrom: "127.0.0.227")
            let flood = (0..<6).map { "flood-\($0)" }
            for callID in flood {
                B2BUAIntegrationTests.sendInvite(
                    dialling: "+15550001111", callID: callID, from: probe, gatehouse: "127.0.0.221")
            }
            var statuses = Self.finalStatuses(from: probe, answering: Array(flood.prefix(4)))
            // The block began when the third refusal was sent, so no later than now.
            let blockedBy = ContinuousClock.now
            #expect(flood.prefix(4).map { statuses[$0] } == [486, 503, 503, 503], "\(statuses)")
            // The last two were dropped: once the counter says so, no answer to them can still come.
            #expect(await eventually(.seconds(30)) { node.counters.snapshot.dropped["blocked", default: 0] == 2 })
            for bytes in probe.drain() { Self.record(bytes, in: &statuses) }
            #expect(statuses["flood-4"] == nil && statuses["flood-5"] == nil, "\(statuses)")

            try await Task.sleep(until: blockedBy + .milliseconds(2500))
            B2BUAIntegrationTests.sendInvite(
                dialling: "+15550001111", callID: "after-block", from: probe, gatehouse: "127.0.0.221")
            #expect(Self.finalStatus(from: probe, callID: "after-block") == 486, "the block has expired")
        }
    }

    /// dnsmasq answers the number's NAPTR with `E2U+sip` → `sip:…@127.0.0.228`, which is `enum-carrier`: the call
    /// goes there, not to the static table's `carrier`.
    @Test func enumRoutesByTheDNSAnswer() async throws {
        let dnsmasq = try #require(ExternalProcess.find("dnsmasq"), "dnsmasq is missing: make test-deps installs it")
        let server = try ExternalProcess.start(
            dnsmasq,
            [
                "--keep-in-foreground", "--conf-file=/dev/null", "--port=5354", "--listen-address=127.0.0.225",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=", "--local=/e164.arpa/",
                "--naptr-record=2.2.2.2.7.7.7.5.5.5.1.e164.arpa,100,10,U,E2U+sip,!^\\+(.*)$!sip:+\\1@127.0.0.228!",
            ])
        defer { server.stop() }
        try await server.waitUntilBound([.udp("127.0.0.225", 5354)])
        let reached = try await Self.callReaches(dialling: "+15557772222", policy: try Self.policy())
        #expect(reached == "127.0.0.228")
    }

    /// A DNS server that never answers: after `enum.timeout` the static table routes the call to `carrier`.
    @Test func enumFallsBackToTheStaticTableWhenDNSTimesOut() async throws {
        let socat = try #require(ExternalProcess.find("socat"), "socat is missing: make test-deps installs it")
        let blackHole = try ExternalProcess.start(socat, ["-u", "UDP-RECV:5354,bind=127.0.0.229", "OPEN:/dev/null"])
        defer { blackHole.stop() }
        try await blackHole.waitUntilBound([.udp("127.0.0.229", 5354)])
        let reached = try await Self.callReaches(
            dialling: "+15557772222", policy: try Self.policy(enumServer: "127.0.0.229:5354"))
        #expect(reached == "127.0.0.224")
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
            let addresses = ["127.0.0.224", "127.0.0.228"]
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
            for (callee, address) in zip(callees, addresses) { try await callee.waitUntilBound([.udp(address, 5060)]) }
            let probe = try SocketProbe(udpFrom: "127.0.0.223")
            B2BUAIntegrationTests.sendInvite(dialling: number, callID: "enum-1", from: probe, gatehouse: "127.0.0.221")
            // The node answers only after its ENUM lookup, a task on the cooperative pool: wait without holding a
            // thread of that pool, and long enough for a loaded machine (a passing test does not wait it out).
            guard await Self.finalStatusYielding(from: probe, callID: "enum-1", timeoutMilliseconds: 30_000) == 200
            else { return nil }
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

    /// `finalStatus` for an answer that needs the node's cooperative-pool work first; `timeoutMilliseconds` bounds
    /// the whole wait.
    static func finalStatusYielding(from probe: SocketProbe, callID: String, timeoutMilliseconds: Int) async -> Int? {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        var statuses: [String: Int] = [:]
        while statuses[callID] == nil, ContinuousClock.now < deadline {
            guard let bytes = await probe.receiveYielding(timeoutMilliseconds: 500) else { continue }
            record(bytes, in: &statuses)
        }
        return statuses[callID]
    }

    /// The final statuses that arrived (by Call-ID, without its `@127.0.0.143`) until each of `callIDs` had one,
    /// or `timeoutMilliseconds` passed; a retransmission does not change a status.
    static func finalStatuses(
        from probe: SocketProbe, answering callIDs: [String], timeoutMilliseconds: Int = 10_000
    ) -> [String: Int] {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        var statuses: [String: Int] = [:]
        while !callIDs.allSatisfy({ statuses[$0] != nil }), ContinuousClock.now < deadline {
            guard let bytes = probe.receive(timeoutMilliseconds: 500) else { continue }
            record(bytes, in: &statuses)
        }
        return statuses
    }

    /// Notes a final response's status under its Call-ID (the first one seen wins).
    static func record(_ bytes: String, in statuses: inout [String: Int]) {
        guard let response = try? SIPMessage(parsing: bytes), let code = response.statusCode, code >= 200,
            let callID = response.headers.firstString(.callID)?.split(separator: "@").first
        else { return }
        statuses[String(callID)] = statuses[String(callID)] ?? code
    }
}
