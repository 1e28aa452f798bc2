import TestSupport
import Testing

@testable import SIPMessage

/// STYLE rule 14: the stream framer gives the same frames whether the bytes come one at a time, in random chunks
/// or all at once.
@Suite struct StreamFramerDripFeedTests {
    static let invite = Array(
        """
        INVITE sip:bob@biloxi.example.com SIP/2.0\r
        Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r
        Max-Forwards: 70\r
        To: Bob <sip:bob@biloxi.example.com>\r
        From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r
        Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r
        CSeq: 314159 INVITE\r
        Content-Type: application/sdp\r
        Content-Length: 31\r
        \r
        v=0\r
        o=- 1 1 IN IP4 192.0.2.1\r

        """.utf8)

    /// Compact Content-Length, no body.
    static let options = Array(
        """
        OPTIONS sip:carol@chicago.example.com SIP/2.0\r
        v: SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bKopt1\r
        f: <sip:alice@atlanta.example.com>;tag=1\r
        t: <sip:carol@chicago.example.com>\r
        i: opt1@atlanta.example.com\r
        CSeq: 1 OPTIONS\r
        l: 0\r
        \r

        """.utf8)

    /// Bare LF line endings, a folded Content-Length and a body that starts with line breaks.
    static let response = Array(
        """
        SIP/2.0 200 OK
        Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bK776asdhds
        To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf
        From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
        Call-ID: a84b4c76e66710@pc33.atlanta.example.com
        CSeq: 314159 INVITE
        Content-Length:
          8

        \r
        \r
        v=0\n
        """.utf8)

    static let crlf: [UInt8] = [ASCII.cr, ASCII.lf]

    /// Messages with keep-alives between them: a CRLFCRLF ping, a CRLF pong, a ping of bare LFs and a final ping.
    static let stream: [UInt8] =
        invite + crlf + crlf + options + crlf + response + [ASCII.lf, ASCII.lf] + invite + crlf + crlf
    static let expectedFrames: [SIPStreamFramer.Frame] = [
        .message(invite), .ping, .message(options), .pong, .message(response), .ping, .message(invite), .ping,
    ]

    @Test func allAtOnce() throws {
        #expect(try framing(Self.stream, chunkSizes: [Self.stream.count]) == Self.expectedFrames)
    }

    @Test func oneByteAtATime() throws {
        #expect(
            try framing(Self.stream, chunkSizes: Array(repeating: 1, count: Self.stream.count)) == Self.expectedFrames)
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func randomChunks(_ seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var sizes: [Int] = []
        var total = 0
        while total < Self.stream.count {
            let size = Int.random(in: 1...(seed.isMultiple(of: 2) ? 7 : 300), using: &random)
            sizes.append(size)
            total += size
        }
        #expect(try framing(Self.stream, chunkSizes: sizes) == Self.expectedFrames, "seed \(seed)")
    }

    @Test func framesParse() throws {
        for frame in Self.expectedFrames {
            guard case .message(let bytes) = frame else { continue }
            let message = try SIPMessage(parsing: bytes)
            try message.validate()
        }
        #expect(Array(try SIPMessage(parsing: Self.response).body) == Array("\r\n\r\nv=0\n".utf8))
    }

    // MARK: Keep-alives

    @Test func trailingCRLFWaitsForTheNextByte() throws {
        var framer = SIPStreamFramer()
        framer.append(Self.options + Self.crlf)
        #expect(try framer.next() == .message(Self.options))
        #expect(try framer.next() == nil)  // ping or pong: undecided
        framer.append([ASCII.cr])
        #expect(try framer.next() == nil)  // still undecided
        framer.append([ASCII.lf])
        #expect(try framer.next() == .ping)
        #expect(try framer.next() == nil)
        #expect(framer.bufferedByteCount == 0)

        framer.append(Self.crlf)
        #expect(try framer.next() == nil)
        framer.append(Self.options.prefix(1))
        #expect(try framer.next() == .pong)
        #expect(try framer.next() == nil)
        framer.append(Self.options.dropFirst())
        #expect(try framer.next() == .message(Self.options))
    }

    @Test func pingsAndPongsAlone() throws {
        #expect(
            try framing(Self.crlf + Self.crlf + Self.crlf + Self.crlf, chunkSizes: [1, 1, 1, 1, 1, 1, 1, 1]) == [
                .ping, .ping,
            ])
        #expect(try framing(Self.crlf + Self.options, chunkSizes: [2, 100, 1000]) == [.pong, .message(Self.options)])
    }

    // MARK: Errors

    @Test(arguments: [1, 3, 64, 100_000])
    func headerSectionWithoutAnEndIsTooLarge(_ chunkSize: Int) {
        let limits = SIPLimits(maxHeaderSectionSize: 200)
        let endless =
            Array("OPTIONS sip:a@example.com SIP/2.0\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 300)
        let error = framingError(endless, chunkSize: chunkSize, limits: limits)
        #expect(error?.code == .messageTooLarge)
        #expect(error?.status == .messageTooLarge)
    }

    @Test(arguments: [1, 5, 100_000])
    func missingContentLength(_ chunkSize: Int) {
        let bytes = Array("OPTIONS sip:a@example.com SIP/2.0\r\nCall-ID: x\r\n\r\n".utf8)
        #expect(framingError(bytes, chunkSize: chunkSize)?.code == .missingContentLength)
    }

    @Test(arguments: [1, 5, 100_000])
    func bodyLargerThanTheLimit(_ chunkSize: Int) {
        let limits = SIPLimits(maxBodySize: 30)
        #expect(framingError(Self.invite, chunkSize: chunkSize, limits: SIPLimits(maxBodySize: 31)) == nil)
        let error = framingError(Self.invite, chunkSize: chunkSize, limits: limits)
        #expect(error?.code == .bodyTooLarge)
        #expect(error?.status == .requestEntityTooLarge)
    }

    @Test func contradictoryContentLengths() {
        let bytes = Array("OPTIONS sip:a@example.com SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab".utf8)
        #expect(framingError(bytes, chunkSize: 1)?.code == .badContentLength)
    }

    // MARK: Helpers

    /// The frames of `bytes` fed in chunks of these sizes, reading every frame after each chunk.
    func framing(
        _ bytes: [UInt8], chunkSizes: [Int], limits: SIPLimits = SIPLimits()
    ) throws(SIPParseError) -> [SIPStreamFramer.Frame] {
        var framer = SIPStreamFramer(limits: limits)
        var frames: [SIPStreamFramer.Frame] = []
        var offset = 0
        for size in chunkSizes where offset < bytes.count {
            let end = min(offset + size, bytes.count)
            framer.append(bytes[offset..<end])
            offset = end
            while let frame = try framer.next() { frames.append(frame) }
        }
        return frames
    }

    /// The error framing `bytes` in equal chunks gives, if any.
    func framingError(_ bytes: [UInt8], chunkSize: Int, limits: SIPLimits = SIPLimits()) -> SIPParseError? {
        let sizes = Array(repeating: chunkSize, count: bytes.count / chunkSize + 1)
        do {
            _ = try framing(bytes, chunkSizes: sizes, limits: limits)
            return nil
        } catch {
            return error
        }
    }
}
