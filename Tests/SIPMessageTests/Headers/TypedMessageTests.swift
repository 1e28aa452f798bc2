import Testing

@testable import SIPMessage

/// Typed headers read from whole messages (`SIPMessage+TypedHeaders`) and written back through `SIPHeaders`.
@Suite struct TypedMessageTests {
    /// RFC 3261 §7.3.3's compact forms in an INVITE like the one of §24.2 (F1).
    static let compactInvite = [
        "INVITE sip:bob@biloxi.com SIP/2.0",
        "v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds",
        "v: SIP/2.0/TCP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111;received=[2001:db8::9:255], SIP/2.0/UDP 192.0.2.1;rport=5061",
        "Max-Forwards: 70",
        "t: Bob <sip:bob@biloxi.com>",
        "f: Alice <sip:alice@atlanta.com>;tag=1928301774",
        "i: a84b4c76e66710@pc33.atlanta.com",
        "CSeq: 314159 INVITE",
        "m: <sip:alice@pc33.atlanta.com>",
        "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>",
        "Record-Route: <sip:p3.example.com;lr>",
        "Path: <sip:pcscf.visited.net;lr>",
        "Service-Route: <sip:orig@scscf.home.net;lr>",
        "Expires: 300",
        "c: application/sdp",
        "l: 4",
    ]

    @Test func readsEveryTypedHeader() throws {
        let message = try typedHeadersMessage(Self.compactInvite, body: "v=0\n")
        let vias = try message.vias
        #expect(vias.count == 3)
        #expect(vias[0].host == .name("pc33.atlanta.com"))
        #expect(vias[1].received == .ipv6(try IPv6Address(parsing: "2001:db8::9:255")))
        #expect(vias[2].rport == .port(5061))
        #expect(try message.topVia.branch == "z9hG4bK776asdhds")
        #expect(try message.from.tag == "1928301774")
        #expect(try message.from.displayName == "Alice")
        #expect(try message.to.tag == nil)
        #expect(try message.to.sipURI?.host == .name("biloxi.com"))
        #expect(try message.callID == "a84b4c76e66710@pc33.atlanta.com")
        #expect(try message.cseq == CSeq(314159, .invite))
        #expect(try message.maxForwards == 70)
        #expect(try message.contacts.first?.uri == URI(parsing: "sip:alice@pc33.atlanta.com"))
        #expect(try message.routes.map(\.uriText) == ["sip:p1.example.com;lr", "sip:p2.example.com;lr"])
        #expect(try message.recordRoutes.first?.sipURI?.lr == true)
        #expect(try message.paths.count == 1)
        #expect(try message.serviceRoutes.first?.sipURI?.user == "orig")
        #expect(try message.contentType?.isSDP == true)
        #expect(try message.expires == 300)
        #expect(try message.headers.first(.contentLength, as: ContentLength.self) == 4)
    }

    @Test func optionalHeadersMayBeAbsent() throws {
        let message = try typedHeadersMessage([
            "SIP/2.0 200 OK", "Via: SIP/2.0/UDP a.example;branch=z9hG4bK1", "From: <sip:a@a.example>;tag=1",
            "To: <sip:b@b.example>;tag=2", "Call-ID: x", "CSeq: 1 OPTIONS",
        ])
        #expect(try message.maxForwards == nil)
        #expect(try message.contentType == nil)
        #expect(try message.expires == nil)
        #expect(try message.contacts.isEmpty)
        #expect(try message.routes.isEmpty)
        #expect(try message.to.tag == "2")
    }

    @Test func missingRequiredHeaders() throws {
        let message = try typedHeadersMessage(["OPTIONS sip:a@b.example SIP/2.0", "Max-Forwards: 70"])
        for read in [
            { _ = try message.from }, { _ = try message.to }, { _ = try message.callID }, { _ = try message.cseq },
            { _ = try message.vias }, { _ = try message.topVia },
        ] as [() throws -> Void] {
            let error = typedHeaderError(read)
            #expect(error?.code == .missingHeader)
            #expect(error?.status == .badRequest)
        }
    }

    @Test func duplicateSingleValuedHeaders() throws {
        let message = try typedHeadersMessage([
            "INVITE sip:a@b.example SIP/2.0", "To: <sip:a@b.example>", "t: <sip:c@d.example>",
            "Call-ID: x", "i: y", "Max-Forwards: 70", "Max-Forwards: 69",
        ])
        #expect(typedHeaderError { _ = try message.to }?.code == .duplicateHeader)
        #expect(typedHeaderError { _ = try message.callID }?.code == .duplicateHeader)
        #expect(typedHeaderError { _ = try message.maxForwards }?.code == .duplicateHeader)
    }

    @Test func parsingIsLazyAndPerValue() throws {
        // A broken second Via does not stop the top one from being read; asking for all of them fails.
        let message = try typedHeadersMessage([
            "SIP/2.0 200 OK", "Via: SIP/2.0/UDP a.example;branch=z9hG4bK1", "Via: garbage", "CSeq: banana",
        ])
        #expect(try message.topVia.branch == "z9hG4bK1")
        #expect(typedHeaderError { _ = try message.vias }?.code == .badVia)
        #expect(typedHeaderError { _ = try message.cseq }?.code == .badCSeq)
    }

    @Test func routesMustUseAngleBrackets() throws {
        let message = try typedHeadersMessage(["INVITE sip:a@b.example SIP/2.0", "Route: sip:p1.example.com;lr"])
        #expect(typedHeaderError { _ = try message.routes }?.code == .badNameAddress)
        // The generic view is lenient: the `;lr` becomes a header parameter, as for any bare addr-spec.
        #expect(try message.headers.first(.route, as: NameAddress.self)?.parameters.contains("lr") == true)
    }

    @Test func writingTypedValues() throws {
        var message = try typedHeadersMessage(Self.compactInvite, body: "v=0\n")
        var to = try message.to
        to.tag = "8321234356"
        message.headers.set(.to, to)
        var via = Via(
            transport: "UDP", host: .ipv6(try IPv6Address(parsing: "2001:db8::1")), port: 5060,
            branch: "z9hG4bK-sbc-1")
        via.rport = .requested
        message.headers.prepend(.via, via)
        message.headers.set(.maxForwards, try message.maxForwards?.decremented ?? 0)
        message.headers.append(.securityVerify, try SecurityMechanism(parsing: "ipsec-3gpp;q=0.1;alg=hmac-sha-1-96"))
        message.headers.set(.cseq, CSeq(314160, .invite))

        let reparsed = try SIPMessage(parsing: message.serialize())
        #expect(try reparsed.to.tag == "8321234356")
        #expect(try reparsed.to.displayName == "Bob")
        #expect(try reparsed.topVia == via)
        #expect(try reparsed.vias.count == 4)
        #expect(try reparsed.maxForwards == 69)
        #expect(try reparsed.cseq.sequence == 314160)
        #expect(try reparsed.headers.first(.securityVerify, as: SecurityMechanism.self)?.algorithm == "hmac-sha-1-96")
        #expect(try reparsed.from == message.from)
        #expect(reparsed.headers.firstString(.via) == "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK-sbc-1;rport")
    }
}
