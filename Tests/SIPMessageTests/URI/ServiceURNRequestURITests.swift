import SIPMessage
import Testing

/// Service URNs as Request-URI (RFC 5031 §7): an emergency call's `urn:service:sos` passes validation; other
/// non-SIP schemes still get 416.
struct ServiceURNRequestURITests {
    static func invite(_ uri: String) throws -> SIPMessage {
        try SIPMessage(
            parsing: [
                "INVITE \(uri) SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK-urn", "Max-Forwards: 70",
                "From: <sip:alice@example.com>;tag=a", "To: <\(uri)>", "Call-ID: urn-1", "CSeq: 1 INVITE",
                "Contact: <sip:alice@192.0.2.4>", "Content-Length: 0",
            ].joined(separator: "\r\n") + "\r\n\r\n")
    }

    @Test(arguments: ["urn:service:sos", "urn:service:sos.police", "URN:Service:SOS"])
    func serviceURNsAreRoutable(_ uri: String) throws {
        try Self.invite(uri).validate()
    }

    @Test(arguments: ["urn:ietf:params:xml:ns:foo", "mailto:alice@example.com"])
    func otherSchemesAre416(_ uri: String) throws {
        let message = try Self.invite(uri)
        do throws(SIPParseError) {
            try message.validate()
            Issue.record("\(uri) passed")
        } catch {
            #expect(error.code == .unsupportedURIScheme)
        }
    }
}
