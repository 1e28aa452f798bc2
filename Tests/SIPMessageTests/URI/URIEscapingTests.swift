import Testing

@testable import SIPMessage

/// `%HH` escapes in every component that allows them, and re-escaping by the serializer.
@Suite struct URIEscapingTests {
    @Test func userIsUnescaped() throws {
        let uri = try sipURI("sip:%61lice%20smith@atlanta.com")
        #expect(uri.user == "alice smith")
        // Canonical form: "a" needs no escape, the space does; hex in upper case.
        #expect(uri.description == "sip:alice%20smith@atlanta.com")
    }

    @Test func nulEscape() throws {
        let uri = try sipURI("sip:a%00b@atlanta.com;x=%00?h=%00")
        #expect(uri.user == "a\u{0}b")
        #expect(uri.parameter(named: "x")?.value == "\u{0}")
        #expect(uri.headerValue(named: "h") == "\u{0}")
        #expect(uri.description == "sip:a%00b@atlanta.com;x=%00?h=%00")
    }

    @Test func lowerCaseHexIsAccepted() throws {
        let uri = try sipURI("sip:%3a%3A@atlanta.com")
        #expect(uri.user == "::")
        #expect(uri.description == "sip:%3A%3A@atlanta.com")
    }

    @Test func utf8Escapes() throws {
        let uri = try sipURI("sip:j%C3%BCrgen@example.de;display=%E6%97%A5")
        #expect(uri.user == "jürgen")
        #expect(uri.parameter(named: "display")?.value == "日")
        #expect(uri.description == "sip:j%C3%BCrgen@example.de;display=%E6%97%A5")
    }

    @Test func passwordParameterAndHeaderEscapes() throws {
        let uri = try sipURI("sip:u:p%3Aw%40d@h.example;n%3Bm=v%3Dx?hd%26r=v%26l")
        #expect(uri.password == "p:w@d")
        #expect(uri.parameters == [URIParameter(name: "n;m", value: "v=x")])
        #expect(uri.headers == [URIHeader(name: "hd&r", value: "v&l")])
        #expect(uri.description == "sip:u:p%3Aw%40d@h.example;n%3Bm=v%3Dx?hd%26r=v%26l")
    }

    @Test(arguments: [
        "sip:%G1@atlanta.com",
        "sip:%4@atlanta.com",
        "sip:alice@atlanta.com;p=%4",
        "sip:alice@atlanta.com;p=%",
        "sip:alice@atlanta.com;%zz=1",
        "sip:alice@atlanta.com?h=%1g",
        "sip:alice:%x1@atlanta.com",
        "mailto:a%2",
    ])
    func malformedEscapes(_ text: String) {
        #expect(uriErrorCode { _ = try URI(parsing: text) } == .badEscape, "\(text)")
    }

    @Test func nonUTF8Escapes() throws {
        #expect(uriErrorCode { _ = try URI(parsing: "sip:%FF@atlanta.com") } == .nonUTF8Escape)
        #expect(uriErrorCode { _ = try URI(parsing: "sip:a@atlanta.com;x=%C3") } == .nonUTF8Escape)
        // An unknown scheme is kept verbatim, escapes and all.
        #expect(try URI(parsing: "urn:x:%FF") == .other(scheme: "urn", value: "x:%FF"))
    }

    @Test func serializerEscapesPerComponent() throws {
        // Each component escapes what its own rule does not allow.
        let uri = SIPURI(
            user: "a;b=c?d/e:f@g h%", password: "p&=+$,;:@", host: .name("example.com"),
            parameters: [URIParameter(name: "n[]/:&+$;=?", value: "v[]/:&+$;=?@")],
            headers: [URIHeader(name: "h[]/?:+$&=", value: "v[]/?:+$&=;@")])
        #expect(
            uri.description
                == "sip:a;b=c?d/e%3Af%40g%20h%25:p&=+$,%3B%3A%40@example.com"
                + ";n[]/:&+$%3B%3D%3F=v[]/:&+$%3B%3D%3F%40"
                + "?h[]/?:+$%26%3D=v[]/?:+$%26%3D%3B%40")
        #expect(try SIPURI(parsing: uri.description) == uri)
    }

    @Test func unreservedMarksStayUnescaped() throws {
        let text = "sip:-_.!~*'()@example.com;-_.!~*'()=-_.!~*'()?-_.!~*'()=-_.!~*'()"
        #expect(try sipURI(text).description == text)
    }
}
