import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import SIPMessage
import TestSupport
import Testing

/// NAT traversal end to end on loopback: a UA whose REGISTER says one address (a private Contact, a Via port
/// its NAT rewrote) and comes from another registers through Gatehouse with a registrar; the registrar only
/// ever sees Gatehouse; responses and later requests reach the UA where its packets came from; keepalives keep
/// the binding and notice when the UA is gone.
///
/// Addresses: Gatehouse .201 (access); the registrar (the IMS next hop) .203, a SIPp registrar .206; the UA
/// .204 and a SIPp UA .205, whose Contacts claim 192.168.1.5x (Gatehouse sends nothing there when it works).
@Suite(.serialized)
struct NATIntegrationTests {
    static func policy(registrarHost: String = "127.0.0.203", registrarPort: Int, nat: String) throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: nat-test }
                timers: { t1: 50ms }
                realms:
                  access:
                    listen: ["udp://127.0.0.201:5060"]
                    nat: \(nat)
                ims: { domain: ims.gatehouse.test, next_hop: "sip:\(registrarHost):\(registrarPort)" }
                routes:
                  - { id: handsets, match: { from_realm: access, domain: ims.gatehouse.test }, to: ims }
                """, file: "nat-test.yaml")
    }

    /// The UA behind NAT (127.0.0.204), the registrar (127.0.0.203) and a node between them with these `nat`
    /// settings.
    static func natSetup(nat: String) throws -> (ua: SocketProbe, registrar: SocketProbe, node: GatehouseNode) {
        let ua = try SocketProbe(udpFrom: "127.0.0.204")
        let registrar = try SocketProbe(udpFrom: "127.0.0.203")
        return (ua, registrar, node(try policy(registrarPort: registrar.localPort, nat: nat)))
    }

    static func node(_ policy: Policy) -> GatehouseNode {
        var logger = Logger(label: "gatehouse.nat-test")
        logger.logLevel = ProcessInfo.processInfo.environment["NAT_TEST_LOG"] == nil ? .critical : .debug
        return GatehouseNode(policy: policy, logger: logger, threads: 1)
    }

    /// The UA's REGISTER: sent from the probe's port, with a private Contact (192.168.1.50:5060) and a Via whose
    /// port is not the source port (its NAT rewrote it; nothing listens at 5999) and no rport.
    static func register(
        from ua: SocketProbe, cseq: Int, contact: String = "<sip:alice@192.168.1.50:5060>;expires=60",
        extra: String = ""
    ) {
        ua.send(
            """
            REGISTER sip:ims.gatehouse.test SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.204:5999;branch=z9hG4bK-ua-reg-\(cseq)\r
            Max-Forwards: 70\r
            From: <sip:alice@ims.gatehouse.test>;tag=ua-tag\r
            To: <sip:alice@ims.gatehouse.test>\r
            Call-ID: ua-call-id@192.168.1.50\r
            CSeq: \(cseq) REGISTER\r
            Contact: \(contact)\r
            User-Agent: Handset/1.0\r
            \(extra)Content-Length: 0\r
            \r

            """, to: "127.0.0.201", port: 5060)
    }

    /// A response to `request` (Via, From, To, Call-ID and CSeq copied), sent back to Gatehouse.
    static func answer(_ request: SIPMessage, _ status: String, from probe: SocketProbe, extra: String = "") {
        var text = "SIP/2.0 \(status)\r\n"
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] {
            for value in request.headers.fieldValues(HeaderName(name)) {
                let line = String(decoding: value, as: UTF8.self)
                text +=
                    "\(name): \(line)\(name == "To" && !line.contains("tag=") ? ";tag=far-\(probe.localPort)" : "")\r\n"
            }
        }
        probe.send(text + extra + "Content-Length: 0\r\n\r\n", to: "127.0.0.201", port: 5060)
    }

    /// The next request (or response) with `start` as its first line's beginning, skipping retransmissions and
    /// anything else.
    /// The next message on `probe` that starts with `start` (and, given `callID`, belongs to that call: a
    /// retransmission of an earlier call's response may come first when the machine is busy).
    static func next(
        _ start: String, callID: String? = nil, on probe: SocketProbe, timeoutMilliseconds: Int = 3000
    ) -> SIPMessage? {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while ContinuousClock.now < deadline {
            guard let text = probe.receive(timeoutMilliseconds: 500) else { continue }
            guard text.hasPrefix(start), let message = try? SIPMessage(parsing: Array(text.utf8)) else { continue }
            if let callID, (try? message.callID.value) != callID { continue }
            return message
        }
        return nil
    }

    /// Registration with a digest challenge, a call for the UA, and removal: what crosses each way.
    @Test func aUABehindNATRegistersAndIsReachedAtItsBinding() async throws {
        let (ua, registrar, node) = try Self.natSetup(nat: "{ force_rport: true, fix_contact: true }")
        try await node.serving { _ in
            // 1. The REGISTER reaches the registrar with Gatehouse's identity only.
            Self.register(from: ua, cseq: 1)
            let first = try #require(Self.next("REGISTER", on: registrar))
            let relayed = String(decoding: first.serialize(), as: UTF8.self)
            #expect(relayed.hasPrefix("REGISTER sip:ims.gatehouse.test SIP/2.0\r\n"))
            for leak in ["192.168.1.50", "127.0.0.204", "5999", "ua-call-id", "ua-tag", "z9hG4bK-ua", "Handset"] {
                #expect(!relayed.contains(leak), "\(leak) crossed to the registrar:\n\(relayed)")
            }
            let contact = try #require(first.headers.firstString(.contact))
            #expect(contact.hasPrefix("<sip:gh") && contact.contains("@127.0.0.201:5060>"), "\(contact)")
            #expect(contact.hasSuffix(";expires=60"), "the UA's Contact parameters stay: \(contact)")

            // 2. The challenge goes back to where the UA's packets came from, not to its Via.
            Self.answer(
                first, "401 Unauthorized", from: registrar,
                extra: "WWW-Authenticate: Digest realm=\"ims.gatehouse.test\", nonce=\"n1\", algorithm=MD5\r\n")
            let challenge = try #require(Self.next("SIP/2.0 401", on: ua), "force_rport: the 401 reaches the UA")
            #expect(challenge.headers.firstString(.callID) == "ua-call-id@192.168.1.50")
            #expect(challenge.headers.firstString("WWW-Authenticate")?.contains("nonce=\"n1\"") == true)

            // 3. The answer to the challenge is a refresh of the same registration toward the registrar.
            Self.register(
                from: ua, cseq: 2,
                extra: "Authorization: Digest username=\"alice\", realm=\"ims.gatehouse.test\", nonce=\"n1\", "
                    + "uri=\"sip:ims.gatehouse.test\", response=\"0123456789abcdef0123456789abcdef\"\r\n")
            let second = try #require(Self.next("REGISTER", on: registrar))
            #expect(second.headers.firstString(.callID) == first.headers.firstString(.callID))
            #expect(second.headers.firstString(.contact) == contact, "the same binding, the same token")
            #expect(second.headers.firstString(.authorization)?.contains("response=") == true)
            #expect(second.headers.firstString(.cseq) == "2 REGISTER")

            // 4. The registrar's 200 lists the binding (and one of its own); the UA sees only its own Contact.
            let token = String(contact.dropFirst("<sip:".count).prefix { $0 != "@" })
            Self.answer(
                second, "200 OK", from: registrar,
                extra: "Contact: <sip:\(token)@127.0.0.201:5060>;expires=60\r\n"
                    + "Contact: <sip:alice@10.9.9.9:5060>;expires=30\r\n"
                    + "Service-Route: <sip:orig@scscf.ims.gatehouse.test;lr>\r\n"
                    + "P-Associated-URI: <tel:+15550100001>\r\n")
            let ok = try #require(Self.next("SIP/2.0 200", on: ua))
            let okText = String(decoding: ok.serialize(), as: UTF8.self)
            #expect(ok.headers.fieldValues(.contact).count == 1)
            #expect(ok.headers.firstString(.contact) == "<sip:alice@192.168.1.50:5060>;expires=60")
            for leak in ["10.9.9.9", "scscf", token, "127.0.0.203"] {
                #expect(!okText.contains(leak), "\(leak) crossed to the UA:\n\(okText)")
            }
            #expect(ok.headers.firstString(.pAssociatedURI) == "<tel:+15550100001>")
            #expect(node.counters.snapshot.registrations["registered"] == 1)
            #expect(node.counters.snapshot.registrations["nat-detected"] == 1)

            // 5. A call for the binding reaches the UA at its NAT binding, with the Contact it registered.
            registrar.send(
                """
                INVITE sip:\(token)@127.0.0.201:5060 SIP/2.0\r
                Via: SIP/2.0/UDP 127.0.0.203:\(registrar.localPort);branch=z9hG4bK-core-inv\r
                Max-Forwards: 70\r
                From: <sip:bob@ims.gatehouse.test>;tag=core-tag\r
                To: <sip:alice@ims.gatehouse.test>\r
                Call-ID: core-call@127.0.0.203\r
                CSeq: 1 INVITE\r
                Contact: <sip:bob@127.0.0.203:\(registrar.localPort)>\r
                Content-Length: 0\r
                \r

                """, to: "127.0.0.201", port: 5060)
            let invite = try #require(Self.next("INVITE", on: ua), "the INVITE reaches the UA's binding")
            #expect(invite.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:alice@192.168.1.50:5060")
            #expect(!String(decoding: invite.serialize(), as: UTF8.self).contains("127.0.0.203"))
            Self.answer(invite, "486 Busy Here", from: ua)
            let busy = try #require(Self.next("SIP/2.0 486", on: registrar), "the UA's answer reaches the core")
            #expect(busy.headers.firstString(.callID) == "core-call@127.0.0.203")

            // 6. Removing every binding: the token no longer leads anywhere.
            Self.register(from: ua, cseq: 3, contact: "*", extra: "Expires: 0\r\n")
            let removal = try #require(Self.next("REGISTER", on: registrar))
            #expect(removal.headers.firstString(.contact) == "*")
            Self.answer(removal, "200 OK", from: registrar)
            _ = try #require(Self.next("SIP/2.0 200", on: ua))
            #expect(node.counters.snapshot.registrations["deregistered"] == 1)
            registrar.send(
                """
                INVITE sip:\(token)@127.0.0.201:5060 SIP/2.0\r
                Via: SIP/2.0/UDP 127.0.0.203:\(registrar.localPort);branch=z9hG4bK-core-inv2\r
                Max-Forwards: 70\r
                From: <sip:bob@ims.gatehouse.test>;tag=core-tag2\r
                To: <sip:alice@ims.gatehouse.test>\r
                Call-ID: core-call-2@127.0.0.203\r
                CSeq: 1 INVITE\r
                Contact: <sip:bob@127.0.0.203:\(registrar.localPort)>\r
                Content-Length: 0\r
                \r

                """, to: "127.0.0.201", port: 5060)
            let gone = try #require(Self.next("SIP/2.0 4", callID: "core-call-2@127.0.0.203", on: registrar))
            #expect(gone.statusCode == 404)
            #expect(node.counters.snapshot.registrations["unknown-binding"] == 1)
        }
    }

    /// Two SIPp instances with Gatehouse between them: a handset behind NAT answers a digest challenge that a
    /// registrar verifies (the credentials cross unchanged), the registrar grants Gatehouse's binding and sees
    /// nothing of the handset, and the handset gets its own Contact back.
    @Test func sippRegistersThroughNATWithDigest() async throws {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(
            try Self.policy(registrarHost: "127.0.0.206", registrarPort: 5060, nat: "{ force_rport: true }"))
        try await node.serving { _ in
            let registrarLog = workspace.directory + "/registrar.log"
            let registrar = try ExternalProcess.start(
                sipp,
                [
                    "-sf", B2BUAIntegrationTests.scenarios.appendingPathComponent("registrar-digest.xml").path,
                    "-i", "127.0.0.206", "-p", "5060", "-m", "1", "-nostdin", "-trace_msg", "-message_file",
                    registrarLog,
                ])
            defer { registrar.stop() }
            try await registrar.waitUntilBound([.udp("127.0.0.206", 5060)])
            let uaLog = workspace.directory + "/ua.log"
            let ua = try ExternalProcess.start(
                sipp,
                [
                    "-sf", B2BUAIntegrationTests.scenarios.appendingPathComponent("ua-register-nat.xml").path,
                    "127.0.0.201:5060", "-i", "127.0.0.205", "-p", "5072", "-m", "1", "-nostdin", "-trace_msg",
                    "-message_file", uaLog,
                ])
            let uaOutcome = try await ua.finish(within: .seconds(30))
            #expect(uaOutcome.status == 0, "UA:\n\(uaOutcome.output.suffix(1500))")
            let registrarOutcome = try await registrar.finish(within: .seconds(10))
            #expect(registrarOutcome.status == 0, "registrar:\n\(registrarOutcome.output.suffix(1500))")
            let seenByRegistrar = (try? String(contentsOfFile: registrarLog, encoding: .utf8)) ?? ""
            #expect(seenByRegistrar.contains("Authorization: Digest"))
            for leak in ["192.168.1.51", "127.0.0.205", "5072", "Handset"] {
                #expect(!seenByRegistrar.contains(leak), "\(leak) reached the registrar")
            }
            let seenByUA = (try? String(contentsOfFile: uaLog, encoding: .utf8)) ?? ""
            #expect(!seenByUA.contains("127.0.0.206"), "the registrar's address reached the UA")
            #expect(node.counters.snapshot.registrations["registered"] == 1)
            #expect(node.counters.snapshot.registrations["nat-detected"] == 1)
        }
    }

    /// The UA registers through the node and the registrar confirms the binding Gatehouse relayed: the start of
    /// every keepalive test.
    static func registerConfirmed(_ ua: SocketProbe, at registrar: SocketProbe) throws {
        Self.register(from: ua, cseq: 1)
        let register = try #require(Self.next("REGISTER", on: registrar))
        let contact = try #require(register.headers.firstString(.contact))
        Self.answer(register, "200 OK", from: registrar, extra: "Contact: \(contact)\r\n")
        _ = try #require(Self.next("SIP/2.0 200", on: ua))
    }

    /// Keepalives: the UA is pinged with OPTIONS at the binding; once it stops answering, its binding goes.
    @Test func keepalivesPingTheBindingAndAnUnansweredOneDropsIt() async throws {
        let (ua, registrar, node) = try Self.natSetup(
            nat: "{ force_rport: true, keepalive: 1s, keepalive_failures: 1 }")
        try await node.serving { _ in
            try Self.registerConfirmed(ua, at: registrar)

            let ping = try #require(Self.next("OPTIONS", on: ua), "a keepalive within a second or two")
            #expect(ping.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:alice@192.168.1.50:5060")
            Self.answer(ping, "200 OK", from: ua)
            #expect(node.counters.snapshot.registrations["keepalive-sent", default: 0] >= 1)

            // Silence from now on: the next ping times out (Timer F, 64 × T1 = 3.2 s) and the binding goes.
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, node.counters.snapshot.registrations["unreachable"] == nil {
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(node.counters.snapshot.registrations["unreachable"] == 1)
            #expect(node.counters.snapshot.registrations["keepalive-unanswered", default: 0] >= 1)
        }
    }

    /// `keepalive_method: crlf`: the binding is pinged with a bare CRLF CRLF (RFC 5626 §4.4.1), nothing else, from
    /// the listener the UA registered through; nothing answers such a ping, so silence does not drop the binding.
    @Test func crlfKeepalivesPingTheBindingWithABareDoubleCRLF() async throws {
        let (ua, registrar, node) = try Self.natSetup(
            nat: "{ force_rport: true, keepalive: 1s, keepalive_method: crlf, keepalive_failures: 1 }")
        try await node.serving { _ in
            try Self.registerConfirmed(ua, at: registrar)

            var pings = 0
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline, pings < 2 {
                guard let datagram = await ua.receiveYielding(timeoutMilliseconds: 500) else { continue }
                #expect(datagram == "\r\n\r\n", "only pings reach the UA once it is registered")
                pings += 1
            }
            #expect(pings == 2, "a ping a second")
            #expect(node.counters.snapshot.registrations["keepalive-sent", default: 0] >= 2)
            // Unanswered CRLF pings are not failures: the binding stays.
            #expect(node.counters.snapshot.registrations["unreachable"] == nil)
            #expect(node.counters.snapshot.registrations["keepalive-unanswered"] == nil)
        }
    }
}
