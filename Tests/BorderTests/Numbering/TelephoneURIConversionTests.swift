import SIPMessage
import Testing

@testable import Border

/// tel ↔ sip;user=phone (RFC 3966, RFC 3261 §19.1.6) and rewriting the number inside URIs and name-addrs.
@Suite struct TelephoneURIConversionTests {
    let host = Host.name("carrier.example.net")

    @Test func telToSIPAndBack() throws {
        let tel = try TelURI(parsing: "tel:+15551230000;isub=1234;ext=22")
        let sip = TelephoneURIConversion.sipURI(from: tel, host: host)
        #expect(sip.description == "sip:+15551230000;isub=1234;ext=22@carrier.example.net;user=phone")
        let back = try #require(TelephoneURIConversion.telURI(from: sip))
        #expect(back == tel)
        #expect(back.description == "tel:+15551230000;isub=1234;ext=22")
    }

    @Test func localNumberKeepsItsContext() throws {
        let tel = try TelURI(parsing: "tel:7042;phone-context=example.com")
        let sip = TelephoneURIConversion.sipURI(
            from: tel, host: host, port: 5061, isSecure: true,
            parameters: [URIParameter(name: "transport", value: "tls")])
        #expect(
            sip.description == "sips:7042;phone-context=example.com@carrier.example.net:5061;transport=tls;user=phone")
        let reparsed = try SIPURI(parsing: sip.description)
        #expect(TelephoneURIConversion.telURI(from: reparsed) == tel)
    }

    @Test func rfc3261Example() throws {
        // RFC 3261 §19.1.6: the two URIs carry the same telephone-subscriber.
        let sip = try SIPURI(parsing: "sip:+358-555-1234567;postd=pp22@foo.com;user=phone")
        let tel = try #require(TelephoneURIConversion.telURI(from: sip))
        #expect(tel.description == "tel:+358-555-1234567;postd=pp22")
        #expect(TelephoneURIConversion.sipURI(from: tel, host: .name("foo.com")) == sip)
    }

    @Test func sipWithoutUserPhoneIsNotATelURI() throws {
        #expect(TelephoneURIConversion.telURI(from: try SIPURI(parsing: "sip:+15551230000@gw")) == nil)
    }

    @Test func subscriberFinding() throws {
        let pbx = try URI(parsing: "sip:5551230000@127.0.0.10")
        #expect(TelephoneURIConversion.subscriber(in: pbx)?.number == "5551230000")
        #expect(TelephoneURIConversion.subscriber(in: pbx, acceptingNumericUser: false) == nil)
        #expect(TelephoneURIConversion.subscriber(in: try URI(parsing: "sip:alice@ims.gatehouse.test")) == nil)
        #expect(TelephoneURIConversion.subscriber(in: try URI(parsing: "mailto:a@example.com")) == nil)
        // user=phone with a local number lacking phone-context: invalid RFC 3966, common in practice.
        let flagged = try URI(parsing: "sip:5551230000;npdi@gw;user=phone")
        let subscriber = try #require(TelephoneURIConversion.subscriber(in: flagged, acceptingNumericUser: false))
        #expect(subscriber.parameters == [URIParameter(name: "npdi")])
    }

    @Test func normalizeRewritesEachForm() throws {
        let plan = NumberingPlan.northAmerica
        let cases: [(String, String)] = [
            ("sip:5551230000@127.0.0.10;transport=udp", "sip:+15551230000@127.0.0.10;transport=udp"),
            ("sip:1-555-123-0000@gw;user=phone", "sip:+15551230000@gw;user=phone"),
            ("tel:5551230000;phone-context=+1", "tel:+15551230000"),
            ("tel:5551230000;ext=7;phone-context=pbx.example.com", "tel:+15551230000;ext=7"),
            ("tel:2079460000;phone-context=+44", "tel:+442079460000"),
            ("tel:+1-555-123-0000;isub=99", "tel:+15551230000;isub=99"),
            (
                "sip:011442079460000;rn=+15551239999;npdi@gw;user=phone",
                "sip:+442079460000;rn=+15551239999;npdi@gw;user=phone"
            ),
        ]
        for (input, expected) in cases {
            let numbered = try plan.normalize(uri: URI(parsing: input)).get()
            #expect(numbered.uri.description == expected, "\(input)")
            #expect(numbered.number != nil)
        }
        let alice = try URI(parsing: "sip:alice@ims.gatehouse.test")
        #expect(try plan.normalize(uri: alice).get() == NumberedURI(uri: alice, number: nil))
        #expect(plan.normalize(uri: try URI(parsing: "sip:555@gw")).refusal?.code == .tooShort)
    }

    @Test func denormalizeForPeersThatWantNationalForms() throws {
        var plan = NumberingPlan.northAmerica
        plan.outboundFormat = .nationalSignificant
        #expect(
            plan.denormalize(uri: try URI(parsing: "sip:+15551230000@pbx;user=phone")).description
                == "sip:5551230000@pbx;user=phone")
        #expect(
            plan.denormalize(uri: try URI(parsing: "tel:+15551230000;ext=1")).description
                == "tel:5551230000;ext=1;phone-context=+1")
        #expect(plan.denormalize(uri: try URI(parsing: "sip:alice@host")).description == "sip:alice@host")
    }

    @Test func peerNumberingOnNameAddresses() throws {
        let peer = PeerNumbering(
            plan: .northAmerica, validation: NumberValidation(blockedPrefixes: ["+1900"]),
            normalizedFields: [.requestURI, .from, .pAssertedIdentity])
        var from = try NameAddress(parsing: Array(#""PBX" <sip:5551230000@pbx>;tag=abc"#.utf8)[...])
        from = try peer.inbound(from, in: .from).get()
        #expect(from.displayName == "PBX")
        #expect(from.uri.description == "sip:+15551230000@pbx")
        #expect(from.parameters.value("tag") == "abc")
        // To is not configured: left as it came.
        let to = try NameAddress(parsing: Array("<sip:5551230000@pbx>".utf8)[...])
        #expect(try peer.inbound(to, in: .to).get() == to)
        // The Request-URI is validated; From is not.
        let premium = try URI(parsing: "sip:19005551234@gw")
        let refusal = peer.inbound(premium, in: .requestURI).refusal
        #expect(refusal?.code == .blockedPrefix)
        #expect(refusal?.status.code == 403)
        #expect(try peer.inbound(premium, in: .from).get().number?.description == "+19005551234")
        // Validated but not normalized: the URI stays, the number is reported.
        let checkOnly = PeerNumbering(plan: .northAmerica, normalizedFields: [])
        let kept = try checkOnly.inbound(try URI(parsing: "sip:5551230000@gw"), in: .requestURI).get()
        #expect(kept.uri.description == "sip:5551230000@gw")
        #expect(kept.number?.description == "+15551230000")
    }

    @Test func peerStatusesApplyToNormalizationErrors() throws {
        let peer = PeerNumbering(
            plan: .northAmerica, validation: NumberValidation(statuses: [.tooShort: .notFound]))
        #expect(peer.inbound(try URI(parsing: "sip:5551@gw"), in: .requestURI).refusal?.status.code == 404)
    }

    @Test func outbound() throws {
        var plan = NumberingPlan.unitedKingdom
        plan.outboundFormat = .national
        let peer = PeerNumbering(plan: plan, denormalizedFields: [.requestURI])
        let uri = try URI(parsing: "sip:+442079460000@uk-trunk;user=phone")
        #expect(peer.outbound(uri, in: .requestURI).description == "sip:02079460000@uk-trunk;user=phone")
        #expect(peer.outbound(uri, in: .from) == uri)
    }
}
