import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import SIPMessage
import TestSupport
import Testing

/// Real calls through Gatehouse: a SIPp caller on the access side (peer `pbx`), a SIPp callee on the interconnect
/// side (peer `carrier`), the scenario pairs of `scenarios/`, over UDP, TCP and TLS.
///
/// Debian's SIPp 3.6.1 is built without OpenSSL (`-t l1` answers "you must compile SIPp with OpenSSL"), so for TLS
/// each SIPp talks TCP to a socat (Debian's `socat`) that carries it over TLS: the caller's socat connects to
/// Gatehouse's TLS listener verifying its certificate, and the callee's socat is the TLS server Gatehouse
/// connects to, verifying Gatehouse's client certificate (mutual TLS). Gatehouse's side is its own TLS.
///
/// Addresses 127.0.0.141–144 belong to these tests: Gatehouse's access realm .141 and interconnect realm .142,
/// the caller .143 and the callee .144.
@Suite(.serialized)
struct B2BUAIntegrationTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    /// The test policy; `tls` holds the workspace's certificate paths when the realms listen on TLS too.
    static func policy(
        carrierTransport: String, inviteTimeout: String = "180s", sessionExpires: String = "1800s",
        tls: (nodeCertificate: String, nodeKey: String, calleeCertificate: String)? = nil
    ) throws -> Policy {
        let carrierPort = carrierTransport == "tls" ? 5061 : 5060
        let tlsListener = { (address: String) in tls == nil ? "" : ", \"tls://\(address):5061\"" }
        let tlsSettings = { (clientCAs: String?) -> String in
            guard let tls else { return "" }
            let cas = clientCAs.map { ", client_cas: \"\($0)\"" } ?? ""
            return "\n    tls: { certificate: \"\(tls.nodeCertificate)\", key: \"\(tls.nodeKey)\"\(cas) }"
        }
        return try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: b2bua-test }
                realms:
                  access:
                    listen: ["udp://127.0.0.141:5060", "tcp://127.0.0.141:5060"\(tlsListener("127.0.0.141"))]\(tlsSettings(nil))
                  interconnect:
                    listen: ["udp://127.0.0.142:5060", "tcp://127.0.0.142:5060"\(tlsListener("127.0.0.142"))]\(tlsSettings(tls?.calleeCertificate))
                peers:
                  pbx: { realm: access, addresses: ["127.0.0.143/32"] }
                  carrier: { realm: interconnect, addresses: ["127.0.0.144"], port: \(carrierPort), transport: \(carrierTransport) }
                  # A misconfigured peer: Gatehouse's own interconnect listener.
                  itself: { realm: interconnect, addresses: ["127.0.0.142"], port: 5060 }
                  # Reached by name: SRV records on the test's dnsmasq (127.0.0.145:5354) list a dead server first.
                  named-carrier: { realm: interconnect, addresses: ["127.0.0.144/31"], next_hop: "sip:carrier.test;transport=tcp" }
                timers: { invite_timeout: \(inviteTimeout), session_expires: \(sessionExpires) }
                routes:
                  - { id: pbx-out, match: { from_peer: pbx, number_prefix: "+1" }, to: "peer:carrier" }
                  - { id: loop, match: { from_peer: pbx, number_prefix: "+2" }, to: "peer:itself" }
                  - { id: by-name, match: { from_peer: pbx, number_prefix: "+3" }, to: "peer:named-carrier" }
                  - { id: nowhere, match: {}, to: "reject:404 Not Found" }
                dns: { servers: ["127.0.0.145:5354"], timeout: 500ms }
                """, file: "b2bua-test.yaml")
    }

    /// Starts Gatehouse, the callee and then the caller; returns both SIPp outcomes and their message logs.
    /// `transport` is SIPp's: `u1`, `t1`, or `l1` for TLS through socat.
    static func call(
        _ scenario: String, callee calleeScenario: String? = nil, transport: String = "u1",
        calleeTransport: String? = nil, dialled: String = "+15551230000", calls: Int = 2,
        inviteTimeout: String = "180s", sessionExpires: String = "1800s", extraCallerArguments: [String] = [],
        callerTimeout: Duration = .seconds(60)
    ) async throws -> (
        caller: ExternalProcess.Outcome, callee: ExternalProcess.Outcome, callerLog: String, calleeLog: String,
        node: GatehouseNode
    ) {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let isTLS = transport == "l1"
        var tls: (nodeCertificate: String, nodeKey: String, calleeCertificate: String)?
        if isTLS {
            let node = try await workspace.makeCertificate(for: "127.0.0.141", "127.0.0.142", name: "node")
            let callee = try await workspace.makeCertificate(for: "127.0.0.144", name: "callee")
            tls = (node, workspace.directory + "/tls/node.key", callee)
        }
        var logger = Logger(label: "gatehouse.b2bua-test")
        logger.logLevel = ProcessInfo.processInfo.environment["B2BUA_TEST_LOG"] == nil ? .warning : .info
        let carrierTransport = ["t1": "tcp", "l1": "tls"][transport] ?? "udp"
        let node = GatehouseNode(
            policy: try policy(
                carrierTransport: carrierTransport, inviteTimeout: inviteTimeout, sessionExpires: sessionExpires,
                tls: tls),
            logger: logger, threads: 1)
        return try await node.serving { _ in
            let calleeLog = workspace.directory + "/callee.log"
            let callerLog = workspace.directory + "/caller.log"
            // Over TLS SIPp speaks TCP to its socat: the caller to .143:5070, the callee's socat listens on .144:5061.
            let sippTransport = isTLS ? "t1" : transport
            let gatehouse = isTLS ? "127.0.0.143:5070" : "127.0.0.141:5060"
            var relays: [ExternalProcess.Running] = []
            defer { for relay in relays { relay.stop() } }
            if let tls {
                relays = try await Self.startTLSRelays(tls, workspace: workspace)
            }

            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uas-\(calleeScenario ?? scenario).xml").path, "-i",
                    "127.0.0.144", "-p", "5060",
                    "-t", calleeTransport ?? sippTransport, "-m", "\(calls)", "-nostdin", "-trace_msg", "-message_file",
                    calleeLog,
                ])
            defer { callee.stop() }
            let calleeListens: BoundSocket =
                (calleeTransport ?? sippTransport) == "u1"
                ? .udp("127.0.0.144", 5060) : .tcpListener("127.0.0.144", 5060)
            try await callee.waitUntilBound([calleeListens])
            let caller = try await ExternalProcess.run(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uac-\(scenario).xml").path, gatehouse,
                    "-s", dialled, "-i", "127.0.0.143", "-p", "5062", "-t", sippTransport, "-m", "\(calls)",
                    "-r", "10", "-nostdin", "-trace_msg", "-message_file", callerLog,
                ] + extraCallerArguments, timeout: callerTimeout)
            let calleeOutcome = try await callee.finish(within: .seconds(10))
            let callerText = (try? String(contentsOfFile: callerLog, encoding: .utf8)) ?? ""
            let calleeText = (try? String(contentsOfFile: calleeLog, encoding: .utf8)) ?? ""
            return (caller, calleeOutcome, callerText, calleeText, node)
        }
    }

    /// The two socat TLS relays of a TLS call: caller TCP .143:5070 → TLS to Gatehouse .141:5061 (from .143, so
    /// that Gatehouse sees the `pbx` peer, verifying Gatehouse's certificate), and TLS server .144:5061 (presenting
    /// the callee certificate, requiring Gatehouse's) → TCP to the callee SIPp at .144:5060. Returns once both
    /// listen.
    static func startTLSRelays(
        _ tls: (nodeCertificate: String, nodeKey: String, calleeCertificate: String), workspace: PolicyWorkspace
    ) async throws -> [ExternalProcess.Running] {
        let socat = try #require(ExternalProcess.find("socat"), "socat is missing: make test-deps installs it")
        let calleeKey = workspace.directory + "/tls/callee.key"
        let toGatehouse = try ExternalProcess.start(
            socat,
            [
                "TCP-LISTEN:5070,bind=127.0.0.143,reuseaddr,fork",
                "OPENSSL:127.0.0.141:5061,bind=127.0.0.143,cafile=\(tls.nodeCertificate),verify=1,"
                    + "commonname=127.0.0.141",
            ])
        let fromGatehouse = try ExternalProcess.start(
            socat,
            [
                "OPENSSL-LISTEN:5061,bind=127.0.0.144,reuseaddr,fork,cert=\(tls.calleeCertificate),key=\(calleeKey),"
                    + "cafile=\(tls.nodeCertificate),verify=1",
                "TCP:127.0.0.144:5060,bind=127.0.0.144",
            ])
        do {
            try await toGatehouse.waitUntilBound([.tcpListener("127.0.0.143", 5070)])
            try await fromGatehouse.waitUntilBound([.tcpListener("127.0.0.144", 5061)])
        } catch {
            toGatehouse.stop()
            fromGatehouse.stop()
            throw error
        }
        return [toGatehouse, fromGatehouse]
    }

    static let callFlows = ["basic", "cancel", "busy", "callee-hangup", "hold-resume", "prack", "session-timer"]

    @Test(arguments: ["u1", "t1", "l1"], callFlows)
    func callFlow(transport: String, scenario: String) async throws {
        let result = try await Self.call(scenario, transport: transport)
        #expect(result.caller.status == 0, "caller (\(scenario), \(transport)):\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0 || !result.callee.timedOut, "callee (\(scenario), \(transport))")
    }

    /// The callee sees nothing of the caller's side in SIP: not its Call-ID, tags, branches or address, nor
    /// Gatehouse's access address; and the caller nothing of the callee's. SDP bodies are left out: anchoring
    /// media on Gatehouse's addresses (and so rewriting c= and o=) is the media issue's, and until then the
    /// endpoints' media addresses pass through.
    @Test func topologyIsHidden() async throws {
        let result = try await Self.call("basic", calls: 1)
        #expect(result.caller.status == 0)
        let callerSent = Self.signalling(result.callerLog)
        let calleeSaw = Self.signalling(result.calleeLog)
        #expect(calleeSaw.contains("INVITE sip:+15551230000@127.0.0.144"))
        let callIDs = Set(Self.values(of: "Call-ID", in: callerSent))
        #expect(!callIDs.isEmpty)
        for callID in callIDs { #expect(!calleeSaw.contains(callID), "the callee saw the caller's Call-ID") }
        #expect(!calleeSaw.contains("SIPpTag00"), "the callee saw the caller's From tag")
        #expect(!calleeSaw.contains("127.0.0.143"), "the callee saw the caller's address")
        #expect(!calleeSaw.contains("127.0.0.141"), "the callee saw Gatehouse's access address")
        for branch in Set(Self.values(of: "branch", in: callerSent)) {
            #expect(!calleeSaw.contains(branch), "the callee saw the caller's branch \(branch)")
        }
        // Headers that describe the near side stay there: the PBX's User-Agent, private X- header and Warning,
        // and the P-Asserted-Identity an untrusted peer may not assert (RFC 3325); the carrier's Server and X-.
        for leak in ["Acme-PBX", "X-Acme-Route", "P-Asserted-Identity", "internal trunk group"] {
            #expect(!calleeSaw.contains(leak), "the callee saw \(leak)")
        }
        for leak in ["Carrier-SBC", "X-Carrier-Trace"] {
            #expect(!Self.signalling(result.callerLog).contains(leak), "the caller saw \(leak)")
        }
        #expect(!callerSent.contains("SIPpTag01"), "the caller saw the callee's tag")
        #expect(!callerSent.contains("127.0.0.144"), "the caller saw the callee's address")
        #expect(!callerSent.contains("127.0.0.142"), "the caller saw Gatehouse's interconnect address")
    }

    /// A SIPp message log without its SDP lines and SIPp's own separator lines (which name addresses).
    static func signalling(_ log: String) -> String {
        log.split(whereSeparator: \.isNewline)
            .filter { line in
                !(line.count > 1 && line.dropFirst().first == "=" && "vosctmab".contains(line.first!))
                    && !line.hasPrefix("----") && !line.contains("message sent") && !line.contains("message received")
            }
            .joined(separator: "\n")
    }

    /// A callee that only rings: Gatehouse answers the caller 408 when `invite_timeout` expires and cancels the
    /// callee's INVITE (the callee scenario requires the CANCEL, then answers it 200 and the INVITE 487).
    @Test func unansweredCallsTimeOut() async throws {
        let result = try await Self.call("no-answer", callee: "cancel", calls: 1, inviteTimeout: "10s")
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(await result.node.activeCallCount() == 0)
    }

    /// Session timers per leg, with real time (RFC 4028's floor is 90 s, so this test takes a minute): the caller
    /// supports no timers, so Gatehouse refreshes its leg with a re-INVITE at 45 s; the callee takes the refresher
    /// role and never refreshes, so at 60 s (90 s less a third) Gatehouse hangs up both legs with a BYE.
    @Test func sessionTimersRefreshAndExpirePerLeg() async throws {
        let result = try await Self.call(
            "session-expiry", calls: 1, sessionExpires: "90s", callerTimeout: .seconds(100))
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.callerLog.contains("Session-Expires: 90;refresher=uac"), "the refresh names Gatehouse")
        #expect(result.callerLog.contains("Reason: SIP;cause=408;text=\"Session expired\""))
        #expect(result.calleeLog.contains("Reason: SIP;cause=408;text=\"Session expired\""))
        #expect(await result.node.activeCallCount() == 0)
    }

    /// The callee's 422 is Gatehouse's to handle (its session timer is per leg): the INVITE goes again with the
    /// callee's Min-SE, and the caller sees only its call answered.
    @Test func aCalleesMinSEIsMetWithoutTheCaller() async throws {
        let result = try await Self.call("basic", callee: "interval-too-small", calls: 1)
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(!result.callerLog.contains("SIP/2.0 422"), "the caller never sees the callee's 422")
        #expect(await result.node.activeCallCount() == 0)
    }

    /// A peer reached by name (RFC 3263): dnsmasq answers SRV `_sip._tcp.carrier.test` with a dead server
    /// (127.0.0.146, nothing listening: the TCP connection is refused) at priority 10 and the callee at 20; the
    /// call fails over to the callee, whose Request-URI names the domain, not an address.
    @Test func namedNextHopsAreLocatedAndFailedOver() async throws {
        let server = try await Self.startDNS([
            "--srv-host=_sip._tcp.carrier.test,dead.carrier.test,5060,10,0",
            "--srv-host=_sip._tcp.carrier.test,live.carrier.test,5060,20,0",
            "--host-record=dead.carrier.test,127.0.0.146", "--host-record=live.carrier.test,127.0.0.144",
        ])
        defer { server.stop() }
        let result = try await Self.call("basic", calleeTransport: "t1", dialled: "+35551230000", calls: 1)
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.calleeLog.contains("INVITE sip:+35551230000@carrier.test;transport=tcp SIP/2.0"))
        #expect(result.node.transportCounters.snapshot.failedConnections == 1, "the dead server was tried first")
        #expect(await result.node.activeCallCount() == 0)
    }

    /// dnsmasq on 127.0.0.145:5354 (the policy's `dns` server) serving `records` for `carrier.test`, and nothing
    /// else: other names under it are NXDOMAIN. Returns once it has bound its UDP port.
    static func startDNS(_ records: [String]) async throws -> ExternalProcess.Running {
        let dnsmasq = try #require(ExternalProcess.find("dnsmasq"), "dnsmasq is missing: make test-deps installs it")
        let server = try ExternalProcess.start(
            dnsmasq,
            [
                "--keep-in-foreground", "--conf-file=/dev/null", "--port=5354", "--listen-address=127.0.0.145",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=", "--local=/carrier.test/",
            ] + records)
        do {
            try await server.waitUntilBound([.udp("127.0.0.145", 5354)])
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// A name that does not resolve is 404 for the caller (RFC 3263 found no server), not a hang.
    @Test func anUnknownNameIs404() async throws {
        let server = try await Self.startDNS([])
        defer { server.stop() }
        var logger = Logger(label: "gatehouse.b2bua-test")
        logger.logLevel = .critical
        let node = GatehouseNode(policy: try Self.policy(carrierTransport: "udp"), logger: logger, threads: 1)
        try await node.serving { _ in
            let probe = try SocketProbe(udpFrom: "127.0.0.143")
            Self.sendInvite(dialling: "+35550001111", callID: "dns-1", from: probe)
            var codes: [Int] = []
            // The 404 comes after the node's lookup, a task on the cooperative pool: wait without holding one of
            // its threads, and long enough for a loaded machine (a passing test does not wait it out).
            while let bytes = await probe.receiveYielding(timeoutMilliseconds: 30_000),
                let code = try SIPMessage(parsing: bytes).statusCode
            {
                codes.append(code)
                if code >= 200 { break }
            }
            #expect(codes.last == 404, "\(codes)")
            #expect(await node.activeCallCount() == 0)
        }
    }

    /// A bare INVITE from the `pbx` peer's address (the probe on .143) to Gatehouse's access realm, for tests that
    /// look only at Gatehouse's answer.
    static func sendInvite(
        dialling number: String, callID: String, from probe: SocketProbe, gatehouse: String = "127.0.0.141"
    ) {
        probe.send(
            """
            INVITE sip:\(number)@\(gatehouse) SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.143:\(probe.localPort);branch=z9hG4bK-\(callID)\r
            Max-Forwards: 70\r
            From: <sip:pbx@127.0.0.143>;tag=\(callID)\r
            To: <sip:\(number)@\(gatehouse)>\r
            Call-ID: \(callID)@127.0.0.143\r
            CSeq: 1 INVITE\r
            Contact: <sip:pbx@127.0.0.143:\(probe.localPort)>\r
            Content-Length: 0\r
            \r

            """, to: gatehouse, port: 5060)
    }

    /// A route back to the node's own listener is refused with 482 instead of looping call after call.
    @Test func routesBackToTheNodeAreLoops() async throws {
        var logger = Logger(label: "gatehouse.b2bua-test")
        logger.logLevel = .critical
        let node = GatehouseNode(policy: try Self.policy(carrierTransport: "udp"), logger: logger, threads: 1)
        try await node.serving { _ in
            let probe = try SocketProbe(udpFrom: "127.0.0.143")
            Self.sendInvite(dialling: "+25550001111", callID: "loop-1", from: probe)
            let answer = try SIPMessage(parsing: try #require(probe.receive()))
            #expect(answer.statusCode == 482)
            #expect(await node.activeCallCount() == 0)
        }
    }

    @Test(arguments: ["u1", "t1", "l1"])
    func fiftyConcurrentCalls(transport: String) async throws {
        let result = try await Self.call(
            "basic", transport: transport, calls: 50, extraCallerArguments: ["-l", "50", "-r", "50"])
        #expect(result.caller.status == 0, "\(transport): \(result.caller.output.suffix(1500))")
        #expect(await result.node.activeCallCount() == 0)
    }

    @Test func retransmissionsSurvivePacketLoss() async throws {
        // SIPp drops 10 % of what it sends and receives; RFC 3261 retransmissions on both legs must recover.
        let result = try await Self.call("basic", calls: 10, extraCallerArguments: ["-lost", "10"])
        #expect(result.caller.status == 0, "\(result.caller.output.suffix(1500))")
    }

    static func values(of name: String, in log: String) -> [String] {
        var values: [String] = []
        for line in log.split(whereSeparator: \.isNewline) {
            if name == "branch", let range = line.range(of: "branch=") {
                values.append(String(line[range.upperBound...].prefix { $0 != ";" && $0 != " " }))
            } else if line.lowercased().hasPrefix(name.lowercased() + ":") {
                values.append(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces))
            }
        }
        return values.filter { !$0.isEmpty }
    }
}
