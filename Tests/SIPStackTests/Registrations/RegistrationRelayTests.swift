import SIPMessage
import Testing

@testable import SIPStack

/// A REGISTER from a handset behind NAT, relayed to the registrar with Gatehouse's identifiers and Contact, and the
/// registrar's answers rebuilt for the handset; a secret in every place where either side could leak.
@Suite struct RegistrationRelayTests {
    typealias F = B2BUAFixtures

    static let egress = SIPEndpoint(transport: .udp, host: "127.0.0.20", port: 5060)

    /// What the handset's side must never show toward the registrar.
    static let uaSecrets = [
        "10.0.0.5", "10.0.0.1", "ua-reg-1", "ua-hop-secret", "ua-tag-1", "ua-call-secret", "SecretPhone",
        "User-Agent", "secret-cell", "P-Access-Network-Info", "alice-secret-ppi", "P-Preferred-Identity",
        "X-Phone-Trace", "phone-secret-trace", "route-secret", "path-secret", "gruu",
    ]

    /// What the registrar's side must never show toward the handset (with Gatehouse's own identifiers there).
    static let registrarSecrets = [
        "registrar-tag-secret", "gh-call-1", "gh-from-1", "z9hG4bK-gh-1", "127.0.0.20", "ghq7x2", "scscf-secret",
        "Service-Route", "pcscf-path-secret", "Path:", "SecretRegistrar", "registrar-secret", "Warning",
    ]

    /// The handset's REGISTER, through one proxy of its own.
    static func register(
        maxForwards: String? = "70", contact: String = "<sip:alice@10.0.0.5:5060>;expires=3600",
        expires: String = "3600", require: String? = nil, extra: [String] = []
    ) throws -> SIPMessage {
        var lines = [
            "REGISTER sip:ims.test SIP/2.0",
            "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-ua-reg-1;rport",
            "Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-ua-hop-secret",
        ]
        if let maxForwards { lines.append("Max-Forwards: \(maxForwards)") }
        lines += [
            "From: \"Alice\" <sip:alice@ims.test>;tag=ua-tag-1",
            "To: \"Alice\" <sip:alice@ims.test>",
            "Call-ID: ua-call-secret@10.0.0.5",
            "CSeq: 42 REGISTER",
            "Contact: \(contact)",
            "Expires: \(expires)",
            "Supported: path, gruu",
            "Authorization: \(authorization)",
            "User-Agent: SecretPhone/1.0",
            "P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=secret-cell",
            "P-Preferred-Identity: <sip:alice-secret-ppi@ims.test>",
            "X-Phone-Trace: phone-secret-trace",
            "Route: <sip:route-secret.ims.test;lr>",
            "Path: <sip:path-secret.ims.test;lr>",
        ]
        if let require { lines.append("Require: \(require)") }
        return try F.parse(lines + extra)
    }

    static let authorization =
        "Digest username=\"alice@ims.test\", realm=\"ims.test\", nonce=\"n0nce\", uri=\"sip:ims.test\", "
        + "response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5"

    /// The binding token's Contact, with the UA's parameters.
    static let relayedContact = try! ContactValue(parsing: "<sip:ghq7x2@127.0.0.20:5060>;expires=3600")

    static func outgoing(
        _ register: SIPMessage, contacts: [ContactValue] = [relayedContact],
        passList: HeaderPassList = RegistrationRelay.passList
    ) throws -> SIPMessage {
        try RegistrationRelay.outgoingRegister(
            from: register, contacts: contacts, callID: "gh-call-1", fromTag: "gh-from-1", egress: egress,
            branch: "z9hG4bK-gh-1", passList: passList)
    }

    /// The registrar's answer to `request`, through a P-CSCF that adds its Path.
    static func registrarResponse(
        to request: SIPMessage, _ code: Int, _ reason: String, extra: [String]
    ) throws
        -> SIPMessage
    {
        try F.response(
            to: request, code, reason, toTag: "registrar-tag-secret",
            extra: extra + [
                "Path: <sip:pcscf-path-secret.ims.test;lr>", "Server: SecretRegistrar/2.0",
                "Warning: 399 registrar-secret.ims.test \"refreshed\"",
            ], body: "")
    }

    static func incoming(
        _ response: SIPMessage, answering inbound: SIPMessage, contacts: [String] = []
    ) throws
        -> SIPMessage
    {
        try RegistrationRelay.incomingResponse(
            response, answering: inbound, toTag: "gh-to-1", contacts: contacts.map { try NameAddress(parsing: $0) })
    }

    // MARK: Toward the registrar

