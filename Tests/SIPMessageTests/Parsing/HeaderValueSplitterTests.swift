import Testing

@testable import SIPMessage

/// Splitting list headers at top-level commas (RFC 3261 §7.3.1), and repeated fields.
@Suite struct HeaderValueSplitterTests {
    static func split(_ text: String) throws(SIPParseError) -> [String] {
        try HeaderValueSplitter.split(Array(text.utf8)[...]).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test(arguments: [
        ("a, b,c", ["a", "b", "c"]),
        ("  a  ,\tb\t", ["a", "b"]),
        ("a,,b, ,", ["a", "b"]),
        ("", []),
        (" , ", []),
        ("\"Doe, J\" <sip:a@b>, <sip:c@d>", ["\"Doe, J\" <sip:a@b>", "<sip:c@d>"]),
        ("\"say \\\"hi, there\\\"\" <sip:a@b>, x", ["\"say \\\"hi, there\\\"\" <sip:a@b>", "x"]),
        ("\"back\\\\\" <sip:a@b>, x", ["\"back\\\\\" <sip:a@b>", "x"]),
        ("<sip:a,b@c;p=1,2?h=x,y>;q=0.5, <sip:d@e>", ["<sip:a,b@c;p=1,2?h=x,y>;q=0.5", "<sip:d@e>"]),
        ("<sip:a@b>;x=\"1,2\", <sip:c@d>", ["<sip:a@b>;x=\"1,2\"", "<sip:c@d>"]),
        ("\"<not a uri, really>\" <sip:a@b>", ["\"<not a uri, really>\" <sip:a@b>"]),
        ("\"a>b\" <sip:a@b>, c", ["\"a>b\" <sip:a@b>", "c"]),
    ])
    func splitsAtTopLevelCommas(_ text: String, _ expected: [String]) throws {
        #expect(try Self.split(text) == expected)
    }

    @Test(arguments: [
        ("\"open, <sip:a@b>", SIPParseError.Code.unbalancedQuotes),
        ("\"ends with a backslash\\\"", .unbalancedQuotes),
        ("<sip:a@b, c", .unbalancedAngleBrackets),
        ("sip:a@b>, c", .unbalancedAngleBrackets),
    ])
    func rejectsUnbalanced(_ text: String, _ code: SIPParseError.Code) {
        #expect(typedHeaderError { _ = try Self.split(text) }?.code == code)
    }

    @Test func repeatedFieldsAndCommaListsGiveTheSameValues() throws {
        let oneLine = try SIPMessage(
            parsing: "OPTIONS sip:a@example.com SIP/2.0\r\nContact: \"A, B\" <sip:a@b>, <sip:c@d>;q=1\r\n\r\n")
        let twoLines = try SIPMessage(
            parsing: "OPTIONS sip:a@example.com SIP/2.0\r\nm: \"A, B\" <sip:a@b>\r\nContact: <sip:c@d>;q=1\r\n\r\n")
        #expect(try oneLine.headers.values(.contact) == twoLines.headers.values(.contact))
        #expect(try oneLine.contacts == twoLines.contacts)
        #expect(try oneLine.contacts.first?.nameAddress?.displayName == "A, B")
        #expect(oneLine.headers.fieldValues(.contact).count == 1)
        #expect(twoLines.headers.fieldValues(.contact).count == 2)
    }

    @Test func singleValuedHeadersAreNotSplit() throws {
        let message = try SIPMessage(
            parsing: "OPTIONS sip:a@example.com SIP/2.0\r\nSubject: one, two\r\nTo: \"x, y\" <sip:a@b>\r\n\r\n")
        #expect(try message.headers.values(.subject).count == 1)
        #expect(try message.headers.values(.to).count == 1)
        #expect(try message.to.displayName == "x, y")
    }

    @Test func foldedListValues() throws {
        let message = try SIPMessage(
            parsing: "OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,\r\n"
                + "   SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n\r\n")
        #expect(try message.vias.map(\.host) == [.name("a.example.com"), .name("b.example.com")])
    }
}
