import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// The application/reginfo+xml document (RFC 3680 §5).
@Suite struct ReginfoDocumentTests {
    typealias F = RegEventFixtures

    @Test func theDocumentIsWellFormedAndEscaped() throws {
        let nasty = #"sip:a&b@127.0.0.4:5060;x="<'>""#
        var change = F.registration([(nasty, .active, .registered)])
        change.contacts[0].binding.callID = "id<&>\"'"
        change.contacts[0].binding.instanceID = "<urn:uuid:1>\u{01}"
        let bytes = ReginfoDocument.xml(version: 3, full: true, change: change)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
        #expect(text.contains("&amp;") && text.contains("&lt;") && text.contains("&quot;"))
        let document = try #require(ParsedReginfo(bytes))
        #expect(document.all("reginfo").first?.attributes["version"] == "3")
        #expect(document.all("uri").first?.text == nasty)
        #expect(document.all("contact").first?.attributes["callid"] == "id<&>\"'")
        // A control character XML cannot carry is dropped.
        #expect(document.all("unknown-param").first?.text == "<urn:uuid:1>")
        // Without a time, no expiry.
        #expect(document.all("contact").first?.attributes["expires"] == nil)
    }

    @Test func idsAreStableAndDistinct() throws {
        let change = F.registration([
            ("sip:alice@127.0.0.4:5060", .active, .registered), ("sip:alice@127.0.0.5:5060", .active, nil),
        ])
        let once = try #require(ParsedReginfo(ReginfoDocument.xml(version: 0, full: true, change: change)))
        let again = try #require(ParsedReginfo(ReginfoDocument.xml(version: 1, full: true, change: change)))
        let ids = once.elements.compactMap { $0.attributes["id"] }
        #expect(ids.count == 6)
        #expect(Set(ids).count == 6)
        #expect(ids == again.elements.compactMap { $0.attributes["id"] })
    }

    @Test func aPartialDocumentHoldsOnlyWhatChanged() throws {
        let change = F.registration([
            ("sip:alice@127.0.0.4:5060", .active, nil), ("sip:alice@127.0.0.5:5060", .active, .refreshed),
        ])
        let document = try #require(ParsedReginfo(ReginfoDocument.xml(version: 4, full: false, change: change)))
        #expect(document.all("reginfo").first?.attributes["state"] == "partial")
        #expect(document.all("uri").map(\.text) == ["sip:alice@127.0.0.5:5060", "sip:alice@127.0.0.5:5060"])
    }

    @Test func registrationStatesFollowTheContacts() throws {
        func states(_ change: RegistrationChange) throws -> [String?] {
            try #require(ParsedReginfo(ReginfoDocument.xml(version: 0, full: true, change: change)))
                .all("registration").map { $0.attributes["state"] }
        }
        #expect(try states(F.registration()) == ["active", "active"])
        #expect(
            try states(F.registration([("sip:a@127.0.0.4", .terminated, .expired)])) == ["terminated", "terminated"])
        #expect(try states(F.registration([])) == ["init", "init"])
    }

    @Test func withATimeContactsSayHowLongTheyHaveAndHaveHad() throws {
        let change = F.registration([("<sip:alice@127.0.0.4:5060>;expires=3600", .active, .registered)])
        let bytes = ReginfoDocument.xml(version: 0, full: true, change: change, now: F.start + 100)
        let contact = try #require(ParsedReginfo(bytes)?.all("contact").first)
        #expect(contact.attributes["expires"] == "3500")
        #expect(contact.attributes["duration-registered"] == "100")
        // A Contact kept as a name-addr is written as its URI.
        #expect(ParsedReginfo(bytes)?.all("uri").first?.text == "sip:alice@127.0.0.4:5060")
    }
}
