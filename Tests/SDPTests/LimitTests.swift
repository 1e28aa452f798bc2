import Testing

@testable import SDP

/// Every limit in `SDPLimits` has its own code, and exactly the limit is still accepted.
@Suite struct LimitTests {
    static let head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"

    private func parse(_ text: String, _ limits: SDPLimits) -> Result<SessionDescription, SDPParseError> {
        Result { () throws(SDPParseError) in try SDPParser(limits: limits).parse(text) }
    }

    private func code(_ text: String, _ limits: SDPLimits) -> SDPParseError.Code? {
        if case .failure(let error) = parse(text, limits) { return error.code }
        return nil
    }

    @Test func defaults() {
        let limits = SDPLimits()
        #expect(limits.maxSize == 65_536)
        #expect(limits.maxLineLength == 4096)
        #expect(limits.maxLines == 2048)
        #expect(limits.maxMediaSections == 32)
        #expect(limits.maxAttributesPerSection == 256)
        #expect(limits.maxFormatsPerMedia == 128)
    }

    @Test func defaultsAcceptTheFixtures() throws {
        for text in Fixtures.named.values { _ = try SessionDescription(parsing: text) }
    }

    @Test func size() {
        let text = Self.head
        #expect(code(text, SDPLimits(maxSize: text.utf8.count)) == nil)
        #expect(code(text, SDPLimits(maxSize: text.utf8.count - 1)) == .tooLarge)
        let huge = String(repeating: "a=x\r\n", count: 20_000)
        #expect(code(Self.head + huge, SDPLimits()) == .tooLarge)
    }

    @Test func lineLength() throws {
        let line = "a=" + String(repeating: "x", count: 98)
        #expect(code(Self.head + line + "\r\n", SDPLimits(maxLineLength: 100)) == nil)
        let result = parse(Self.head + line + "y\r\n", SDPLimits(maxLineLength: 100))
        #expect(throws: SDPParseError(.lineTooLong, line: 5, "101 bytes, limit 100")) { try result.get() }
    }

    @Test func lineCount() {
        let text = Self.head + "a=1\r\na=2\r\n"
        #expect(code(text, SDPLimits(maxLines: 6)) == nil)
        if case .failure(let error) = parse(text, SDPLimits(maxLines: 5)) {
            #expect(error.code == .tooManyLines)
            #expect(error.line == 6)
        } else {
            Issue.record("accepted seven lines with a limit of six")
        }
    }

    @Test func mediaSections() {
        let text = Self.head + String(repeating: "m=audio 1 RTP/AVP 0\r\n", count: 3)
        #expect(code(text, SDPLimits(maxMediaSections: 3)) == nil)
        #expect(code(text, SDPLimits(maxMediaSections: 2)) == .tooManyMedia)
        let many = Self.head + String(repeating: "m=audio 1 RTP/AVP 0\r\n", count: 33)
        #expect(code(many, SDPLimits()) == .tooManyMedia)
    }

    @Test func attributesPerSection() {
        let attributes = String(repeating: "a=x\r\n", count: 4)
        let session = Self.head + attributes
        #expect(code(session, SDPLimits(maxAttributesPerSection: 4)) == nil)
        #expect(code(session + "a=y\r\n", SDPLimits(maxAttributesPerSection: 4)) == .tooManyAttributes)

        // The limit counts per section, so four in each of two media sections is fine.
        let media = Self.head + "m=audio 1 RTP/AVP 0\r\n" + attributes + "m=audio 2 RTP/AVP 0\r\n" + attributes
        #expect(code(media, SDPLimits(maxAttributesPerSection: 4)) == nil)
        #expect(code(media + "a=y\r\n", SDPLimits(maxAttributesPerSection: 4)) == .tooManyAttributes)
    }

    @Test func formatsPerMedia() {
        let text = Self.head + "m=audio 1 RTP/AVP 0 8 18\r\n"
        #expect(code(text, SDPLimits(maxFormatsPerMedia: 3)) == nil)
        #expect(code(text, SDPLimits(maxFormatsPerMedia: 2)) == .tooManyFormats)
    }
}
