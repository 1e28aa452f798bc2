import Testing

@testable import SIPMessage

/// The shortcuts that answer common questions without parsing or allocating: `hasToTag` and
/// `SIPHeaders.firstRepeated(among:)`. Each must give the answer the full parse gives.
@Suite struct HeaderShortcutTests {
    static func request(to toLines: [String], extra: [String] = []) throws -> SIPMessage {
        try typedHeadersMessage(
            ["OPTIONS sip:bob@example.com SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1"]
                + toLines.map {
                    "To: \($0)"
                } + ["From: <sip:alice@example.com>;tag=a", "Call-ID: c1", "CSeq: 1 OPTIONS"] + extra)
    }

    /// To values → whether they carry a tag, as `to.tag` reads them.
    static let toValues: [(String, Bool)] = [
        ("<sip:bob@example.com>", false),
        ("Bob <sip:bob@example.com>;tag=abc", true),
        ("<sip:bob@example.com>;TAG=abc", true),
        ("sip:bob@example.com;tag=abc", true),
        // The letters without the parameter: the value is parsed, and has none.
        ("<sip:tagger@example.com>", false),
        ("\"Tag Team\" <sip:bob@example.com>", false),
        // A URI parameter named tag is not the header's.
        ("<sip:bob@example.com;tag=abc>", false),
        // A To that cannot be read has no tag that counts.
        ("<sip:bob@exa mple.com>;tag=abc", false),
    ]

    @Test(arguments: toValues.indices)
    func hasToTagAgreesWithTheParsedTo(_ index: Int) throws {
        let (value, expected) = Self.toValues[index]
        let message = try Self.request(to: [value])
        #expect(message.hasToTag == expected, "\(value)")
        #expect(message.hasToTag == (((try? message.to.tag) ?? nil) != nil), "\(value)")
    }

    @Test func twoToFieldsOrNoneHaveNoTag() throws {
        #expect(try !Self.request(to: ["<sip:a@b>;tag=1", "<sip:c@d>;tag=2"]).hasToTag)
        #expect(try !Self.request(to: []).hasToTag)
    }

    @Test func firstRepeatedFindsRegisteredAndExtensionHeaders() throws {
        let names: [HeaderName] = [.callID, .cseq, "Replaces", .expires]
        #expect(try Self.request(to: ["<sip:a@b>"]).headers.firstRepeated(among: names) == nil)
        let twoReplaces = try Self.request(to: ["<sip:a@b>"], extra: ["Replaces: x", "replaces: y"])
        #expect(twoReplaces.headers.firstRepeated(among: names) == "Replaces")
        // In the order of the names asked, whatever the order of the fields.
        let both = try Self.request(
            to: ["<sip:a@b>"], extra: ["Expires: 1", "Replaces: x", "Expires: 2", "Replaces: y"])
        #expect(both.headers.firstRepeated(among: names) == "Replaces")
        #expect(both.headers.firstRepeated(among: [.expires, "Replaces"]) == .expires)
        // A compact form counts as its header.
        let compact = try Self.request(to: ["<sip:a@b>"], extra: ["i: c2"])
        #expect(compact.headers.firstRepeated(among: names) == .callID)
    }
}
