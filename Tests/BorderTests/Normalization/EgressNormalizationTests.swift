import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// `BorderPolicy.egress` on every kind of message toward a peer: the call's INVITE gets everything (rules, fixes,
/// numbering); a request inside a dialog, a CANCEL and a response get the rules that leave their Request-URI, From
/// and To alone, the fixes, and no numbering.
@Suite struct EgressNormalizationTests {
    typealias F = NormalizationFixtures

    static let border = BorderPolicy(
        policy: try! PolicyLoader.load(
            yaml: #"""
                version: 1
                node: { name: t }
                realms:
                  access: { listen: ["udp://127.0.3.1:20060"] }
                  interconnect: { listen: ["udp://127.0.3.2:20060"] }
                peers:
                  pbx: { realm: access, addresses: [127.0.3.3] }
                  carrier:
                    realm: interconnect
                    addresses: [127.0.3.4]
                    numbering: { country_code: 44, national_prefix: "0", international_prefix: "00", send_as: national }
                    normalize:
                      outbound:
                        - remove: "X-Internal-*"
                        - add: { header: X-Trunk, value: gw-9 }
                        - rewrite: { header: request_uri, part: user, pattern: '^0(\d+)$', replacement: '9$1' }
                        - rewrite: { header: To, part: user, pattern: '^0(\d+)$', replacement: '9$1' }
                        - { add: { header: X-Hangup, value: bye }, when: { method: BYE } }
                        - { add: { header: X-From-Pbx, value: yes }, when: { peer: pbx } }
                      long_header_names: true
                  quiet: { realm: interconnect, addresses: [127.0.3.5] }
                """#, file: "egress.yaml"))

    static var carrier: Peer { border.policy.peer(named: "carrier")! }
    static var pbx: Peer { border.policy.peer(named: "pbx")! }

    static func egress(_ text: String) throws -> (SIPMessage, [String]) {
        var message = try SIPMessage(parsing: text)
        var trace = PipelineTrace(recording: true)
        border.egress(&message, toward: carrier, from: pbx, trace: &trace)
        return (message, trace.entries.map { "[\($0.stage)] \($0.text)" })
    }

    /// The INVITE that starts the call: every rule, long names, then the numbers written nationally; the rewrite
    /// of the Request-URI sees the national number the numbering stage has not written yet, so it matches nothing.
    @Test func theCallsInviteGetsEverything() throws {
        let (invite, trace) = try Self.egress(
            """
            INVITE sip:+442079460000@carrier.test SIP/2.0\r
            v: SIP/2.0/UDP 127.0.3.2:20060;branch=z9hG4bK-1\r
            f: <sip:+442079460123@127.0.3.2>;tag=g1\r
            t: <sip:02079460000@carrier.test>\r
            i: leg-2\r
            CSeq: 1 INVITE\r
            X-Internal-Route: core-7\r
            l: 0\r
            \r

            """)
        #expect(
            F.lines(invite) == [
                "INVITE sip:02079460000@carrier.test SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.3.2:20060;branch=z9hG4bK-1",
                "From: <sip:02079460123@127.0.3.2>;tag=g1",
                "To: <sip:92079460000@carrier.test>",
                "Call-ID: leg-2",
                "CSeq: 1 INVITE",
                "Content-Length: 0",
                "X-Trunk: gw-9",
                "X-From-Pbx: yes",
            ])
        #expect(trace.contains("[outbound-normalization] rule 5 (add X-Hangup): skipped: method INVITE is not BYE"))
        #expect(trace.contains { $0.hasPrefix("[numbering] Request-URI toward carrier") })
        #expect(trace.contains { $0.hasPrefix("[outbound-normalization] long_header_names: v → Via") })
    }

    /// A BYE inside the dialog: the method rule fires, headers are removed and added, and long names written, but
    /// its Request-URI (the callee's Contact) and To (the dialog's remote URI, as the INVITE carried it) stay, and
    /// no number is rewritten.
    @Test func aByeGetsItsRulesButKeepsItsDialogIdentity() throws {
        let (bye, trace) = try Self.egress(
            """
            BYE sip:0123@127.0.3.4:20064 SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.3.2:20060;branch=z9hG4bK-2\r
            f: <sip:+442079460123@127.0.3.2>;tag=g1\r
            To: <sip:02079460000@carrier.test>;tag=c1\r
            Call-ID: leg-2\r
            CSeq: 2 BYE\r
            X-Internal-Route: core-7\r
            Content-Length: 0\r
            \r

            """)
        #expect(
            F.lines(bye) == [
                "BYE sip:0123@127.0.3.4:20064 SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.3.2:20060;branch=z9hG4bK-2",
                "From: <sip:+442079460123@127.0.3.2>;tag=g1",
                "To: <sip:02079460000@carrier.test>;tag=c1",
                "Call-ID: leg-2",
                "CSeq: 2 BYE",
                "Content-Length: 0",
                "X-Trunk: gw-9",
                "X-Hangup: bye",
                "X-From-Pbx: yes",
            ])
        #expect(
            trace.contains(
                "[outbound-normalization] rule 3 (rewrite request_uri user): skipped: the Request-URI of a BYE is fixed by its dialog or transaction"
            ))
        #expect(
            trace.contains(
                "[outbound-normalization] rule 4 (rewrite To user): skipped: the To of a BYE is fixed by its dialog or transaction"
            ))
        #expect(!trace.contains { $0.hasPrefix("[numbering]") })
    }

    /// A CANCEL has no To tag, but its Request-URI and To are the INVITE's as sent (RFC 3261 §9.1): rewriting them
    /// again would add the prefix twice and the callee would find nothing to cancel.
    @Test func aCancelKeepsTheInvitesRequestURIAndTo() throws {
        let (cancel, trace) = try Self.egress(
            """
            CANCEL sip:02079460000@carrier.test SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.3.2:20060;branch=z9hG4bK-1\r
            From: <sip:02079460123@127.0.3.2>;tag=g1\r
            To: <sip:02079460000@carrier.test>\r
            Call-ID: leg-2\r
            CSeq: 1 CANCEL\r
            Content-Length: 0\r
            \r

            """)
        #expect(cancel.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:02079460000@carrier.test")
        #expect(cancel.headers.firstString(.to) == "<sip:02079460000@carrier.test>")
        #expect(cancel.headers.firstString("X-Trunk") == "gw-9")
        #expect(!trace.contains { $0.hasPrefix("[numbering]") })
    }

    /// A response toward the peer: the rules see its CSeq method (the BYE rule fires on the 200 to a BYE), To is
    /// not rewritten, and Gatehouse's own headers are added as on a request.
    @Test func aResponseGetsTheRulesOfItsMethod() throws {
        let (ok, trace) = try Self.egress(
            """
            SIP/2.0 200 OK\r
            Via: SIP/2.0/UDP 127.0.3.4:20064;branch=z9hG4bK-3\r
            From: <sip:callee@127.0.3.4>;tag=c1\r
            To: <sip:02079460123@127.0.3.2>;tag=g1\r
            Call-ID: leg-2\r
            CSeq: 3 BYE\r
            X-Internal-Route: core-7\r
            Content-Length: 0\r
            \r

            """)
        #expect(ok.headers.firstString(.to) == "<sip:02079460123@127.0.3.2>;tag=g1")
        #expect(ok.headers.firstString("X-Hangup") == "bye")
        #expect(ok.headers.firstString("X-Internal-Route") == nil)
        #expect(
            trace.contains(
                "[outbound-normalization] rule 4 (rewrite To user): skipped: the To of a 200 response to BYE is fixed by its dialog or transaction"
            ))
    }

    @Test func whichRequestsStartAnExchangeOfTheirOwn() throws {
        func starts(_ startLine: String, to: String) throws -> Bool {
            BorderPolicy.startsOwnExchange(
                try SIPMessage(
                    parsing:
                        "\(startLine)\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-9\r\nFrom: <sip:a@h>;tag=1\r\nTo: \(to)\r\nCall-ID: c\r\nCSeq: 1 \(startLine.prefix { $0 != " " })\r\nContent-Length: 0\r\n\r\n"
                ))
        }
        #expect(try starts("INVITE sip:b@h SIP/2.0", to: "<sip:b@h>"))
        #expect(try starts("REGISTER sip:h SIP/2.0", to: "<sip:a@h>"))
        #expect(try !starts("INVITE sip:b@h SIP/2.0", to: "<sip:b@h>;tag=2"))
        #expect(try !starts("CANCEL sip:b@h SIP/2.0", to: "<sip:b@h>"))
        #expect(try !starts("ACK sip:b@h SIP/2.0", to: "<sip:b@h>"))
    }

    /// The live path's shortcut: a policy where no peer normalizes outbound skips the stage.
    @Test func normalizesOutboundOnlyWhenSomePeerDoes() throws {
        #expect(Self.border.normalizesOutbound)
        let plain = try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: t }
                realms: { access: { listen: ["udp://127.0.3.1:20060"] } }
                peers: { pbx: { realm: access, addresses: [127.0.3.3], normalize: { inbound: [ { remove: "X-*" } ] } } }
                """, file: "plain.yaml")
        #expect(!BorderPolicy(policy: plain).normalizesOutbound)
    }
}
