import Testing

@testable import SIPMessage

/// Each field of `SIPLimits`: a message exactly at the limit passes, one byte (field, value) over gives the limit's
/// code and status.
@Suite struct SIPLimitsTests {
    static let requestURI = "sip:bob@biloxi.example.com;transport=tcp"
    /// The longest field, so that its continuation line counts towards `maxHeaderLength`.
    static let folded =
        "Subject: the longest header field of this message\r\n\tcontinued on a second line, which counts"
    static let body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"

    /// A request with three Via values in two fields, a folded Subject (the longest field) and a body.
    static let lines = [
        "INVITE \(requestURI) SIP/2.0",
        "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2",
        "Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3",
        "Max-Forwards: 70",
        "To: <sip:bob@biloxi.example.com>",
        "From: <sip:alice@atlanta.example.com>;tag=1",
        "Call-ID: limits@atlanta.example.com",
        "CSeq: 1 INVITE",
        folded,
        "Content-Length: \(body.utf8.count)",
    ]
    static let bytes = Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
    static let headerSectionSize = bytes.count - body.utf8.count - 2
    static let headerCount = lines.count - 1
    static let longestHeader = folded.utf8.count
    static let viaCount = 3

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var atLimit: SIPLimits
        var overLimit: SIPLimits
        var code: SIPParseError.Code
        var status: SIPStatus
    }

    static let cases: [Case] = [
        Case(
            testDescription: "maxMessageSize", atLimit: SIPLimits(maxMessageSize: bytes.count),
            overLimit: SIPLimits(maxMessageSize: bytes.count - 1), code: .messageTooLarge, status: .messageTooLarge),
        Case(
            testDescription: "maxHeaderSectionSize", atLimit: SIPLimits(maxHeaderSectionSize: headerSectionSize),
            overLimit: SIPLimits(maxHeaderSectionSize: headerSectionSize - 1), code: .messageTooLarge,
            status: .messageTooLarge),
        Case(
            testDescription: "maxHeaderCount", atLimit: SIPLimits(maxHeaderCount: headerCount),
            overLimit: SIPLimits(maxHeaderCount: headerCount - 1), code: .tooManyHeaders, status: .badRequest),
        Case(
            testDescription: "maxHeaderLength", atLimit: SIPLimits(maxHeaderLength: longestHeader),
            overLimit: SIPLimits(maxHeaderLength: longestHeader - 1), code: .headerTooLong, status: .badRequest),
        Case(
            testDescription: "maxRequestURILength", atLimit: SIPLimits(maxRequestURILength: requestURI.utf8.count),
            overLimit: SIPLimits(maxRequestURILength: requestURI.utf8.count - 1), code: .requestURITooLong,
            status: .requestURITooLong),
        Case(
            testDescription: "maxViaCount", atLimit: SIPLimits(maxViaCount: viaCount),
            overLimit: SIPLimits(maxViaCount: viaCount - 1), code: .tooManyVias, status: .tooManyHops),
        Case(
            testDescription: "maxBodySize", atLimit: SIPLimits(maxBodySize: body.utf8.count),
            overLimit: SIPLimits(maxBodySize: body.utf8.count - 1), code: .bodyTooLarge,
            status: .requestEntityTooLarge),
    ]

    /// Parsing and validating with `limits`: nil, or the error.
    static func check(_ bytes: [UInt8], _ limits: SIPLimits) -> SIPParseError? {
        do {
            try SIPMessage(parsing: bytes, limits: limits).validate(limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func theMessageIsValidWithDefaultLimits() throws {
        #expect(Self.check(Self.bytes, SIPLimits()) == nil)
        #expect(Self.lines.dropFirst().allSatisfy { $0.utf8.count <= Self.longestHeader })
        let message = try SIPMessage(parsing: Self.bytes)
        #expect(try message.vias.count == Self.viaCount)
        #expect(message.headers.count == Self.headerCount)
    }

    @Test(arguments: cases)
    func exactlyAtTheLimitPasses(_ limit: Case) {
        #expect(Self.check(Self.bytes, limit.atLimit) == nil)
    }

    @Test(arguments: cases)
    func oneOverTheLimitFails(_ limit: Case) {
        let error = Self.check(Self.bytes, limit.overLimit)
        #expect(error?.code == limit.code, "\(String(describing: error))")
        #expect(error?.status == limit.status)
    }

    /// The limits that only `validate()` applies leave parsing alone.
    @Test func viaCountIsAValidationLimit() throws {
        let limits = SIPLimits(maxViaCount: 1)
        let message = try SIPMessage(parsing: Self.bytes, limits: limits)
        #expect(typedHeaderError { try message.validate(limits: limits) }?.code == .tooManyVias)
    }

    /// Without Content-Length the body is the rest of the datagram, and the body limit still holds.
    @Test func bodyLimitWithoutContentLength() {
        let lines = Self.lines.filter { !$0.hasPrefix("Content-Length") }
        let bytes = Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + Self.body).utf8)
        #expect(Self.check(bytes, SIPLimits(maxBodySize: Self.body.utf8.count)) == nil)
        #expect(Self.check(bytes, SIPLimits(maxBodySize: Self.body.utf8.count - 1))?.code == .bodyTooLarge)
    }

    /// The stream framer holds the same limits: exactly at the header-section and body limits a drip-fed message
    /// is framed and parses; one over, framing or parsing gives the limit's code.
    @Test(arguments: [1, 7, 100_000])
    func framerAppliesTheSameLimits(_ chunkSize: Int) {
        let atLimit = SIPLimits(maxHeaderSectionSize: Self.headerSectionSize, maxBodySize: Self.body.utf8.count)
        #expect(Self.frameAndCheck(Self.bytes, chunkSize: chunkSize, limits: atLimit) == nil)
        for (limits, code) in [
            (SIPLimits(maxHeaderSectionSize: Self.headerSectionSize - 1), SIPParseError.Code.messageTooLarge),
            (SIPLimits(maxBodySize: Self.body.utf8.count - 1), .bodyTooLarge),
        ] {
            #expect(Self.frameAndCheck(Self.bytes, chunkSize: chunkSize, limits: limits)?.code == code)
        }
    }

    @Test func defaults() {
        let limits = SIPLimits()
        #expect(limits.maxMessageSize == 65_535)
        #expect(limits.maxHeaderSectionSize == 16_384)
        #expect(limits.maxHeaderCount == 128)
        #expect(limits.maxHeaderLength == 8_192)
        #expect(limits.maxRequestURILength == 4_096)
        #expect(limits.maxViaCount == 70)
        #expect(limits.maxBodySize == 32_768)
    }

    /// Frames `bytes` in chunks and parses and validates the one message: nil, or the first error.
    static func frameAndCheck(_ bytes: [UInt8], chunkSize: Int, limits: SIPLimits) -> SIPParseError? {
        var framer = SIPStreamFramer(limits: limits)
        var offset = 0
        do {
            while offset < bytes.count {
                let end = min(offset + chunkSize, bytes.count)
                framer.append(bytes[offset..<end])
                offset = end
                if case .message(let frame) = try framer.next() {
                    #expect(frame == bytes)
                    return check(frame, limits)
                }
            }
        } catch {
            return error
        }
        Issue.record("no frame")
        return nil
    }
}
