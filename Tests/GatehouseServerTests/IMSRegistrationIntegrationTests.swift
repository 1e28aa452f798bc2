import Foundation
import GatehousePolicy
import GatehouseServer
import HSS
import Logging
import SIPMessage
import TestSupport
import Testing

/// Registration with the embedded IMS core end to end on loopback: SIPp UEs register the lab's alice (IMS-AKA)
/// over UDP and TCP and bob (MD5 digest) through the P-, I- and S-CSCF; the project's own UE covers what SIPp
/// cannot (a wrong RES, resynchronisation with AUTS); a restart keeps the bindings; reg-event subscribers are
/// told; failed attempts lock the identity and block the source.
///
/// Addresses: Gatehouse .211 (access, UDP and TCP 5060); SIPp UEs .212 and .213; own UEs .214–.218.
@Suite(.serialized)
struct IMSRegistrationIntegrationTests {
    static let gatehouse = "127.0.0.211"
    static let alice = (key: "47617465686f7573654c61624b657931", op: "47617465686f7573654c61624f503031")

    /// The lab's demo subscribers, on a policy of the test's own (its addresses, its state file).
    static func policy(state: String, extraIMS: String = "") throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: ims-test, state: "sqlite:\(state)" }
                timers: { t1: 50ms }
                realms:
                  access:
                    listen: ["udp://\(gatehouse):5060", "tcp://\(gatehouse):5060"]
                ims:
                  domain: ims.gatehouse.test
                  hss: embedded
                \(extraIMS)
                  subscribers:
                    - private_identity: alice@ims.gatehouse.test
                      public_identities: [sip:alice@ims.gatehouse.test, "tel:+15550100001"]
                      aka: { k: \(alice.key), op: \(alice.op), amf: "8000" }
                    - private_identity: bob@ims.gatehouse.test
                      public_identities: [sip:bob@ims.gatehouse.test, "tel:+15550100002"]
                      digest: { password: bob-secret }
                      authentication: digest-md5
                routes:
                  - { id: handsets, match: { from_realm: access, domain: ims.gatehouse.test }, to: ims }
                """, file: "ims-test.yaml")
    }

    static func node(_ policy: Policy) -> GatehouseNode {
        var logger = Logger(label: "gatehouse.ims-test")
        logger.logLevel = ProcessInfo.processInfo.environment["IMS_TEST_LOG"] == nil ? .critical : .debug
        return GatehouseNode(policy: policy, logger: logger, threads: 1)
    }

    /// A SIPp UE scenario from its template (SIPp substitutes no field inside `[authentication …]`).
    static func scenario(
        _ template: String, user: String, authentication: String, algorithm: String = "", in workspace: PolicyWorkspace
    ) throws -> String {
        let text = try String(
            contentsOf: B2BUAIntegrationTests.scenarios.appendingPathComponent("\(template).template.xml"),
            encoding: .utf8)
        return try workspace.write(
            "\(template)-\(user).xml",
            text.replacingOccurrences(of: "%USER%", with: user)
                .replacingOccurrences(of: "%AUTHENTICATION%", with: authentication)
                .replacingOccurrences(of: "%ALGORITHM%", with: algorithm))
    }

    static func runSIPp(
        _ scenario: String, transport: String, from address: String, log: String
    ) async throws
        -> ExternalProcess.Outcome
    {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let process = try ExternalProcess.start(
            sipp,
            [
                "-sf", scenario, "\(gatehouse):5060", "-t", transport == "tcp" ? "t1" : "u1", "-i", address, "-m", "1",
                "-nostdin", "-trace_msg", "-message_file", log, "-timeout", "20s",
            ])
        return try await process.finish(within: .seconds(30))
    }

    @Test(arguments: ["udp", "tcp"])
    func sippRegistersAliceWithAKA(transport: String) async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            let scenario = try Self.scenario(
                "ims-ue-register", user: "alice",
                authentication:
                    "[authentication username=alice@ims.gatehouse.test aka_K=GatehouseLabKey1 aka_OP=GatehouseLabOP01 aka_AMF=0x8000]",
                algorithm: "AKAv1-MD5", in: workspace)
            // SIPp takes RES for a C string: when the vector's RES holds a zero byte (1 in 32), it hashes only the
            // bytes before it and is refused with 403. A fresh registration gets a fresh vector; three tries make a
            // spurious failure a one-in-30,000 event while any real fault still fails every time.
            let log = workspace.directory + "/ue.log"
            var outcome = try await Self.runSIPp(scenario, transport: transport, from: "127.0.0.212", log: log)
            for _ in 0..<2 where outcome.status != 0 {
                outcome = try await Self.runSIPp(scenario, transport: transport, from: "127.0.0.212", log: log)
            }
            #expect(outcome.status == 0, "UE:\n\(outcome.output.suffix(2000))")
            let seen = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(seen.contains("P-Associated-URI: <sip:alice@ims.gatehouse.test>"))
            #expect(seen.contains("P-Associated-URI: <tel:+15550100001>"))
            // The keys are for the P-CSCF; they never reach the UE (TS 24.229 §5.2.2.1).
            #expect(!seen.contains("ck=\"") && !seen.contains("ik=\""))
            #expect(!seen.contains("P-Gatehouse-Flow"))
            #expect(node.counters.snapshot.registrations["ims-registered"] == 1)
            let shown = try IMSAdministration(policy: node.policy, directory: workspace.directory).show(
                privateIdentity: "alice@ims.gatehouse.test")
            #expect(shown.contains("registered"), "\(shown)")
            #expect(shown.contains("sip:alice@127.0.0.212"), "\(shown)")
        }
    }

    @Test func sippRegistersBobWithDigestAndAWrongPasswordIsForbidden() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            let good = try Self.scenario(
                "ims-ue-register", user: "bob",
                authentication: "[authentication username=bob@ims.gatehouse.test password=bob-secret]",
                algorithm: "MD5", in: workspace)
            let registered = try await Self.runSIPp(
                good, transport: "udp", from: "127.0.0.213", log: workspace.directory + "/bob.log")
            #expect(registered.status == 0, "bob:\n\(registered.output.suffix(2000))")
            let bad = try Self.scenario(
                "ims-ue-register-refused", user: "bob",
                authentication: "[authentication username=bob@ims.gatehouse.test password=not-bobs]", in: workspace)
            let refused = try await Self.runSIPp(
                bad, transport: "udp", from: "127.0.0.213", log: workspace.directory + "/bad.log")
            #expect(refused.status == 0, "wrong password:\n\(refused.output.suffix(2000))")
            #expect(node.counters.snapshot.registrations["auth-failed"] == 1)
            #expect(node.counters.snapshot.registrations["ims-registered"] == 1)
        }
    }

    /// The project's UE answers with a wrong RES: 403, counted as a failed authentication.
    @Test func aWrongRESIsForbidden() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            var ue = try IMSTestUE(
                address: "127.0.0.214", user: "alice", key: Self.alice.key, op: Self.alice.op, amf: 0x8000,
                core: (Self.gatehouse, 5060))
            ue.register(contactPort: 5060)
            let challenged = try #require(await ue.nextResponse())
            #expect(challenged.statusCode == 401)
            let challenge = try #require(IMSTestUE.challenge(in: challenged))
            #expect(challenge.algorithm?.isAKA == true)
            #expect(challenge.ck == nil && challenge.ik == nil)
            guard case .answer(let res) = try ue.examine(nonce: try #require(challenge.nonce)) else {
                Issue.record("the UE did not accept the network's AUTN")
                return
            }
            var wrong = res
            wrong[0] ^= 0xFF
            ue.register(contactPort: 5060, authorization: ue.authorization(answering: challenge, password: wrong))
            let refused = try #require(await ue.nextResponse())
            #expect(refused.statusCode == 403)
            #expect(node.counters.snapshot.registrations["auth-failed"] == 1)
            #expect(node.counters.snapshot.registrations["ims-registered"] == nil)
        }
    }

    /// A USIM ahead of the HSS (its SQN was used elsewhere) answers with AUTS; the HSS resynchronises and the next
    /// challenge is fresh enough to be answered.
    @Test func anAUTSResynchronisesTheSequenceNumber() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            var ue = try IMSTestUE(
                address: "127.0.0.215", user: "alice", key: Self.alice.key, op: Self.alice.op, amf: 0x8000,
                core: (Self.gatehouse, 5060))
            ue.highestSequence = 5_000
            ue.register(contactPort: 5060)
            let first = try #require(await ue.nextResponse())
            let firstChallenge = try #require(IMSTestUE.challenge(in: first))
            guard case .resynchronise(let auts, _) = try ue.examine(nonce: try #require(firstChallenge.nonce)) else {
                Issue.record("the USIM accepted an SQN below its own")
                return
            }
            ue.register(
                contactPort: 5060, authorization: ue.authorization(answering: firstChallenge, password: [], auts: auts))
            let second = try #require(await ue.nextResponse())
            #expect(second.statusCode == 401)
            let secondChallenge = try #require(IMSTestUE.challenge(in: second))
            guard case .answer(let res) = try ue.examine(nonce: try #require(secondChallenge.nonce)) else {
                Issue.record("the challenge after AUTS was not fresh")
                return
            }
            #expect(ue.highestSequence > 5_000)
            ue.register(contactPort: 5060, authorization: ue.authorization(answering: secondChallenge, password: res))
            let registered = try #require(await ue.nextResponse())
            #expect(registered.statusCode == 200)
        }
    }

    /// Registered, stopped, started again on the same state: the binding is still there.
    @Test func bindingsSurviveARestart() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let state = workspace.directory + "/state.db"
        let policy = try Self.policy(state: state)
        try await Self.node(policy).serving { _ in
            var ue = try IMSTestUE(
                address: "127.0.0.216", user: "alice", key: Self.alice.key, op: Self.alice.op, amf: 0x8000,
                core: (Self.gatehouse, 5060))
            #expect(try await ue.registerWithAKA(contactPort: 5090) == 200)
        }
        let restarted = Self.node(policy)
        try await restarted.serving { _ in
            let shown = try IMSAdministration(policy: policy, directory: workspace.directory).show(
                privateIdentity: "alice@ims.gatehouse.test")
            #expect(shown.contains("sip:alice@127.0.0.216:5090"), "\(shown)")
            #expect(await restarted.imsRegisteredSetCount() == 1)
        }
    }

    /// A reload provisions the new policy's subscribers into the running HSS; none is deleted.
    @Test func aReloadProvisionsNewSubscribers() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let state = workspace.directory + "/state.db"
        let node = Self.node(try Self.policy(state: state))
        try await node.serving { _ in
            let carol = """
                    - private_identity: carol@ims.gatehouse.test
                      public_identities: [sip:carol@ims.gatehouse.test]
                      digest: { password: carol-secret }
                """
            let reloaded = try PolicyLoader.load(
                yaml: """
                    version: 1
                    node: { name: ims-test, state: "sqlite:\(state)" }
                    realms:
                      access:
                        listen: ["udp://\(Self.gatehouse):5060", "tcp://\(Self.gatehouse):5060"]
                    ims:
                      domain: ims.gatehouse.test
                      hss: embedded
                      subscribers:
                    \(carol)
                    routes:
                      - { id: handsets, match: { from_realm: access, domain: ims.gatehouse.test }, to: ims }
                    """, file: "reloaded.yaml")
            try await node.reload(to: reloaded, directory: workspace.directory)
            let list = try IMSAdministration(policy: reloaded, directory: workspace.directory).list()
            #expect(list.contains("carol@ims.gatehouse.test"))
            #expect(list.contains("alice@ims.gatehouse.test"), "a subscriber missing from the new policy was deleted")
        }
    }

    /// The UE subscribes to its registration state (RFC 3680): a full NOTIFY at once, another when it
    /// deregisters.
    @Test func theUEIsToldOfItsRegistrationState() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            var ue = try IMSTestUE(
                address: "127.0.0.217", user: "alice", key: Self.alice.key, op: Self.alice.op, amf: 0x8000,
                core: (Self.gatehouse, 5060))
            #expect(try await ue.registerWithAKA(contactPort: ue.probe.localPort) == 200)
            ue.probe.send(
                """
                SUBSCRIBE sip:alice@ims.gatehouse.test SIP/2.0\r
                Via: SIP/2.0/UDP 127.0.0.217:\(ue.probe.localPort);branch=z9hG4bK-sub-1\r
                Max-Forwards: 70\r
                From: <sip:alice@ims.gatehouse.test>;tag=sub-tag\r
                To: <sip:alice@ims.gatehouse.test>\r
                Call-ID: reg-sub@127.0.0.217\r
                CSeq: 1 SUBSCRIBE\r
                Event: reg\r
                Expires: 600000\r
                Accept: application/reginfo+xml\r
                Contact: <sip:alice@127.0.0.217:\(ue.probe.localPort)>\r
                Content-Length: 0\r
                \r

                """, to: Self.gatehouse, port: 5060)
            var accepted = false
            var notified: SIPMessage?
            let deadline = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < deadline, !(accepted && notified != nil) {
                guard let text = await ue.probe.receiveYielding(timeoutMilliseconds: 500),
                    let message = try? SIPMessage(parsing: Array(text.utf8))
                else { continue }
                if message.statusCode == 200, (try? message.cseq.method) == .subscribe { accepted = true }
                if message.method == .notify {
                    notified = message
                    IMSTestUE.answerRequest(message, on: ue.probe, to: (Self.gatehouse, 5060))
                }
            }
            #expect(accepted)
            let notify = try #require(notified)
            let body = String(decoding: notify.body, as: UTF8.self)
            #expect(body.contains("<reginfo"))
            #expect(body.contains("sip:alice@127.0.0.217"))
            #expect(notify.headers.firstString(.event)?.hasPrefix("reg") == true)
            // Deregistration: a terminated NOTIFY follows.
            ue.register(contactPort: ue.probe.localPort, expires: 0, authorization: nil)
            var terminated = false
            let end = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < end, !terminated {
                guard let text = await ue.probe.receiveYielding(timeoutMilliseconds: 500),
                    let message = try? SIPMessage(parsing: Array(text.utf8))
                else { continue }
                if message.method == .notify {
                    IMSTestUE.answerRequest(message, on: ue.probe, to: (Self.gatehouse, 5060))
                    terminated = String(decoding: message.body, as: UTF8.self).contains("terminated")
                }
                if message.statusCode == 401, let challenge = IMSTestUE.challenge(in: message),
                    case .answer(let res) = try ue.examine(nonce: challenge.nonce ?? "")
                {
                    ue.register(
                        contactPort: ue.probe.localPort, expires: 0,
                        authorization: ue.authorization(answering: challenge, password: res))
                }
            }
            #expect(terminated)
        }
    }

    /// Failed attempts lock the identity and block the source at the policy's maximum.
    @Test func repeatedFailuresBlockTheSource() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(
            try Self.policy(
                state: workspace.directory + "/state.db",
                extraIMS: "  authentication: { failures: { max: 2, window: 1m, block: 1m } }"))
        try await node.serving { _ in
            var ue = try IMSTestUE(
                address: "127.0.0.218", user: "alice", key: Self.alice.key, op: Self.alice.op, amf: 0x8000,
                core: (Self.gatehouse, 5060))
            for _ in 0..<2 {
                ue.register(contactPort: 5060)
                let challenged = try #require(await ue.nextResponse())
                let challenge = try #require(IMSTestUE.challenge(in: challenged))
                ue.register(
                    contactPort: 5060, authorization: ue.authorization(answering: challenge, password: [1, 2, 3]))
                #expect(await ue.nextResponse()?.statusCode == 403)
            }
            #expect(node.counters.snapshot.registrations["auth-failed"] == 2)
            #expect(node.counters.snapshot.registrations["source-blocked"] == 1)
            #expect(node.counters.snapshot.registrations["identity-locked"] == 1)
            // Blocked: the next REGISTER from the source gets no answer from the core.
            ue.register(contactPort: 5060)
            #expect(await ue.nextResponse(timeoutMilliseconds: 1500)?.statusCode != 401)
        }
    }
}
