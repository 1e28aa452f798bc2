import Testing

@testable import SIPMessage

/// name-addr / addr-spec values: From, To, Route, P-Asserted-Identity, … (RFC 3261 §20.10, §20.20, §20.39).
@Suite struct NameAddressTests {
    @Test func quotedDisplayNameAndTag() throws {
        let from = try NameAddress(parsing: #""Bob" <sips:bob@biloxi.com> ;tag=a48s"#)
        #expect(from.displayName == "Bob")
        #expect(from.uri.scheme == "sips")
        #expect(from.sipURI?.user == "bob")
        #expect(from.tag == "a48s")
        #expect(from.serializedString == #""Bob" <sips:bob@biloxi.com>;tag=a48s"#)
    }

    @Test func tokenDisplayName() throws {
        let to = try NameAddress(parsing: "The   Operator <sip:operator@cs.columbia.edu>;tag=287447")
        #expect(to.displayName == "The Operator")
        #expect(to.tag == "287447")
        let noSpace = try NameAddress(parsing: "caller<sip:caller@example.com>;tag=323")
        #expect(noSpace.displayName == "caller")
    }

    @Test func escapedQuotesAndCommasInDisplayName() throws {
        let value = try NameAddress(parsing: #""Watson, \"Tom\" \\ Jr." <sip:t.watson@example.org>"#)
        #expect(value.displayName == #"Watson, "Tom" \ Jr."#)
        #expect(value.serializedString == #""Watson, \"Tom\" \\ Jr." <sip:t.watson@example.org>"#)
        let empty = try NameAddress(parsing: #""" <sip:anon@example.org>"#)
        #expect(empty.displayName == "")
    }

    @Test func bareAddrSpecParametersBelongToTheHeader() throws {
        // RFC 3261 §20.10: after a bare addr-spec, ';tag=1' is a header parameter, not a URI parameter.
        let to = try NameAddress(parsing: "sip:user@example.com;tag=1")
        #expect(to.displayName == nil)
        #expect(to.tag == "1")
        #expect(to.sipURI?.parameters.isEmpty == true)
        #expect(to.serializedString == "<sip:user@example.com>;tag=1")
        let spaced = try NameAddress(parsing: "sip:user@example.com ; tag = 1")
        #expect(spaced.tag == "1")
        let tel = try NameAddress(parsing: "tel:+358-555-1234567;tag=a")
        #expect(tel.uri.telURI?.number == "+358-555-1234567")
        #expect(tel.tag == "a")
    }

    @Test func uriParametersInsideBracketsStayInTheURI() throws {
        let route = try NameAddress(parsing: "<sip:p1.example.com;lr;transport=tcp>;foo=bar")
        #expect(route.sipURI?.lr == true)
        #expect(route.sipURI?.transport == "tcp")
        #expect(route.parameters.value("foo") == "bar")
        #expect(route.tag == nil)
    }

    @Test func uriIsWrittenAsReceivedUntilChanged() throws {
        var value = try NameAddress(parsing: "<sip:%61lice@ATLANTA.com;Transport=TCP>")
        #expect(value.serializedString == "<sip:%61lice@ATLANTA.com;Transport=TCP>")
        #expect(value.uriText == "sip:%61lice@ATLANTA.com;Transport=TCP")
        value.uri = try URI(parsing: "sip:bob@biloxi.com")
        #expect(value.serializedString == "<sip:bob@biloxi.com>")
    }

    @Test func otherSchemes() throws {
        let value = try NameAddress(parsing: "<urn:service:sos>")
        #expect(value.uri.scheme == "urn")
        let mail = try NameAddress(parsing: #""Mr. Watson" <mailto:watson@bell-telephone.com>"#)
        #expect(mail.uri == .other(scheme: "mailto", value: "watson@bell-telephone.com"))
    }

    @Test func builtInCodeIsSafe() throws {
        var value = NameAddress(displayName: "Evil\r\nVia: x", uri: try URI(parsing: "sip:a@b.example"))
        value.tag = "t1"
        #expect(value.serializedString == #""Evil  Via: x" <sip:a@b.example>;tag=t1"#)
        value.tag = nil
        #expect(value.parameters.isEmpty)
    }

    @Test func headersAccessors() throws {
        let message = try typedHeadersMessage([
            "INVITE sip:bob@biloxi.example.com SIP/2.0",
            "P-Asserted-Identity: \"Cullen Jennings\" <sip:fluffy@cisco.com>, <tel:+14085264000>",
            "Reply-To: Bob <sip:bob@biloxi.com>",
            "Refer-To: <sip:carol@cleveland.example.org?Replaces=abc%40x>",
        ])
        let identities = try message.headers.all(.pAssertedIdentity, as: NameAddress.self)
        #expect(identities.count == 2)
        #expect(identities[0].displayName == "Cullen Jennings")
        #expect(identities[1].uri.telURI?.number == "+14085264000")
        #expect(try message.headers.first(HeaderName("Reply-To"), as: NameAddress.self)?.displayName == "Bob")
        let referTo = try message.headers.first(.referTo, as: NameAddress.self)
        #expect(referTo?.sipURI?.headerValue(named: "Replaces") == "abc@x")
    }

    @Test(arguments: [
        "", "Bob", "<sip:a@b.example", "\"Bob <sip:a@b.example>", "Bell, Alexander <sip:a.g.bell@bell-tel.com>",
        "sip:a@b.example?subject=x", "sip:a,b@example.com", "<sip:a@b.example> junk", "<sip:a@b.example>;",
        "<sip:a@b.example>;tag=", "Bob \"B\" <sip:a@b.example>", "<sip:a@b.example>;tag=a b",
        "\"Bob\" sip:a@b.example",
    ])
    func rejectsMalformed(_ text: String) {
        let error = typedHeaderError { _ = try NameAddress(parsing: text) }
        #expect(error != nil, "\(text)")
        #expect(error?.status == .badRequest)
    }

    @Test(arguments: [
        "< sip:t.watson@example.org >", "<sip:user@>", "<>", "<sip:[2001:db8::1>",
    ])
    func badURIsCarryTheURICode(_ text: String) {
        let error = typedHeaderError { _ = try NameAddress(parsing: text) }
        #expect(error != nil, "\(text)")
        #expect(error?.code != .badNameAddress, "\(text): \(String(describing: error))")
    }

    @Test func displayNameErrorsAreBadNameAddress() {
        #expect(typedHeaderErrorCode("Bell, Alexander <sip:a@b.example>", as: NameAddress.self) == .badNameAddress)
        #expect(typedHeaderErrorCode("sip:a@b.example?x=y", as: NameAddress.self) == .badNameAddress)
        #expect(typedHeaderErrorCode("<sip:a@b.example", as: NameAddress.self) == .badNameAddress)
    }

    @Test(arguments: [
        #""Bob" <sips:bob@biloxi.com> ;tag=a48s"#, "sip:user@example.com;tag=1",
        #""Watson, \"Tom\"" <sip:t.watson@example.org;lr>;x="q;v";y"#,
        "Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8",
        "<tel:+1-201-555-0123;phone-context=example.com>", "<urn:service:sos>;foo",
    ])
    func roundTrips(_ text: String) throws {
        try typedRoundTrip(text, as: NameAddress.self)
    }
}
