import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import SIPMessage
import TestSupport
import Testing

/// Per-peer numbering end to end, SIPp on both sides: a UK PBX dials national numbers with a national From and
/// P-Asserted-Identity; each carrier receives every number as `+44…` in the URI form its policy asks for
/// (`uri_form: sip` → `sip:+44…;user=phone`, `uri_form: tel` → `tel:+44…`), as SIPp's `-trace_msg` shows; a
/// blocked (premium) number is refused with the policy's status, a number too short with 484, and no carrier
/// receives anything for them.
///
/// Addresses and ports: Gatehouse 127.0.3.21 (access) and 127.0.3.22 (interconnect) on 21060; the PBX (SIPp
/// caller) 127.0.3.23:21061, media 21200; `carrier` (SIPp callee) 127.0.3.24:21060, media 21300; `ims-carrier`
/// (SIPp callee) 127.0.3.25:21060, media 21400; dnsmasq (ENUM) 127.0.3.26:21053.
@Suite(.serialized)
struct NumberingIntegrationTests {
    static let ukPlan = #"country_code: 44, national_prefix: "0", international_prefix: "00", national_lengths: "9-10""#

    static func policy() throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: numbering-test }
                realms:
                  access: { listen: ["udp://127.0.3.21:21060"] }
                  interconnect: { listen: ["udp://127.0.3.22:21060"] }
                peers:
                  pbx:
                    realm: access
                    addresses: ["127.0.3.23/32"]
                    trust: trusted
                    numbering: { \(ukPlan), blocked_prefixes: ["+449"], reject_with: { blocked-prefix: 603 } }
                  carrier:
                    realm: interconnect
                    addresses: ["127.0.3.24/32"]
                    next_hop: "sip:127.0.3.24:21060"
                    trust: trusted
                    topology: { pass_headers: [P-Asserted-Identity] }
                    numbering: { \(ukPlan), uri_form: sip }
                  ims-carrier:
                    realm: interconnect
                    addresses: ["127.0.3.25/32"]
                    next_hop: "sip:127.0.3.25:21060"
                    trust: trusted
                    topology: { pass_headers: [P-Asserted-Identity] }
                    numbering: { \(ukPlan), uri_form: tel }
                enum: { servers: ["127.0.3.26:21053"], timeout: 500ms }
                routes:
                  - { id: by-enum, match: { from_peer: pbx, number_prefix: "+441632" }, to: enum }
                  - { id: non-geographic, match: { from_peer: pbx, number_prefix: "+443" }, to: "peer:ims-carrier" }
                  - { id: uk, match: { from_peer: pbx, number_prefix: "+44" }, to: "peer:carrier" }
                """, file: "numbering-test.yaml")
    }

    static let callees = [("127.0.3.24", "21300"), ("127.0.3.25", "21400")]

    /// Runs `body` with the node serving and a SIPp callee on each carrier, each tracing what it receives into
    /// `workspace/ADDRESS.log`.
    static func withCallees(
        in workspace: PolicyWorkspace, _ body: (GatehouseNode, String) async throws -> Void
    ) async throws {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        var logger = Logger(label: "gatehouse.numbering-test")
        logger.logLevel = ProcessInfo.processInfo.environment["NUMBERING_TEST_LOG"] == nil ? .critical : .info
        let node = GatehouseNode(policy: try policy(), logger: logger, threads: 1)
        try await node.serving { _ in
            var running: [ExternalProcess.Running] = []
            defer { for callee in running { callee.stop() } }
            for (address, mediaPort) in callees {
                running.append(
                    try ExternalProcess.start(
                        sipp,
                        [
                            "-sf", B2BUAIntegrationTests.scenarios.appendingPathComponent("uas-basic.xml").path,
                            "-i", address, "-p", "21060", "-mp", mediaPort, "-t", "u1", "-nostdin", "-trace_msg",
                            "-message_file", workspace.directory + "/\(address).log",
                        ]))
            }
            for (callee, (address, _)) in zip(running, callees) {
                try await callee.waitUntilBound([.udp(address, 21060)])
            }
            try await body(node, sipp)
        }
    }

    /// One call from the PBX to `dialled` with `scenario`; fails the test unless SIPp's scenario completed.
    static func call(_ dialled: String, scenario: String, sipp: String) async throws {
        let caller = try ExternalProcess.start(
            sipp,
            [
                "-sf", scenario, "127.0.3.21:21060", "-s", dialled, "-i", "127.0.3.23", "-p", "21061", "-mp", "21200",
                "-t", "u1", "-m", "1", "-nostdin", "-timeout", "20s",
            ])
        let outcome = try await caller.finish(within: .seconds(30))
        #expect(outcome.status == 0, "call to \(dialled):\n\(outcome.output.suffix(1500))")
    }

    /// The INVITEs a SIPp callee received, parsed from its `-trace_msg` file (headers only).
    static func receivedInvites(at address: String, in workspace: PolicyWorkspace) -> [SIPMessage] {
        let log = (try? String(contentsOfFile: workspace.directory + "/\(address).log", encoding: .utf8)) ?? ""
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        var invites: [SIPMessage] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("INVITE ") else {
                index += 1
                continue
            }
            var head: [String] = []
            while index < lines.count, !lines[index].isEmpty {
                if !lines[index].lowercased().hasPrefix("content-length:") { head.append(lines[index]) }
                index += 1
            }
            let text = (head + ["Content-Length: 0"]).joined(separator: "\r\n") + "\r\n\r\n"
            if let invite = try? SIPMessage(parsing: text) { invites.append(invite) }
        }
        return invites
    }

    /// `02079460000` from `02079460001` reaches `carrier` (`uri_form: sip`) as `+442079460000` from
    /// `+442079460001`, every field a SIP URI with `user=phone`; `03001234567` reaches `ims-carrier`
    /// (`uri_form: tel`) with every field a tel URI.
    @Test func nationalNumbersArriveInEachCarriersForm() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let scenario = B2BUAIntegrationTests.scenarios.appendingPathComponent("uac-national.xml").path
        try await Self.withCallees(in: workspace) { node, sipp in
            try await Self.call("02079460000", scenario: scenario, sipp: sipp)
            try await Self.call("03001234567", scenario: scenario, sipp: sipp)
            #expect(await eventually(.seconds(10)) { await node.activeCallCount() == 0 })
        }

        let sipInvite = try #require(Self.receivedInvites(at: "127.0.3.24", in: workspace).first)
        let requestURI = try #require(try sipInvite.requestURI?.sipURI)
        #expect(requestURI.user == "+442079460000")
        #expect(requestURI.userParameter == "phone")
        #expect(requestURI.host.description == "127.0.3.24")
        let to = try sipInvite.to.uri.sipURI
        #expect(to?.user == "+442079460000" && to?.userParameter == "phone")
        let from = try sipInvite.from.uri.sipURI
        #expect(from?.user == "+442079460001" && from?.userParameter == "phone")
        #expect(from?.host.description == "127.0.3.22", "the From's host is hidden behind Gatehouse")
        let asserted = try #require(sipInvite.headers.firstString(.pAssertedIdentity))
        let assertedURI = try NameAddress(parsing: Array(asserted.utf8)[...]).uri.sipURI
        #expect(assertedURI?.user == "+442079460001" && assertedURI?.userParameter == "phone")

        let telInvite = try #require(Self.receivedInvites(at: "127.0.3.25", in: workspace).first)
        #expect(try telInvite.requestURI?.description == "tel:+443001234567")
        #expect(try telInvite.to.uri.description == "tel:+443001234567")
        #expect(try telInvite.from.uri.description == "tel:+442079460001")
        #expect(telInvite.headers.firstString(.pAssertedIdentity) == "<tel:+442079460001>")
        // Each call went where its number's route said, and nowhere else.
        #expect(Self.receivedInvites(at: "127.0.3.24", in: workspace).count == 1)
        #expect(Self.receivedInvites(at: "127.0.3.25", in: workspace).count == 1)
    }

    /// The PBX dials tel URIs with local numbers (`tel:02079460002;phone-context=+44`): read like the user of a
    /// `sip:…;user=phone` URI, routed by their number, and sent on in each carrier's form.
    @Test func telRequestURIsFromThePBXAreReadAndRouted() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let text = try String(
            contentsOf: B2BUAIntegrationTests.scenarios.appendingPathComponent("uac-national.xml"), encoding: .utf8)
        let scenario = try workspace.write(
            "uac-national-tel.xml",
            text.replacingOccurrences(
                of: "sip:[service]@[remote_ip]:[remote_port]", with: "tel:[service];phone-context=+44"))
        try await Self.withCallees(in: workspace) { node, sipp in
            try await Self.call("02079460002", scenario: scenario, sipp: sipp)
            try await Self.call("03001234568", scenario: scenario, sipp: sipp)
            #expect(await eventually(.seconds(10)) { await node.activeCallCount() == 0 })
        }
        let sipInvite = try #require(Self.receivedInvites(at: "127.0.3.24", in: workspace).first)
        #expect(try sipInvite.requestURI?.description == "sip:+442079460002@127.0.3.24:21060;user=phone")
        let telInvite = try #require(Self.receivedInvites(at: "127.0.3.25", in: workspace).first)
        #expect(try telInvite.requestURI?.description == "tel:+443001234568")
        #expect(try telInvite.to.uri.description == "tel:+443001234568")
    }

    /// ENUM with number portability end to end: dnsmasq answers `01632960003`'s NAPTR with an `E2U+pstn:sip`
    /// URI at `carrier` whose routing number (`rn=+443000000001`) the routes place at `ims-carrier`. The call
    /// goes there, toward the network serving the routing number, and its Request-URI keeps the dialled number
    /// with `;npdi;rn=…` (in `ims-carrier`'s tel form).
    @Test func aPortedNumberIsRoutedByItsRoutingNumberFromENUM() async throws {
        let dnsmasq = try #require(ExternalProcess.find("dnsmasq"), "dnsmasq is missing: make test-deps installs it")
        let server = try ExternalProcess.start(
            dnsmasq,
            [
                "--keep-in-foreground", "--conf-file=/dev/null", "--port=21053", "--listen-address=127.0.3.26",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=", "--local=/e164.arpa/",
                "--naptr-record=3.0.0.0.6.9.2.3.6.1.4.4.e164.arpa,100,10,U,E2U+pstn:sip,"
                    + "!^\\+(.*)$!sip:+\\1;npdi;rn=+443000000001@127.0.3.24;user=phone!",
            ])
        defer { server.stop() }
        try await server.waitUntilBound([.udp("127.0.3.26", 21053)])
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let scenario = B2BUAIntegrationTests.scenarios.appendingPathComponent("uac-national.xml").path
        try await Self.withCallees(in: workspace) { node, sipp in
            try await Self.call("01632960003", scenario: scenario, sipp: sipp)
            #expect(await eventually(.seconds(10)) { await node.activeCallCount() == 0 })
        }
        #expect(Self.receivedInvites(at: "127.0.3.24", in: workspace).isEmpty, "the NAPTR's host is not the route")
        let invite = try #require(Self.receivedInvites(at: "127.0.3.25", in: workspace).first)
        #expect(try invite.requestURI?.description == "tel:+441632960003;npdi;rn=+443000000001")
    }

    /// `09012345678` (+449…, a premium range the PBX may not call) gets the policy's 603; `020794600` (eight
    /// national digits, where the plan wants nine or ten) gets 484 Address Incomplete. No carrier sees either.
    @Test func blockedAndIncompleteNumbersAreRefusedBeforeAnyCarrier() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let template = try String(
            contentsOf: B2BUAIntegrationTests.scenarios.appendingPathComponent("uac-national-refused.template.xml"),
            encoding: .utf8)
        try await Self.withCallees(in: workspace) { node, sipp in
            for (dialled, status) in [("09012345678", 603), ("020794600", 484)] {
                let scenario = try workspace.write(
                    "refused-\(status).xml", template.replacingOccurrences(of: "%STATUS%", with: "\(status)"))
                try await Self.call(dialled, scenario: scenario, sipp: sipp)
            }
            #expect(node.counters.snapshot.refused["numbering.blocked-prefix", default: 0] == 1)
            #expect(node.counters.snapshot.refused["numbering.number-too-short", default: 0] == 1)
        }
        for (address, _) in Self.callees {
            #expect(Self.receivedInvites(at: address, in: workspace).isEmpty, "\(address) received an INVITE")
        }
    }
}