    @Test func theRegisterIsGatehousesOwnWithTheUAsAddressOfRecord() throws {
        let register = try Self.outgoing(Self.register())
        F.expectNone(of: Self.uaSecrets, in: register)
        #expect(register.requestLine?.method == .register)
        #expect(register.requestLine?.uri == Array("sip:ims.test".utf8))
        let vias = try register.vias
        #expect(vias.count == 1)
        #expect(vias.first?.host == .ipv4(IPv4Address(127, 0, 0, 20)) && vias.first?.port == 5060)
        #expect(vias.first?.branch == "z9hG4bK-gh-1")
        #expect(vias.first?.transport == "UDP")
        #expect(try register.maxForwards == 69)
        let from = try register.from
        #expect(from.displayName == "Alice" && from.uri.description == "sip:alice@ims.test")
        #expect(from.tag == "gh-from-1")
        let to = try register.to
        #expect(to.displayName == "Alice" && to.uri.description == "sip:alice@ims.test")
        #expect(to.tag == nil)
        #expect(try register.callID.value == "gh-call-1")
        #expect(try register.cseq == CSeq(42, .register))
        #expect(try register.contacts.map(\.description) == ["<sip:ghq7x2@127.0.0.20:5060>;expires=3600"])
        #expect(register.headers.firstString(.expires) == "3600")
        // The credentials pass unchanged: the digest signs the Request-URI, which is unchanged too.
        #expect(register.headers.firstString(.authorization) == Self.authorization)
        #expect(!register.headers.contains(.userAgent))
        #expect(!register.headers.contains(.pAccessNetworkInfo))
        #expect(!register.headers.contains(.pPreferredIdentity))
        #expect(!register.headers.contains("X-Phone-Trace"))
        #expect(!register.headers.contains(.route))
        #expect(!register.headers.contains(.path))
        // No option tag is relayed by default, so Supported goes.
        #expect(!register.headers.contains(.supported))
        #expect(register.body.isEmpty)
    }

