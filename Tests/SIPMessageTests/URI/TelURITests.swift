import Testing

@testable import SIPMessage

/// tel URIs (RFC 3966) and `user=phone` SIP URIs (RFC 3261 §19.1.6).
@Suite struct TelURITests {
    @Test func globalNumber() throws {
        let tel = try TelURI(parsing: "tel:+1-201-555-0123")
        #expect(tel.number == "+1-201-555-0123")
        #expect(tel.isGlobal)
        #expect(tel.digitsOnly == "+12015550123")
        #expect(tel.parameters.isEmpty)
        #expect(tel.description == "tel:+1-201-555-0123")
    }

    @Test func localNumberWithDomainContext() throws {
        let tel = try TelURI(parsing: "tel:7042;phone-context=example.com")
        #expect(!tel.isGlobal)
        #expect(tel.number == "7042")
        #expect(tel.phoneContext == "example.com")
        #expect(tel.description == "tel:7042;phone-context=example.com")
    }

    @Test func localNumberWithGlobalContext() throws {
        let tel = try TelURI(parsing: "tel:863-1234;phone-context=+1-914-555")
        #expect(tel.digitsOnly == "8631234")
        #expect(tel.phoneContext == "+1-914-555")
        #expect(tel.description == "tel:863-1234;phone-context=+1-914-555")
    }

    @Test func extensionSubaddressAndOtherParameters() throws {
        let text = "tel:+1-201-555-0123;ext=1234;isub=abc/d:e@f;tgrp=TG-1;trunk-context=example.com;flag"
        let tel = try TelURI(parsing: text)
        #expect(tel.extensionNumber == "1234")
        #expect(tel.isdnSubaddress == "abc/d:e@f")
        #expect(tel.parameter(named: "TGRP")?.value == "TG-1")
        #expect(tel.parameter(named: "flag") == URIParameter(name: "flag"))
        #expect(tel.description == text)
    }

    @Test func visualSeparatorsAndHexDigits() throws {
        let tel = try TelURI(parsing: "tel:(0)12.34-ab*#;phone-context=example.com")
        #expect(tel.digitsOnly == "01234AB*#")
        #expect(try TelURI(parsing: "tel:+(1).201").digitsOnly == "+1201")
    }

    @Test func schemeIsCaseInsensitive() throws {
        #expect(try URI(parsing: "TEL:+1234") == .tel(TelURI(number: "+1234")))
        #expect(uriErrorCode { _ = try TelURI(parsing: "sip:+1234@example.com") } == .unsupportedURIScheme)
    }

    @Test func parameterValuesAreUnescaped() throws {
        let tel = try TelURI(parsing: "tel:+1234;x=a%20b")
        #expect(tel.parameter(named: "x")?.value == "a b")
        #expect(tel.description == "tel:+1234;x=a%20b")
    }

    @Test(arguments: [
        ("tel:", SIPParseError.Code.badTelephoneNumber),
        ("tel:+", .badTelephoneNumber),
        ("tel:+-", .badTelephoneNumber),
        ("tel:+12a", .badTelephoneNumber),
        ("tel:1234", .badTelephoneNumber),  // local without phone-context
        ("tel:1234;ext=5", .badTelephoneNumber),
        ("tel:-;phone-context=example.com", .badTelephoneNumber),
        ("tel:+1;ext=", .badURIParameter),
        ("tel:+1;ext=12a", .badTelephoneNumber),
        ("tel:+1;ext", .badTelephoneNumber),
        ("tel:+1;isub", .badTelephoneNumber),
        ("tel:123;phone-context=+", .badTelephoneNumber),
        ("tel:123;phone-context=ex_ample.com", .badTelephoneNumber),
        ("tel:+1;", .badURIParameter),
        ("tel:+1;a_b=1", .badURIParameter),
        ("tel:+1;x=a?b", .badURIParameter),
        ("tel:+1;x=%4", .badEscape),
        ("tel:+1 234", .malformedURI),
    ])
    func invalidTel(_ input: String, _ expected: SIPParseError.Code) {
        #expect(uriErrorCode { _ = try URI(parsing: input) } == expected, "\(input)")
    }

    @Test func equivalence() throws {
        let a = try TelURI(parsing: "tel:+1-201-555-0123;ext=12;foo=bar")
        #expect(a.isEquivalent(to: try TelURI(parsing: "tel:+1.201.555.0123;FOO=BAR;ext=12")))
        #expect(!a.isEquivalent(to: try TelURI(parsing: "tel:+1-201-555-0123;ext=12")))
        #expect(!a.isEquivalent(to: try TelURI(parsing: "tel:+1-201-555-0124;ext=12;foo=bar")))
        let local = try TelURI(parsing: "tel:863-1234;phone-context=+1-914-555")
        #expect(local.isEquivalent(to: try TelURI(parsing: "tel:8631234;phone-context=+1914555")))
        #expect(!local.isEquivalent(to: try TelURI(parsing: "tel:8631234;phone-context=+1914556")))
    }

    @Test func mutation() throws {
        var tel = try TelURI(parsing: "tel:+1-201-555-0123;ext=1")
        tel.extensionNumber = "22"
        tel.isdnSubaddress = "x"
        #expect(tel.description == "tel:+1-201-555-0123;ext=22;isub=x")
        tel.extensionNumber = nil
        #expect(tel.description == "tel:+1-201-555-0123;isub=x")
        tel.phoneContext = "example.com"
        tel.removeParameter(named: "ISUB")
        #expect(tel.description == "tel:+1-201-555-0123;phone-context=example.com")
    }

    // MARK: user=phone

    @Test func userPhoneGivesTheNumber() throws {
        let uri = try sipURI("sip:+1-212-555-1212;ext=100;isub=5@gateway.com;user=phone")
        let number = try #require(uri.telephoneNumber)
        #expect(number.number == "+1-212-555-1212")
        #expect(number.extensionNumber == "100")
        #expect(number.isdnSubaddress == "5")
        #expect(number.digitsOnly == "+12125551212")
    }

    @Test func userPhoneWithLocalNumberAndHash() throws {
        let uri = try sipURI("sip:*21%23;phone-context=example.com@gw.example;USER=Phone")
        #expect(uri.user == "*21#;phone-context=example.com")
        let number = try #require(uri.telephoneNumber)
        #expect(number.number == "*21#")
        #expect(number.phoneContext == "example.com")
    }

    @Test func userPhoneWithInvalidNumberIsNil() throws {
        #expect(try sipURI("sip:alice@gw.example;user=phone").telephoneNumber == nil)
        #expect(try sipURI("sip:1234@gw.example;user=phone").telephoneNumber == nil)  // local, no context
        #expect(try sipURI("sip:+1234@gw.example;user=ip").telephoneNumber == nil)
        #expect(try sipURI("sip:gw.example;user=phone").telephoneNumber == nil)
    }

    @Test func telToSIPConversion() throws {
        let tel = try TelURI(parsing: "tel:+1-201-555-0123;ext=7;x=a%20b")
        var uri = SIPURI(host: .name("gw.example.net"))
        uri.setTelephoneNumber(tel)
        #expect(uri.description == "sip:+1-201-555-0123;ext=7;x=a%20b@gw.example.net;user=phone")
        #expect(uri.telephoneNumber == tel)
    }
}
