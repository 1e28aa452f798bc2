import Testing

@testable import SIPMessage

/// Contact (RFC 3261 §20.10): `*`, name-addr or addr-spec, `q` and `expires`.
@Suite struct ContactTests {
    @Test func rfc3261Example() throws {
        let message = try typedHeadersMessage([
            "REGISTER sip:registrar.biloxi.com SIP/2.0",
            #"Contact: "Mr. Watson" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600, "Mr. Watson" <mailto:watson@bell-telephone.com> ;q=0.1"#,
        ])
        let contacts = try message.contacts
        #expect(contacts.count == 2)
        #expect(contacts[0].nameAddress?.displayName == "Mr. Watson")
        #expect(contacts[0].q == QValue(thousandths: 700))
        #expect(contacts[0].expires == 3600)
        #expect(contacts[1].uri == .other(scheme: "mailto", value: "watson@bell-telephone.com"))
        #expect(contacts[1].q == QValue(thousandths: 100))
        #expect(contacts[1].expires == nil)
        #expect(
            contacts[0].serializedString
                == #""Mr. Watson" <sip:watson@worcester.bell-telephone.com>;q=0.7;expires=3600"#)
    }

    @Test func wildcard() throws {
        let message = try typedHeadersMessage(["REGISTER sip:example.com SIP/2.0", "Contact: *", "Expires: 0"])
        #expect(try message.contacts == [.wildcard])
        #expect(try message.contacts.first?.isWildcard == true)
        #expect(ContactValue.wildcard.serializedString == "*")
        #expect(try ContactValue(parsing: " * ") == .wildcard)
    }

    @Test func compactFormAndBareAddrSpec() throws {
        let message = try typedHeadersMessage([
            "REGISTER sip:example.com SIP/2.0", "m: sip:alice@192.0.2.4;expires=60,<sip:alice@[2001:db8::4]:5070>",
        ])
        let contacts = try message.contacts
        #expect(contacts.count == 2)
        #expect(contacts[0].expires == 60)
        #expect(contacts[0].nameAddress?.sipURI?.parameters.isEmpty == true)
        #expect(contacts[1].nameAddress?.sipURI?.port == 5070)
    }

    @Test func settingQAndExpires() throws {
        var address = try NameAddress(parsing: "<sip:a@b.example>;q=0.500")
        #expect(address.q == QValue(thousandths: 500))
        address.q = QValue(thousandths: 1000)
        address.expires = 120
        #expect(address.serializedString == "<sip:a@b.example>;q=1;expires=120")
    }

    @Test(arguments: [
        "*;expires=0", "**", "<sip:a@b.example>;q=1.5", "<sip:a@b.example>;q=0.1234", "<sip:a@b.example>;q=abc",
        "<sip:a@b.example>;q", "<sip:a@b.example>;expires=soon", "<sip:a@b.example>;expires=280297596632815",
        "<sip:a@b.example>;expires=-1", "Bell, Alexander <sip:a@b.example>",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: ContactValue.self) == .badContact, "\(text)")
    }

    @Test(arguments: [
        "*", #""Mr. Watson" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600"#,
        "sip:alice@192.0.2.4;expires=60", "<sip:alice@[2001:db8::4]:5070;transport=tcp>;+sip.instance=\"<urn:uuid:1>\"",
    ])
    func roundTrips(_ text: String) throws {
        try typedRoundTrip(text, as: ContactValue.self)
    }
}
