import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import TestSupport
import Testing

/// Topology hiding end to end: a SIPp caller on the access side (the near side, peer `pbx`) calls through Gatehouse,
/// media anchored on both realms, a SIPp callee on the interconnect side (the far side, peer `carrier`). Every
/// message each SIPp receives (`-trace_msg`: start line, headers and SDP body, as on the wire) is searched for the
/// other side's identity: its addresses, ports (SIP and media, Gatehouse's on that side included), Call-IDs,
/// tags, branches, Contact users, `o=` usernames and session ids, and the headers it marked internal
/// (`scenarios/uac-topology-*`, `uas-topology-*`). Flows: the caller hanging up after its hold re-INVITE, the
/// callee hanging up after its own (its re-INVITE and BYE cross toward the caller), and the callee's 486.
///
/// Addresses 127.0.3.41–44 and ports 22000–22999 belong to these tests: Gatehouse's access realm .41 (SIP 22060,
/// media 22300–22399) and interconnect realm .42 (SIP 22070, media 22400–22499), the caller .43 (SIP 22062,
/// media 22100) and the callee .44 (SIP 22064, media 22200).
@Suite(.serialized)
struct TopologyIntegrationTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    /// The near side's marked header values and SDP identity (what `uac-topology-*` writes).
    static let nearMarkers = [
        "NearPBX", "near-secret-ua", "X-Near-Route", "near-secret-route", "near-pai-marker", "near-secret-warning",
        "near-uac-7f3", "near-sdp-user",
    ]
    /// The far side's (what `uas-topology-*` writes).
    static let farMarkers = [
        "FarSBC", "far-secret-server", "X-Far-Trace", "far-secret-trace", "far-pai-marker", "far-secret-warning",
        "far-uas-9k2", "far-sdp-user",
    ]
    static let accessMedia: ClosedRange<Int> = 22300...22399
    static let interconnectMedia: ClosedRange<Int> = 22400...22499

    /// The policy: `trustedCaller` makes the `pbx` peer trusted (its P-Asserted-Identity believed), and
    /// `calleePassesPAI` lets the `carrier` peer see the other leg's P-Asserted-Identity.
    static func policy(trustedCaller: Bool = false, calleePassesPAI: Bool = false) throws -> Policy {
        let trust = trustedCaller ? ", trust: trusted" : ""
        let topology = calleePassesPAI ? ", topology: { pass_headers: [P-Asserted-Identity] }" : ""
        return try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: topology-test }
                realms:
                  access:
                    listen: ["udp://127.0.3.41:22060"]
                    media: { address: 127.0.3.41, ports: 22300-22399, timeout: 30s }
                  interconnect:
                    listen: ["udp://127.0.3.42:22070"]
                    media: { address: 127.0.3.42, ports: 22400-22499, timeout: 30s }
                peers:
                  pbx: { realm: access, addresses: ["127.0.3.43/32"]\(trust) }
                  carrier: { realm: interconnect, addresses: ["127.0.3.44"], port: 22064, transport: udp\(topology) }
                routes:
                  - { id: out, match: { from_peer: pbx }, to: "peer:carrier" }
                """, file: "topology-test.yaml")
    }

    struct CallResult {
        var caller: ExternalProcess.Outcome
        var callee: ExternalProcess.Outcome
        var near: SIPpTrace
        var far: SIPpTrace
        var activeCalls: Int

        /// The near side's identity: the caller's and Gatehouse's on the access realm.
        var nearIdentity: WireIdentity {
            WireIdentity(
                of: near, addresses: ["127.0.3.43", "127.0.3.41"], ports: [22062, 22100, 22060],
                markers: TopologyIntegrationTests.nearMarkers)
        }
        /// The far side's: the callee's and Gatehouse's on the interconnect realm.
        var farIdentity: WireIdentity {
            WireIdentity(
                of: far, addresses: ["127.0.3.44", "127.0.3.42"], ports: [22064, 22200, 22070],
                markers: TopologyIntegrationTests.farMarkers)
        }
    }

    /// One call: the callee `uas-topology-FLOW`, then the caller `uac-topology-FLOW`; each bounded in time and
    /// stopped by its pid.
    static func call(_ flow: String, policy: Policy? = nil) async throws -> CallResult {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        var logger = Logger(label: "gatehouse.topology-test")
        logger.logLevel = ProcessInfo.processInfo.environment["TOPOLOGY_TEST_LOG"] == nil ? .warning : .info
        let node = GatehouseNode(policy: try policy ?? Self.policy(), logger: logger, threads: 1)
        return try await node.serving { _ in
            let calleeLog = workspace.directory + "/callee.log"
            let callerLog = workspace.directory + "/caller.log"
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uas-topology-\(flow).xml").path, "-i", "127.0.3.44",
                    "-p", "22064", "-mi", "127.0.3.44", "-mp", "22200", "-m", "1", "-nostdin", "-trace_msg",
                    "-message_file", calleeLog,
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.3.44", 22064)])
            let caller = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uac-topology-\(flow).xml").path, "127.0.3.41:22060",
                    "-s", "+15551230000", "-i", "127.0.3.43", "-p", "22062", "-mi", "127.0.3.43", "-mp", "22100",
                    "-m", "1", "-nostdin", "-trace_msg", "-message_file", callerLog,
                ])
            defer { caller.stop() }
            let callerOutcome = try await caller.finish(within: .seconds(30))
            let calleeOutcome = try await callee.finish(within: .seconds(10))
            return CallResult(
                caller: callerOutcome, callee: calleeOutcome,
                near: SIPpTrace((try? String(contentsOfFile: callerLog, encoding: .utf8)) ?? ""),
                far: SIPpTrace((try? String(contentsOfFile: calleeLog, encoding: .utf8)) ?? ""),
                activeCalls: await node.activeCallCount())
        }
    }

    /// Each side's received bytes hold nothing of the other side's identity, and every SDP it received names only
    /// Gatehouse's media address and ports on its own realm. `allowed` are identity strings the policy lets cross.
    static func expectHidden(_ result: CallResult, allowed: Set<String> = [], flow: String) {
        let near = result.nearIdentity
        let far = result.farIdentity
        // The identities are not empty: a check that finds nothing to look for cannot fail.
        #expect(near.strings.count >= 10 && far.strings.count >= 10, "\(flow): \(near.strings) \(far.strings)")
        let farSaw = result.far.receivedText
        let nearSaw = result.near.receivedText
        #expect(farSaw.contains("INVITE sip:+15551230000@127.0.3.44"), "\(flow): the callee got the call")
        // And the search finds an identity where it belongs: each side's own in what it received.
        #expect(near.leaks(in: nearSaw).count >= 8, "\(flow): \(near.leaks(in: nearSaw))")
        #expect(far.leaks(in: farSaw).count >= 8, "\(flow): \(far.leaks(in: farSaw))")
        let farLeaks = near.leaks(in: farSaw).filter { !allowed.contains($0) }
        #expect(farLeaks.isEmpty, "\(flow): the callee saw the near side's \(farLeaks):\n\(farSaw)")
        let nearLeaks = far.leaks(in: nearSaw).filter { !allowed.contains($0) }
        #expect(nearLeaks.isEmpty, "\(flow): the caller saw the far side's \(nearLeaks):\n\(nearSaw)")

        for (trace, address, pool, side) in [
            (result.far, "127.0.3.42", interconnectMedia, "callee"), (result.near, "127.0.3.41", accessMedia, "caller"),
        ] {
            let connections = SIPpTrace.sdpLines("c", in: trace.received)
            let media = SIPpTrace.sdpLines("m", in: trace.received)
            #expect(!connections.isEmpty && !media.isEmpty, "\(flow): the \(side) received SDP")
            #expect(connections.allSatisfy { $0 == "IN IP4 \(address)" }, "\(flow): \(side): \(connections)")
            let ports = media.compactMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
            #expect(ports.allSatisfy { pool.contains($0) }, "\(flow): \(side)'s m= ports \(ports)")
            for origin in SIPpTrace.sdpLines("o", in: trace.received) {
                #expect(origin.hasPrefix("- ") && origin.hasSuffix(" IN IP4 \(address)"), "\(flow): o=\(origin)")
            }
        }
    }

    /// The caller holds the callee with a re-INVITE and hangs up: requests, responses and SDP in both directions.
    @Test func aCallerHangingUpLeaksNothing() async throws {
        let result = try await Self.call("caller-hangup")
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.far.received.contains { $0.hasPrefix("BYE ") }, "the caller's BYE crossed")
        #expect(result.far.received.filter { $0.hasPrefix("INVITE ") }.count >= 2, "the re-INVITE crossed")
        Self.expectHidden(result, flow: "caller-hangup")
        #expect(result.activeCalls == 0)
    }

    /// The callee holds the caller with its own re-INVITE and hangs up: its requests cross toward the caller.
    @Test func aCalleeHangingUpLeaksNothing() async throws {
        let result = try await Self.call("callee-hangup")
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.near.received.contains { $0.hasPrefix("BYE ") }, "the callee's BYE crossed")
        #expect(result.near.received.contains { $0.hasPrefix("INVITE ") }, "the callee's re-INVITE crossed")
        Self.expectHidden(result, flow: "callee-hangup")
        #expect(result.activeCalls == 0)
    }

    /// The callee's 486, with its Server, Warning, X- header and Contact, reaches the caller as Gatehouse's own.
    @Test func anErrorResponseLeaksNothing() async throws {
        let result = try await Self.call("busy")
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.near.received.contains { $0.hasPrefix("SIP/2.0 486") })
        let busy = try #require(result.near.received.first { $0.hasPrefix("SIP/2.0 486") })
        for leak in result.farIdentity.leaks(in: busy) { Issue.record("the 486 carried \(leak):\n\(busy)") }
        let near = result.nearIdentity
        let farSaw = result.far.receivedText
        #expect(near.leaks(in: farSaw).isEmpty, "the callee saw \(near.leaks(in: farSaw))")
        #expect(result.activeCalls == 0)
    }

    /// RFC 3325 across the border: a callee that lists P-Asserted-Identity in `topology.pass_headers` receives the
    /// identity a trusted caller asserted, and nothing else of the caller's side; an untrusted caller's never
    /// crosses, listed or not. The callee's own PAI never reaches a caller that does not list it.
    @Test(arguments: [true, false])
    func assertedIdentityCrossesOnlyFromATrustedPeer(trusted: Bool) async throws {
        let result = try await Self.call(
            "busy", policy: Self.policy(trustedCaller: trusted, calleePassesPAI: true))
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        let invite = try #require(result.far.received.first { $0.hasPrefix("INVITE ") })
        let asserted = SIPpTrace.values(of: ["P-Asserted-Identity"], in: [invite])
        if trusted {
            #expect(asserted == ["<tel:+15550190001;x-near=near-pai-marker>"], "\(invite)")
        } else {
            #expect(asserted.isEmpty, "an untrusted caller's PAI crossed:\n\(invite)")
        }
        let leaks = result.nearIdentity.leaks(in: result.far.receivedText).filter { $0 != "near-pai-marker" }
        #expect(leaks.isEmpty, "the callee saw \(leaks)")
        #expect(!result.near.receivedText.contains("far-pai-marker"), "the caller lists no PAI")
    }
}
