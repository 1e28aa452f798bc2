import Testing

@testable import SIPMessage

/// The RFC 5118 messages as archived (`rfc5118/NAME.dat`: bare LF line endings) parse as well as their wire form
/// (`rfc5118/wire/NAME.dat`: CRLF, completed header section, true Content-Length), to the same message.
///
/// Four archived files differ from their wire form in more than line endings, and cannot parse as archived:
/// - `ipv6-in-sdp` (declares 268, carries 242) and `mult-ip-in-sdp` (declares 181, carries 180): a Content-Length
///   larger than the body is rejected, as RFC 4475's clerr requires.
/// - `ipv6-bug-abnf-3-colons` and `ipv6-correct-abnf-2-colons`: no empty line ends the header section. A datagram
///   parser that guessed the end would also accept every truncated message.
/// `ipv4-mapped-ipv6` declares 236, true of its LF body; its wire file declares 245 for the CRLF body.
@Suite struct RFC5118RawFileTests {
    /// The archived files that do not parse as archived, and why.
    static let archivedDefects: [String: SIPParseError.Code] = [
        "ipv6-in-sdp": .badContentLength,
        "mult-ip-in-sdp": .badContentLength,
        "ipv6-bug-abnf-3-colons": .incompleteHeaders,
        "ipv6-correct-abnf-2-colons": .incompleteHeaders,
    ]

    static let validCases = TortureFixtures.cases.filter { $0.rfc == 5118 && $0.kind == "valid" }

    @Test func elevenValidMessages() {
        #expect(Self.validCases.count == 11)
        for torture in TortureFixtures.cases where torture.rfc == 5118 {
            #expect(!torture.archivedBytes.contains(ASCII.cr), "\(torture.file) has bare LF only")
        }
    }

    @Test(arguments: validCases)
    func archivedFileParsesLikeTheWireFile(_ torture: TortureCase) throws {
        let result = TortureResult(torture.archivedBytes)
        if let defect = Self.archivedDefects[torture.name] {
            #expect(result.error?.code == defect, "\(torture.name): \(result)")
            return
        }
        #expect(result == .accepted, "\(torture.name): \(result)")
        let archived = try SIPMessage(parsing: torture.archivedBytes)
        let wire = try SIPMessage(parsing: torture.wireBytes)
        #expect(archived.startLine == wire.startLine)
        #expect(archived.fieldsWithoutContentLength == wire.fieldsWithoutContentLength)
        #expect(crlf(archived.body) == Array(wire.body), "\(torture.name): body")

        // Written back, the archived message has CRLF line endings in its header section and a true
        // Content-Length; it parses to the same message.
        let reparsed = try SIPMessage(parsing: archived.serialize())
        try expectSameMessage(reparsed, archived, torture.name)
    }

    /// With the missing empty line added, the two §4.10 messages parse as archived, bare LF and all.
    @Test(arguments: ["ipv6-bug-abnf-3-colons", "ipv6-correct-abnf-2-colons"])
    func unterminatedArchivedFilesParseOnceTerminated(_ name: String) throws {
        let torture = try #require(TortureFixtures.case(name))
        #expect(TortureResult(torture.archivedBytes + [ASCII.lf]) == .accepted)
    }

    @Test func invalidMessageIsRejectedInBothForms() throws {
        let torture = try #require(TortureFixtures.case("ipv6-bad"))
        for bytes in [torture.archivedBytes, torture.wireBytes] {
            let result = TortureResult(bytes)
            #expect(result.error?.code == .badURIHost, "\(result)")
            #expect(result.error?.detail == "an IPv6 address must be enclosed in '[' and ']'")
        }
    }

    private func crlf(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        for byte in bytes {
            if byte == ASCII.lf { result.append(ASCII.cr) }
            result.append(byte)
        }
        return result
    }
}