    @Test func severalContactsAndTheWildcard() throws {
        let two = try Self.outgoing(
            Self.register(),
            contacts: [
                Self.relayedContact, try ContactValue(parsing: "<sip:ghz9@127.0.0.20:5060>;expires=3600;q=0.5"),
            ])
        #expect(
            try two.contacts.map(\.description) == [
                "<sip:ghq7x2@127.0.0.20:5060>;expires=3600", "<sip:ghz9@127.0.0.20:5060>;expires=3600;q=0.5",
            ])
        let removeAll = try Self.outgoing(
            Self.register(contact: "*", expires: "0"), contacts: [.wildcard])
        #expect(try removeAll.contacts == [.wildcard])
        #expect(F.text(removeAll).contains("\r\nContact: *\r\n"))
        #expect(removeAll.headers.firstString(.expires) == "0")
    }

    @Test func proxyAuthorizationPassesToo() throws {
        let credentials =
            "Digest username=\"alice@ims.test\", realm=\"proxy.ims.test\", nonce=\"p1\", uri=\"sip:ims.test\""
        let register = try Self.outgoing(Self.register(extra: ["Proxy-Authorization: \(credentials)"]))
        #expect(register.headers.firstString(.proxyAuthorization) == credentials)
    }

    /// A trusted registrar may see what the policy lets it see (`pass_headers` of its peer).
    @Test func extraHeadersPassWhenThePolicySaysSo() throws {
        var passList = RegistrationRelay.passList
        passList.extraToward = [.outbound: [try HeaderPattern(parsing: "P-Access-Network-Info")]]
        let register = try Self.outgoing(Self.register(), passList: passList)
        #expect(
            register.headers.firstString(.pAccessNetworkInfo)
                == "3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=secret-cell")
        #expect(!register.headers.contains(.pPreferredIdentity))
        #expect(!register.headers.contains(.path))
    }

    @Test func maxForwardsIsDecrementedAndZeroIs483() throws {
        #expect(try Self.outgoing(Self.register(maxForwards: "1")).maxForwards == 0)
        #expect(try Self.outgoing(Self.register(maxForwards: nil)).maxForwards == 70)
        #expect {
            try Self.outgoing(Self.register(maxForwards: "0"))
        } throws: { error in
            let error = error as? B2BUAError
            return error?.code == .tooManyHops && error?.status.code == 483
        }
    }

    @Test func aRequireGatehouseCannotRelayIs420() throws {
        #expect {
            try Self.outgoing(Self.register(require: "path"))
        } throws: { error in
            let error = error as? B2BUAError
            return error?.code == .badExtension && error?.status == .badExtension && error?.unsupported == [.path]
        }
        // Once the policy relays `path`, it is required on the far side too, and offered there.
        let passList = HeaderPassList(names: RegistrationRelay.passList.names, supportedOptionTags: [.path])
        let register = try Self.outgoing(Self.register(require: "path"), passList: passList)
        #expect(register.headers.firstString(.require) == "path")
        #expect(register.headers.firstString(.supported) == "path")
    }

    @Test func onlyARegisterIsRelayed() throws {
        let options = try F.parse([
            "OPTIONS sip:ims.test SIP/2.0",
            "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-ua-options-1",
            "Max-Forwards: 70",
            "From: <sip:alice@ims.test>;tag=ua-tag-1",
            "To: <sip:alice@ims.test>",
            "Call-ID: ua-call-secret@10.0.0.5",
            "CSeq: 1 OPTIONS",
        ])
        #expect {
            try Self.outgoing(options)
        } throws: { error in
            let error = error as? B2BUAError
            return error?.code == .badHeader && error?.status.code == 400
        }
    }

    // MARK: Toward the UA

    @Test func theAnswerIsTheUAsOwnWithItsContacts() throws {
        let inbound = try Self.register()
        let relayed = try Self.outgoing(inbound)
        let response = try Self.registrarResponse(
            to: relayed, 200, "OK",
            extra: [
                "Contact: <sip:ghq7x2@127.0.0.20:5060>;expires=600",
                "Service-Route: <sip:orig@scscf-secret.ims.test;lr>",
                "P-Associated-URI: <sip:alice@ims.test>, <tel:+15550100>",
                "Date: Sat, 21 Nov 2026 12:00:00 GMT",
                "Expires: 600",
            ])
        let answer = try Self.incoming(
            response, answering: inbound, contacts: ["<sip:alice@10.0.0.5:5060>;expires=600"])
        F.expectNone(of: Self.registrarSecrets, in: answer)
        #expect(answer.statusLine == StatusLine(code: 200, reason: "OK"))
        #expect(
            answer.headers.fieldValues(.via).map { String(decoding: $0, as: UTF8.self) } == [
                "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-ua-reg-1;rport",
                "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-ua-hop-secret",
            ])
        #expect(answer.headers.firstString(.from) == "\"Alice\" <sip:alice@ims.test>;tag=ua-tag-1")
        let to = try answer.to
        #expect(to.displayName == "Alice" && to.uri.description == "sip:alice@ims.test")
        #expect(to.tag == "gh-to-1")
        #expect(try answer.callID.value == "ua-call-secret@10.0.0.5")
        #expect(try answer.cseq == CSeq(42, .register))
        #expect(try answer.contacts.map(\.description) == ["<sip:alice@10.0.0.5:5060>;expires=600"])
        #expect(answer.headers.firstString(.pAssociatedURI) == "<sip:alice@ims.test>, <tel:+15550100>")
        #expect(answer.headers.firstString(.date) == "Sat, 21 Nov 2026 12:00:00 GMT")
        #expect(answer.headers.firstString(.expires) == "600")
        #expect(!answer.headers.contains(.serviceRoute))
        #expect(!answer.headers.contains(.path))
        #expect(!answer.headers.contains(.server))
        #expect(!answer.headers.contains(.warning))
        #expect(answer.body.isEmpty)
    }

    /// A digest challenge crosses whole, so the UA answers it end to end (RFC 3261 §22).
    @Test func challengesPass() throws {
        let inbound = try Self.register()
        let relayed = try Self.outgoing(inbound)
        let challenge = "Digest realm=\"ims.test\", nonce=\"n1\", algorithm=MD5, qop=\"auth\""
        let unauthorized = try Self.incoming(
            Self.registrarResponse(
                to: relayed, 401, "Unauthorized", extra: ["WWW-Authenticate: \(challenge)"]), answering: inbound)
        F.expectNone(of: Self.registrarSecrets, in: unauthorized)
        #expect(unauthorized.statusCode == 401)
        #expect(unauthorized.headers.firstString(.wwwAuthenticate) == challenge)
        #expect(try unauthorized.to.tag == "gh-to-1")
        #expect(try unauthorized.contacts.isEmpty)

        let proxy = try Self.incoming(
            Self.registrarResponse(
                to: relayed, 407, "Proxy Authentication Required", extra: ["Proxy-Authenticate: \(challenge)"]),
            answering: inbound)
        #expect(proxy.headers.firstString(.proxyAuthenticate) == challenge)
    }

    @Test func minExpiresPassesOnA423() throws {
        let inbound = try Self.register()
        let relayed = try Self.outgoing(inbound)
        let tooBrief = try Self.incoming(
            Self.registrarResponse(to: relayed, 423, "Interval Too Brief", extra: ["Min-Expires: 600"]),
            answering: inbound)
        #expect(tooBrief.statusCode == 423)
        #expect(tooBrief.headers.firstString(.minExpires) == "600")
        #expect(try tooBrief.to.tag == "gh-to-1")
    }

    /// A 100 is hop by hop and carries no To tag (RFC 3261 §8.2.6.2).
    @Test func aTryingHasNoToTag() throws {
        let inbound = try Self.register()
        let relayed = try Self.outgoing(inbound)
        let trying = try Self.incoming(
            F.response(to: relayed, 100, "Trying", toTag: nil, extra: [], body: ""), answering: inbound)
        #expect(trying.statusCode == 100)
        #expect(try trying.to.tag == nil)
        #expect(try trying.callID.value == "ua-call-secret@10.0.0.5")
    }

    @Test func aRequestIsNoAnswer() throws {
        let inbound = try Self.register()
        #expect {
            try Self.incoming(inbound, answering: inbound)
        } throws: { error in
            (error as? B2BUAError)?.status.code == 500
        }
    }
}
