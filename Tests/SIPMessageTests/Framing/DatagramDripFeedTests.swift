import TestSupport
import Testing

@testable import SIPMessage

/// STYLE rule 14 for the datagram parser: every prefix of a valid message is an error, only the whole message
/// parses, and nothing crashes. The messages carry a Content-Length (without one, a datagram's body is whatever
/// arrived, so a cut body would be a valid message).
@Suite struct DatagramDripFeedTests {
    static let messages: [(name: String, bytes: [UInt8])] = [
        ("invite with body", StreamFramerDripFeedTests.invite),
        ("compact headers, no body", StreamFramerDripFeedTests.options),
        ("bare LF, folded Content-Length", StreamFramerDripFeedTests.response),
        (
            "folded and quoted",
            Array(
                """
                REGISTER sips:registrar.example.com SIP/2.0\r
                Via: SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bKreg;received=[2001:db8::2],\r
                 SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKreg0\r
                To: "Doe, \\"J\\"" <sips:doe@example.com>\r
                From: "Doe, \\"J\\"" <sips:doe@example.com>;tag=x\r
                Call-ID: reg@192.0.2.1\r
                CSeq: 2 REGISTER\r
                Contact: <sips:doe@[2001:db8::1]>;expires=600, "Second" <sips:doe@192.0.2.1>;q=0.5\r
                Subject: a\r
                \t b\r
                Content-Length: 2\r
                \r
                ok
                """.utf8)
        ),
    ]

    @Test(arguments: 0..<messages.count)
    func onlyTheWholeMessageParses(_ index: Int) throws {
        let (name, bytes) = Self.messages[index]
        let message = try SIPMessage(parsing: bytes)
        try message.validate()
        for length in 0..<bytes.count {
            do {
                let prefix = try SIPMessage(parsing: Array(bytes[..<length]))
                Issue.record("\(name): the first \(length) bytes parse as \(prefix.startLine)")
            } catch {
                #expect(!error.detail.isEmpty)
            }
        }
    }

    /// The same prefixes with the message's own terminator dropped, and with junk appended, never crash.
    @Test(arguments: 0..<messages.count)
    func prefixesWithJunkDoNotCrash(_ index: Int) {
        let bytes = Self.messages[index].bytes
        var random = SeededGenerator(seed: UInt64(index) &+ 99)
        for length in 0...bytes.count {
            var input = Array(bytes[..<length])
            input.append(
                contentsOf: (0..<Int.random(in: 0...4, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                })
            if let message = try? SIPMessage(parsing: input) {
                _ = try? message.validate()
                _ = message.serialize()
            }
        }
    }
}
