import Testing

@testable import SIPMessage

/// Quoted strings are written so that what was parsed reads back the same (found by the fuzzer on RFC 4475's
/// intmeth, whose display name escapes BEL, NUL and DEL), and so that nothing written can break a header line.
struct QuotedStringWritingTests {
    @Test func escapedControlCharactersSurviveARoundTrip() throws {
        let value: [UInt8] =
            Array("\"BEL:\\".utf8) + [0x07] + Array(" NUL:\\".utf8) + [0x00]
            + Array(" DEL:\\".utf8) + [0x7F] + Array("\" <sip:a@example.com>;tag=1".utf8)
        let parsed = try NameAddress(parsing: value[...])
        #expect(parsed.displayName == "BEL:\u{07} NUL:\u{00} DEL:\u{7F}")
        let written = parsed.serialized
        #expect(try NameAddress(parsing: written[...]) == parsed)
    }

    @Test func lineBreaksSetInCodeCannotReachTheWire() {
        var buffer: [UInt8] = []
        HeaderWriting.appendQuoted("evil\r\nVia: injected", into: &buffer)
        #expect(!buffer.contains(ASCII.cr) && !buffer.contains(ASCII.lf))
        #expect(String(decoding: buffer, as: UTF8.self) == "\"evil  Via: injected\"")
    }
}
