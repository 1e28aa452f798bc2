import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import TestSupport
import Testing

/// Sessions through the embedded IMS core with SIPp UEs registered with IMS-AKA: a call from one UE to another
/// through the P-CSCF, I-CSCF and S-CSCF, with media anchored on Gatehouse.
///
/// Addresses 127.0.0.61–69 and 127.0.0.74–89 and media ports 53000–54999 belong to these tests: Gatehouse's access
/// realm .61 (media 53000–53999) and interconnect realm .62 (media 54000–54999); UE alice .63 (SIP 5062), UE bob .64
/// (SIP 5060), the interconnect carrier .65, the application server .66.
@Suite(.serialized)
struct IMSSessionIntegrationTests {
    static let access = "127.0.0.61"
    static let interconnect = "127.0.0.62"
    static let alice = (address: "127.0.0.63", port: 5062)
    static let bob = (address: "127.0.0.64", port: 5060)
    static let carrier = "127.0.0.65"
    static let applicationServer = "127.0.0.66"
    static let key = "47617465686f7573654c61624b657931"
    static let op = "47617465686f7573654c61624f503031"

    /// Alice and bob, both with IMS-AKA (the lab's key and OP); `aliceProfile` is YAML for alice's
    /// `service_profiles` entry (with `ifc`), empty for none.
    /// `carrier` is extra YAML for the carrier peer (indented for its keys), e.g. its `topology`.
    static func policy(state: String, aliceProfile: String = "", carrier carrierExtra: String = "") throws -> Policy {
        let profile =
            aliceProfile.isEmpty
            ? "" : "\n      service_profiles:\n\(aliceProfile)"
        let aliceIdentities =
            aliceProfile.isEmpty
            ? "[sip:alice@ims.gatehouse.test, \"tel:+15550100001\"]"
            : "[{ identity: sip:alice@ims.gatehouse.test, service_profile: services }, { identity: \"tel:+15550100001\", service_profile: services }]"
        return try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: ims-session-test, state: "sqlite:\(state)" }
                timers: { t1: 100ms }
                realms:
                  access:
                    listen: ["udp://\(access):5060"]
                    media: { address: \(access), ports: 53000-53999 }
                  interconnect:
                    listen: ["udp://\(interconnect):5060"]
                    media: { address: \(interconnect), ports: 54000-54999 }
                peers:
                  carrier:
                    realm: interconnect
                    addresses: ["\(carrier)/32"]
                    port: 5060
                    transport: udp
                    numbering: { country_code: 1, send_as: e164 }\(carrierExtra)
                enum:
                  use_dns: false
                  static:
                    "+1555123xxxx": peer:carrier
                ims:
                  domain: ims.gatehouse.test
                  hss: embedded
                  subscribers:
                    - private_identity: alice@ims.gatehouse.test
                      public_identities: \(aliceIdentities)
                      aka: { k: \(key), op: \(op), amf: "8000" }\(profile)
                    - private_identity: bob@ims.gatehouse.test
                      public_identities: [sip:bob@ims.gatehouse.test, "tel:+15550100002"]
                      aka: { k: \(key), op: \(op), amf: "8000" }
                routes:
                  - { id: handsets, match: { from_realm: access }, to: ims }
                  - { id: inbound, match: { from_peer: carrier, number_prefix: "+1555010" }, to: ims }
                """, file: "ims-session-test.yaml")
    }

    static func node(_ policy: Policy) -> GatehouseNode {
        var logger = Logger(label: "gatehouse.ims-session-test")
        logger.logLevel = ProcessInfo.processInfo.environment["IMS_TEST_LOG"] == nil ? .critical : .debug
        return GatehouseNode(policy: policy, logger: logger, threads: 1)
    }

    static var sipp: String {
        get throws { try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester") }
    }

    /// Registers `user` with IMS-AKA from `address:port` (SIPp's RES holds a zero byte in 1 of 32 vectors and is
    /// refused then: three tries make that a one-in-30,000 event, while a real fault fails every time).
    static func register(
        _ user: String, from address: String, port: Int, in workspace: PolicyWorkspace
    ) async throws {
        let scenario = try IMSRegistrationIntegrationTests.scenario(
            "ims-ue-register", user: user,
            authentication:
                "[authentication username=\(user)@ims.gatehouse.test aka_K=GatehouseLabKey1 aka_OP=GatehouseLabOP01 aka_AMF=0x8000]",
            algorithm: "AKAv1-MD5", in: workspace)
        var outcome: ExternalProcess.Outcome?
        for _ in 0..<3 where outcome?.status != 0 {
            let process = try ExternalProcess.start(
                try sipp,
                [
                    "-sf", scenario, "\(access):5060", "-t", "u1", "-i", address, "-p", "\(port)", "-m", "1",
                    "-nostdin", "-timeout", "20s",
                ])
            outcome = try await process.finish(within: .seconds(30))
        }
        #expect(outcome?.status == 0, "registering \(user):\n\(outcome?.output.suffix(1500) ?? "")")
    }

    /// A SIPp scenario of the folder.
    static func scenario(_ name: String) -> String {
        B2BUAIntegrationTests.scenarios.appendingPathComponent(name).path
    }

    /// Alice calls bob; both registered with AKA through the P-CSCF. The call connects with media anchored on
    /// Gatehouse, bob sees the identity the network asserts (never the one alice's UE forged) and no charging
    /// vector, and alice's BYE ends it.
    @Test func aUECallsAnotherUE() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            try await Self.register("bob", from: Self.bob.address, port: Self.bob.port, in: workspace)
            try await Self.register("alice", from: Self.alice.address, port: Self.alice.port, in: workspace)
            let calleeLog = workspace.directory + "/bob.log"
            let callerLog = workspace.directory + "/alice.log"
            let callee = try ExternalProcess.start(
                try Self.sipp,
                [
                    "-sf", Self.scenario("uas-media.xml"), "-i", Self.bob.address, "-p", "\(Self.bob.port)",
                    "-mi", Self.bob.address, "-mp", "6000", "-rtp_echo", "-m", "1", "-nostdin", "-trace_msg",
                    "-message_file", calleeLog,
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp(Self.bob.address, Self.bob.port)])
            let caller = try ExternalProcess.start(
                try Self.sipp,
                [
                    "-sf", Self.scenario("ims-ue-call.xml"), "\(Self.access):5060", "-s", "bob", "-i",
                    Self.alice.address, "-p", "\(Self.alice.port)", "-mi", Self.alice.address, "-mp", "6000", "-m",
                    "1", "-nostdin", "-trace_msg", "-message_file", callerLog,
                ])
            defer { caller.stop() }
            let callerOutcome = try await caller.finish(within: .seconds(40))
            let calleeOutcome = try await callee.finish(within: .seconds(10))
            #expect(callerOutcome.status == 0, "alice:\n\(callerOutcome.output.suffix(1500))")
            #expect(calleeOutcome.status == 0, "bob:\n\(calleeOutcome.output.suffix(1500))")
            let seenByBob = (try? String(contentsOfFile: calleeLog, encoding: .utf8)) ?? ""
            let seenByAlice = (try? String(contentsOfFile: callerLog, encoding: .utf8)) ?? ""
            // The P-CSCF asserted alice's default identity; what her UE claimed stayed behind.
            #expect(seenByBob.contains("P-Asserted-Identity: <sip:alice@ims.gatehouse.test>"), "\(seenByBob)")
            #expect(!seenByBob.contains("boss"))
            #expect(seenByBob.contains("P-Called-Party-ID: <sip:bob@ims.gatehouse.test>"))
            // The charging vector stays inside the network (TS 24.229 §5.2.6.3.3).
            #expect(!seenByBob.contains("P-Charging-Vector"))
            #expect(!seenByBob.contains("forged-by-the-ue"))
            // Bob's INVITE goes to the contact he registered; nothing of alice's addresses reaches him.
            #expect(seenByBob.contains("INVITE sip:bob@\(Self.bob.address):\(Self.bob.port)"))
            #expect(!seenByBob.contains(Self.alice.address))
            #expect(!seenByAlice.contains(Self.bob.address))
            // Media anchored: each side's SDP names Gatehouse's access address.
            #expect(seenByBob.contains("c=IN IP4 \(Self.access)"))
            #expect(seenByAlice.contains("c=IN IP4 \(Self.access)"))
            _ = await eventually(.seconds(5)) {
                String(decoding: await node.metricsExposition(), as: UTF8.self).contains(
                    "gatehouse_media_streams_total")
            }
            let samples = PrometheusText(String(decoding: await node.metricsExposition(), as: UTF8.self))
            #expect((samples["gatehouse_media_rtp_packets_total", ["leg": "caller"]] ?? 0) >= 100)
            #expect((samples["gatehouse_media_rtp_packets_total", ["leg": "callee"]] ?? 0) >= 100)
            #expect(await node.activeCallCount() == 0)
        }
    }

    /// Runs `callee` (bob's scenario unless told, echoing RTP) and alice's `caller` scenario toward `dialled`
    /// (both registered already; other parties, like an AS, started by the caller of this function); returns what
    /// each logged.
    static func aliceCalls(
        _ dialled: String, callee: (scenario: String, address: String, port: Int)? = nil,
        caller callerScenario: String = "ims-ue-call.xml", node: GatehouseNode, workspace: PolicyWorkspace
    ) async throws -> (caller: String, callee: String) {
        let calleeLog = workspace.directory + "/callee.log"
        let callerLog = workspace.directory + "/alice.log"
        let target = callee ?? ("uas-media.xml", Self.bob.address, Self.bob.port)
        let calleeProcess = try ExternalProcess.start(
            try Self.sipp,
            [
                "-sf", Self.scenario(target.scenario), "-i", target.address, "-p", "\(target.port)", "-mi",
                target.address, "-mp", "6000", "-rtp_echo", "-m", "1", "-nostdin", "-trace_msg", "-message_file",
                calleeLog,
            ])
        defer { calleeProcess.stop() }
        try await calleeProcess.waitUntilBound([.udp(target.address, target.port)])
        let caller = try ExternalProcess.start(
            try Self.sipp,
            [
                "-sf", Self.scenario(callerScenario), "\(Self.access):5060", "-s", dialled, "-i", Self.alice.address,
                "-p", "\(Self.alice.port)", "-mi", Self.alice.address, "-mp", "6000", "-m", "1", "-nostdin",
                "-trace_msg", "-message_file", callerLog,
            ])
        defer { caller.stop() }
        let callerOutcome = try await caller.finish(within: .seconds(40))
        let calleeOutcome = try await calleeProcess.finish(within: .seconds(10))
        #expect(callerOutcome.status == 0, "alice:\n\(callerOutcome.output.suffix(1500))")
        #expect(calleeOutcome.status == 0, "callee:\n\(calleeOutcome.output.suffix(1500))")
        return (
            (try? String(contentsOfFile: callerLog, encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: calleeLog, encoding: .utf8)) ?? ""
        )
    }

    /// Alice dials a number no subscriber here has: the I-CSCF finds nobody, the BGCF's ENUM table names the
    /// carrier, and the INVITE leaves on the interconnect realm with the number in E.164 and nothing of the access
    /// side in it.
    @Test func aNumberNotServedHereBreaksOutToTheCarrier() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            try await Self.register("alice", from: Self.alice.address, port: Self.alice.port, in: workspace)
            let logs = try await Self.aliceCalls(
                "+15551230000", callee: ("uas-media.xml", Self.carrier, 5060), node: node, workspace: workspace)
            #expect(logs.callee.contains("INVITE sip:+15551230000@\(Self.carrier):5060"), "\(logs.callee)")
            // Topology hidden: no access-side address, no IMS domain, no charging vector toward the carrier.
            #expect(!logs.callee.contains(Self.alice.address))
            #expect(!logs.callee.contains(Self.access))
            #expect(!logs.callee.contains("ims.gatehouse.test"))
            #expect(!logs.callee.contains("P-Charging-Vector"))
            #expect(logs.callee.contains("c=IN IP4 \(Self.interconnect)"))
            #expect(await node.activeCallCount() == 0)
        }
    }

    /// The carrier calls bob's number: the call enters on the interconnect realm, the I-CSCF finds bob's S-CSCF
    /// and the call reaches the contact bob registered.
    @Test func aCallFromTheCarrierReachesARegisteredUE() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            try await Self.register("bob", from: Self.bob.address, port: Self.bob.port, in: workspace)
            let calleeLog = workspace.directory + "/bob.log"
            let callerLog = workspace.directory + "/carrier.log"
            let callee = try ExternalProcess.start(
                try Self.sipp,
                [
                    "-sf", Self.scenario("uas-media.xml"), "-i", Self.bob.address, "-p", "\(Self.bob.port)", "-mi",
                    Self.bob.address, "-mp", "6000", "-rtp_echo", "-m", "1", "-nostdin", "-trace_msg",
                    "-message_file", calleeLog,
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp(Self.bob.address, Self.bob.port)])
            let caller = try ExternalProcess.start(
                try Self.sipp,
                [
                    "-sf", Self.scenario("uac-media.xml"), "\(Self.interconnect):5060", "-s", "+15550100002", "-i",
                    Self.carrier, "-p", "5060", "-mi", Self.carrier, "-mp", "6000", "-m", "1", "-nostdin",
                    "-trace_msg", "-message_file", callerLog,
                ])
            defer { caller.stop() }
            let callerOutcome = try await caller.finish(within: .seconds(40))
            let calleeOutcome = try await callee.finish(within: .seconds(10))
            #expect(callerOutcome.status == 0, "carrier:\n\(callerOutcome.output.suffix(1500))")
            #expect(calleeOutcome.status == 0, "bob:\n\(calleeOutcome.output.suffix(1500))")
            let seenByBob = (try? String(contentsOfFile: calleeLog, encoding: .utf8)) ?? ""
            #expect(seenByBob.contains("INVITE sip:bob@\(Self.bob.address):\(Self.bob.port)"), "\(seenByBob)")
            #expect(seenByBob.contains("P-Called-Party-ID: <tel:+15550100002>"))
            #expect(!seenByBob.contains(Self.carrier))
            #expect(!seenByBob.contains(Self.interconnect))
            #expect(seenByBob.contains("c=IN IP4 \(Self.access)"))
            #expect(await node.activeCallCount() == 0)
        }
    }

    /// Alice's originating filter criterion sends her INVITE through the AS (a SIPp B2BUA that keeps the Call-ID
    /// and tags): it receives the S-CSCF's Route with the original dialog identifier, the asserted identity and the
    /// ICID, sends the INVITE back with that Route, and the session resumes at the S-CSCF, which delivers it to bob.
    /// Alice's BYE ends it through the AS.
    @Test func anOriginatingCriterionSendsTheCallThroughTheAS() async throws {
        try await Self.callThroughTheAS(
            server: "ims-as-b2bua.xml", caller: "ims-ue-call.xml", callee: "uas-media.xml")
    }

    /// As above, and bob hangs up: his BYE reaches the AS on the leg it sent back, and the AS relays it upstream on
    /// the leg toward it — the same Call-ID with the tags the other way round, which Gatehouse must tell apart
    /// (`CallIndex`).
    @Test func theCalleeHangsUpThroughTheAS() async throws {
        try await Self.callThroughTheAS(
            server: "ims-as-b2bua-callee-hangup.xml", caller: "ims-ue-call-callee-hangup.xml",
            callee: "uas-callee-hangup.xml")
    }

    static func callThroughTheAS(server serverScenario: String, caller: String, callee: String) async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let profile = """
                    - name: services
                      ifc:
                        - priority: 10
                          trigger: { all: [[{ method: INVITE }], [{ session_case: originating }]] }
                          application_server: { uri: "sip:\(Self.applicationServer):5060", default_handling: continue }
            """
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db", aliceProfile: profile))
        try await node.serving { _ in
            try await Self.register("bob", from: Self.bob.address, port: Self.bob.port, in: workspace)
            try await Self.register("alice", from: Self.alice.address, port: Self.alice.port, in: workspace)
            let serverLog = workspace.directory + "/as.log"
            let server = try ExternalProcess.start(
                try Self.sipp,
                [
                    "-sf", Self.scenario(serverScenario), "-i", Self.applicationServer, "-p", "5060", "-m", "1",
                    "-nostdin", "-trace_msg", "-message_file", serverLog,
                ])
            defer { server.stop() }
            try await server.waitUntilBound([.udp(Self.applicationServer, 5060)])
            let logs = try await Self.aliceCalls(
                "bob", callee: (callee, Self.bob.address, Self.bob.port), caller: caller, node: node,
                workspace: workspace)
            let serverOutcome = try await server.finish(within: .seconds(10))
            let seenByServer = (try? String(contentsOfFile: serverLog, encoding: .utf8)) ?? ""
            #expect(serverOutcome.status == 0, "AS:\n\(serverOutcome.output.suffix(2000))\n\(seenByServer)")
            #expect(seenByServer.contains("Route: <sip:\(Self.applicationServer):5060;lr>"), "\(seenByServer)")
            #expect(seenByServer.contains(";lr>"))
            // Bob gets the call the AS sent back, with the identity the P-CSCF asserted.
            #expect(logs.callee.contains("P-Asserted-Identity: <sip:alice@ims.gatehouse.test>"), "\(logs.callee)")
            #expect(!logs.callee.contains(Self.applicationServer))
            #expect(await node.activeCallCount() == 0)
            // Two calls (alice → AS, AS → bob), one session: both records carry the ICID the AS was given.
            let icid = try #require(
                seenByServer.firstMatch(of: /P-Charging-Vector: icid-value=([0-9a-f]+)/)?.output.1, "\(seenByServer)")
            let records = try await Self.records(in: workspace.directory, count: 2)
            #expect(records.count == 2)
            #expect(records.allSatisfy { $0.icid == icid }, "\(records.map(\.icid)) ≠ \(icid)")
            #expect(records.allSatisfy { $0.caller.uri == "sip:alice@ims.gatehouse.test" })
        }
    }

    /// What the core refuses, answered to a registered UE: a subscriber with no contact (480), an unknown user of
    /// the home domain (404), an emergency call when the policy names no emergency route (503). An unregistered
    /// source gets 403 from the P-CSCF.
    @Test func refusals() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            let cases = [
                ("sip:bob@ims.gatehouse.test", 480, Self.alice.address),
                ("sip:nobody@ims.gatehouse.test", 404, Self.alice.address),
                ("urn:service:sos", 503, Self.alice.address), ("sip:bob@ims.gatehouse.test", 403, "127.0.0.74"),
            ]
            try await Self.register("alice", from: Self.alice.address, port: Self.alice.port, in: workspace)
            for (index, (uri, status, source)) in cases.enumerated() {
                let text = try String(
                    contentsOf: B2BUAIntegrationTests.scenarios.appendingPathComponent(
                        "ims-ue-call-refused.template.xml"),
                    encoding: .utf8)
                let scenario = try workspace.write(
                    "refused-\(index).xml",
                    text.replacingOccurrences(of: "%URI%", with: uri)
                        .replacingOccurrences(of: "%STATUS%", with: "\(status)"))
                let process = try ExternalProcess.start(
                    try Self.sipp,
                    [
                        "-sf", scenario, "\(Self.access):5060", "-t", "u1", "-i", source, "-p", "\(Self.alice.port)",
                        "-m", "1", "-nostdin", "-timeout", "20s",
                    ])
                let outcome = try await process.finish(within: .seconds(30))
                #expect(
                    outcome.status == 0, "\(uri) from \(source) must get \(status):\n\(outcome.output.suffix(1500))")
            }
            #expect(await node.activeCallCount() == 0)
        }
    }
}
