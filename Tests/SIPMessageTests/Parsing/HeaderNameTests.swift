import Testing

@testable import SIPMessage

/// Header names: case-insensitive, compact forms folded into long ones, extension names kept as written.
@Suite struct HeaderNameTests {
    /// RFC 3261 §7.3.3 and the IANA registry: every compact form the registry knows, and its long name.
    static let compactForms: [(compact: String, long: String)] = [
        ("a", "Accept-Contact"), ("b", "Referred-By"), ("c", "Content-Type"), ("d", "Request-Disposition"),
        ("e", "Content-Encoding"), ("f", "From"), ("i", "Call-ID"), ("j", "Reject-Contact"), ("k", "Supported"),
        ("l", "Content-Length"), ("m", "Contact"), ("n", "Identity-Info"), ("o", "Event"), ("r", "Refer-To"),
        ("s", "Subject"), ("t", "To"), ("u", "Allow-Events"), ("v", "Via"), ("x", "Session-Expires"),
        ("y", "Identity"),
    ]

    @Test func theTableCoversTheRegistry() {
        let registered = HeaderRegistry.entries.compactMap { entry in
            entry.compact.map { (String(UnicodeScalar($0)), entry.canonical) }
        }
        #expect(registered.count == Self.compactForms.count)
        for (compact, long) in registered {
            #expect(Self.compactForms.contains { $0 == (compact, long) }, "\(compact) → \(long)")
        }
    }

    @Test(arguments: compactForms.map(\.compact))
    func compactFormMapsToTheLongName(_ compact: String) throws {
        let long = try #require(Self.compactForms.first { $0.compact == compact }?.long)
        #expect(HeaderName(compact) == HeaderName(long))
        #expect(HeaderName(compact.uppercased()) == HeaderName(long))
        #expect(HeaderName(compact).canonical == long)
        #expect(HeaderName(long).compactForm == compact)

        // On the wire: the field is found by its long name, and its name is reported in long form.
        let message = try SIPMessage(parsing: "OPTIONS sip:a@example.com SIP/2.0\r\n\(compact): 0\r\n\r\n")
        #expect(message.headers.name(at: 0) == HeaderName(long))
        #expect(message.headers.name(at: 0).canonical == long)
        #expect(Array(message.headers.wireName(at: 0)) == Array(compact.utf8))
        #expect(message.headers.firstString(HeaderName(long)) == "0")
    }

    @Test func everyRegisteredNameInAnyCase() throws {
        for entry in HeaderRegistry.entries {
            let name = HeaderName(entry.canonical)
            #expect(name.canonical == entry.canonical)
            #expect(HeaderName(entry.canonical.lowercased()) == name)
            #expect(HeaderName(entry.canonical.uppercased()) == name)
            #expect(HeaderName(entry.canonical.lowercased()).canonical == entry.canonical)
            #expect(name.isList == entry.isList)
        }
    }

    @Test func caseInsensitiveOnTheWire() throws {
        let message = try SIPMessage(
            parsing: "OPTIONS sip:a@example.com SIP/2.0\r\nVIA: v1\r\nvia: v2\r\nvIa: v3\r\nCALL-id: c\r\n\r\n")
        #expect(message.headers.fieldValues(.via).map { String(decoding: $0, as: UTF8.self) } == ["v1", "v2", "v3"])
        #expect(message.headers.firstString(.callID) == "c")
        #expect(message.headers.firstString("call-ID") == "c")
    }

    @Test func extensionNamesKeepTheirSpellingAndCompareWithoutCase() throws {
        let message = try SIPMessage(
            parsing: "OPTIONS sip:a@example.com SIP/2.0\r\nX-Custom-Thing: 1\r\nx-custom-THING: 2\r\n\r\n")
        let name = HeaderName("X-Custom-Thing")
        #expect(name == HeaderName("x-CUSTOM-thing"))
        #expect(name.canonical == "X-Custom-Thing")
        #expect(!name.isList)
        #expect(name.compactForm == nil)
        #expect(message.headers.fieldValues(name).count == 2)
        #expect(Array(message.headers.wireName(at: 1)) == Array("x-custom-THING".utf8))
        // A single letter that is no compact form is an extension header.
        #expect(HeaderName("q") != HeaderName("Q-Whatever"))
        #expect(HeaderName("q") == HeaderName("Q"))
        #expect(HeaderName("q").canonical == "q")
    }
}
