import Testing

@testable import SIPMessage

/// The `URI` enum: scheme dispatch, unknown schemes kept verbatim, and the setters an SBC rewrites with.
@Suite struct URITests {
    @Test func dispatchesOnScheme() throws {
        #expect(try URI(parsing: "sip:alice@atlanta.com").sipURI?.user == "alice")
        #expect(try URI(parsing: "sips:alice@atlanta.com").sipURI?.isSecure == true)
        #expect(try URI(parsing: "tel:+1234").telURI?.number == "+1234")
        #expect(try URI(parsing: "sip:alice@atlanta.com").telURI == nil)
        #expect(try URI(parsing: "Sips:a.example").scheme == "sips")
    }

    @Test(arguments: [
        "mailto:alice@atlanta.com", "urn:service:sos", "im:alice@atlanta.com", "http://www.example.com/a?b=c#d",
        "Pres:bob@example.com", "urn:ietf:params:xml:ns:a%20b", "x-custom+1.0:[1]",
    ])
    func otherSchemesAreKeptVerbatim(_ text: String) throws {
        let uri = try URI(parsing: text)
        guard case .other(let scheme, let value) = uri else {
            Issue.record("expected .other for \(text)")
            return
        }
        #expect(scheme + ":" + value == text)
        #expect(wire(uri) == text)
        #expect(uri.description == text)
    }

    @Test func sipURIRejectsOtherSchemesWith416() {
        for text in ["tel:+1234", "mailto:a@b", "sipx:a@b"] {
            #expect(uriErrorCode { _ = try SIPURI(parsing: text) } == .unsupportedURIScheme)
        }
    }

    @Test func rewriteHostPortAndUser() throws {
        var uri = try sipURI("sip:alice@10.0.0.5:5062;transport=udp;lr;foo=bar?x=1")
        uri.host = try Host(parsing: "edge.example.net")
        uri.port = nil
        uri.user = "alice smith"
        #expect(uri.description == "sip:alice%20smith@edge.example.net;transport=udp;lr;foo=bar?x=1")
        uri.host = .ipv6(try IPv6Address(parsing: "2001:db8::1"))
        uri.port = 5061
        uri.user = nil
        uri.password = "ignored without user"
        #expect(uri.description == "sip:[2001:db8::1]:5061;transport=udp;lr;foo=bar?x=1")
    }

    @Test func rewriteParametersInPlace() throws {
        var uri = try sipURI("sip:bob@biloxi.com;Transport=udp;lr;x=1;transport=tcp")
        uri.transport = "tls"  // first one kept in place with its spelling, the repeat removed
        #expect(uri.description == "sip:bob@biloxi.com;Transport=tls;lr;x=1")
        uri.lr = false
        uri.ttl = 5
        uri.maddr = .ipv4(IPv4Address(239, 0, 0, 1))
        uri.method = "INVITE"
        uri.userParameter = "phone"
        #expect(
            uri.description == "sip:bob@biloxi.com;Transport=tls;x=1;ttl=5;maddr=239.0.0.1;method=INVITE;user=phone")
        uri.lr = true
        uri.lr = true
        uri.transport = nil
        uri.removeParameter(named: "X")
        uri.setParameter("ob", to: nil)
        #expect(uri.description == "sip:bob@biloxi.com;ttl=5;maddr=239.0.0.1;method=INVITE;user=phone;lr;ob")
        uri.parameters = []
        uri.headers = [URIHeader(name: "Replaces", value: "abc@h;to-tag=1;from-tag=2")]
        #expect(uri.description == "sip:bob@biloxi.com?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2")
        #expect(try sipURI(uri.description).headerValue(named: "replaces") == "abc@h;to-tag=1;from-tag=2")
    }

    @Test func maddrIPv6IsWrittenInBrackets() throws {
        var uri = try sipURI("sip:a.example")
        uri.maddr = .ipv6(try IPv6Address(parsing: "2001:db8::5"))
        #expect(uri.description == "sip:a.example;maddr=[2001:db8::5]")
        #expect(try sipURI(uri.description).maddr == uri.maddr)
    }

    @Test func valuesTheGrammarCannotCarryAreNormalized() {
        let uri = SIPURI(
            user: "", password: "x", host: .name("h.example"),
            parameters: [URIParameter(name: "", value: "v"), URIParameter(name: "e", value: "")],
            headers: [URIHeader(name: "", value: "v")])
        #expect(uri.description == "sip:h.example;e")
    }
}
