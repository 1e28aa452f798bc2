import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// `numbering.uri_form`: numbers toward a peer as tel URIs or as SIP URIs with `user=phone`, for the fields the
/// policy names, with the number in `send_as` form; and a whole INVITE through `BorderPolicy.egress`.
struct PeerNumberingURIFormTests {
    static let gatehouse = Host.ipv4(IPv4Address(127, 0, 0, 20))

    @Test func telFormWritesGlobalNumbersAsTelURIs() throws {
        let peer = PeerNumbering(plan: .unitedKingdom, uriForm: .tel)
        let sip = try URI(parsing: "sip:+442079460000;npdi;rn=+442079469999@carrier;user=phone;transport=tcp")
        #expect(
            peer.outbound(sip, in: .requestURI, host: Self.gatehouse).description
                == "tel:+442079460000;npdi;rn=+442079469999")
        // A numeric user without the flag carries a number too.
        #expect(
            peer.outbound(try URI(parsing: "sip:+442079460001@gw"), in: .from, host: Self.gatehouse).description
                == "tel:+442079460001")
        // Not a number, not a global number, or sips: as they are.
        for text in ["sip:alice@gw", "sip:2001@gw", "sips:+442079460000@gw"] {
            let uri = try URI(parsing: text)
            #expect(peer.outbound(uri, in: .from, host: Self.gatehouse) == uri)
        }
    }

    /// The scheme changes first, so a national form in a tel URI carries the `phone-context` RFC 3966 wants.
    @Test func telFormWithANationalNumberGetsItsContext() throws {
        var plan = NumberingPlan.unitedKingdom
        plan.outboundFormat = .national
        let peer = PeerNumbering(plan: plan, uriForm: .tel)
        #expect(
            peer.outbound(try URI(parsing: "sip:+442079460000@gw;user=phone"), in: .to, host: Self.gatehouse)
                .description == "tel:02079460000;phone-context=+44")
    }

    @Test func sipFormCarriesTelURIsWithUserPhone() throws {
        let peer = PeerNumbering(plan: .unitedKingdom, uriForm: .sip)
        #expect(
            peer.outbound(try URI(parsing: "tel:+442079460000;npdi"), in: .from, host: Self.gatehouse).description
                == "sip:+442079460000;npdi@127.0.0.20;user=phone")
        // A SIP URI whose user is a global number is flagged; a national form is not (it has no phone-context).
        #expect(
            peer.outbound(try URI(parsing: "sip:+442079460000@gw"), in: .requestURI, host: Self.gatehouse)
                .description == "sip:+442079460000@gw;user=phone")
        var national = NumberingPlan.unitedKingdom
        national.outboundFormat = .national
        #expect(
            PeerNumbering(plan: national, uriForm: .sip).outbound(
                try URI(parsing: "sip:+442079460000@gw"), in: .requestURI, host: Self.gatehouse
            ).description == "sip:02079460000@gw")
        // Without the B2BUA's own host a tel URI cannot become a SIP URI.
        let tel = try URI(parsing: "tel:+442079460000")
        #expect(peer.outbound(tel, in: .from, host: nil) == tel)
    }

    @Test func onlyTheOutboundFieldsChangeScheme() throws {
        let peer = PeerNumbering(plan: .unitedKingdom, denormalizedFields: [.requestURI], uriForm: .tel)
        let from = try URI(parsing: "sip:+442079460001@gw")
        #expect(peer.outbound(from, in: .from, host: Self.gatehouse) == from)
        // Without `uri_form` every scheme stays; `user_phone` flags SIP URIs in any field.
        let flagging = PeerNumbering(plan: .unitedKingdom, denormalizedFields: [], flagsUserPhone: true)
        #expect(
            flagging.outbound(from, in: .from, host: Self.gatehouse).description == "sip:+442079460001@gw;user=phone")
        let tel = try URI(parsing: "tel:+442079460001")
        #expect(flagging.outbound(tel, in: .from, host: Self.gatehouse) == tel)
    }

    static func border(_ numbering: String) throws -> BorderPolicy {
        BorderPolicy(
            policy: try PolicyLoader.load(
                yaml: """
                    version: 1
                    node: { name: t }
                    realms:
                      interconnect: { listen: ["udp://127.0.0.20:5060"] }
                    peers:
                      carrier:
                        realm: interconnect
                        addresses: [127.0.0.3]
                        numbering: \(numbering)
                    """, file: "test.yaml"))
    }

    /// The B2BUA's INVITE toward a peer: Via on its own address, From and P-Asserted-Identity as the caller had them.
    static let outgoing = [
        "INVITE sip:+442079460000@127.0.0.3 SIP/2.0",
        "Via: SIP/2.0/UDP 127.0.0.20:5060;branch=z9hG4bK-out-1",
        "Max-Forwards: 69",
        "From: \"Caller\" <tel:+442079460001>;tag=out-1",
        "To: <sip:+442079460000@127.0.0.3>",
        "Call-ID: out-1@127.0.0.20",
        "CSeq: 1 INVITE",
        "Contact: <sip:127.0.0.20:5060>",
        "P-Asserted-Identity: <sip:+442079460001@127.0.0.20>",
        "Content-Length: 0",
    ]

    static func egress(_ border: BorderPolicy) throws -> SIPMessage {
        var request = try SIPMessage(parsing: outgoing.joined(separator: "\r\n") + "\r\n\r\n")
        var trace = PipelineTrace.off
        border.egress(&request, toward: border.policy.peer(named: "carrier"), trace: &trace)
        return request
    }

    @Test func egressWritesEveryFieldInTheTelForm() throws {
        let request = try Self.egress(try Self.border("{ country_code: 44, national_prefix: \"0\", uri_form: tel }"))
        #expect(try request.requestURI?.description == "tel:+442079460000")
        #expect(try request.to.uri.description == "tel:+442079460000")
        #expect(try request.from.uri.description == "tel:+442079460001")
        #expect(try request.from.tag == "out-1")
        #expect(request.headers.firstString(.pAssertedIdentity) == "<tel:+442079460001>")
    }

    @Test func egressWritesEveryFieldInTheSIPForm() throws {
        let request = try Self.egress(try Self.border("{ country_code: 44, national_prefix: \"0\", uri_form: sip }"))
        #expect(try request.requestURI?.description == "sip:+442079460000@127.0.0.3;user=phone")
        #expect(try request.to.uri.description == "sip:+442079460000@127.0.0.3;user=phone")
        #expect(try request.from.uri.description == "sip:+442079460001@127.0.0.20;user=phone")
        #expect(
            request.headers.firstString(.pAssertedIdentity) == "<sip:+442079460001@127.0.0.20;user=phone>")
    }

    /// Without `uri_form` the schemes stay as they were (a tel From stays tel), as before the key existed.
    @Test func egressWithoutAURIFormKeepsSchemes() throws {
        let request = try Self.egress(try Self.border("{ country_code: 44, national_prefix: \"0\" }"))
        #expect(try request.requestURI?.description == "sip:+442079460000@127.0.0.3")
        #expect(try request.from.uri.description == "tel:+442079460001")
    }
}
