import Testing

@testable import SIPMessage

/// The line structure of a message (RFC 3261 §7): start lines, header lines, folding, line endings.
@Suite struct MessageLineTests {
    static let start = "OPTIONS sip:carol@chicago.example.com SIP/2.0"

    static func parse(_ headerLines: [String], ending: String = "\r\n", body: String = "") throws -> SIPMessage {
        try SIPMessage(parsing: ([start] + headerLines).joined(separator: ending) + ending + ending + body)
    }

    static func value(_ message: SIPMessage, _ name: HeaderName) -> String? {
        message.headers.firstString(name)
    }

    static func errorCode(_ text: String) -> SIPParseError.Code? {
        typedHeaderError { _ = try SIPMessage(parsing: text) }?.code
    }

    // MARK: Folding

    @Test(arguments: [
        ("Subject: I know\r\n you're there,\r\n\t\tpick up", "I know you're there, pick up"),
        ("Subject: a  \r\n   b", "a b"),
        ("Subject: a\r\n \r\n b", "a b"),
        ("Subject:\r\n folded from the start", "folded from the start"),
        ("Subject: ends with a fold\r\n ", "ends with a fold"),
        ("Subject: \"quoted\r\n string\"", "\"quoted string\""),
    ])
    func foldedLinesUnfoldToOneSpace(_ field: String, _ expected: String) throws {
        let message = try Self.parse([field, "Call-ID: after"])
        #expect(Self.value(message, .subject) == expected)
        #expect(Self.value(message, .callID) == "after")
        let bareLF = try Self.parse(
            [field.replacingOccurrences(of: "\r\n", with: "\n"), "Call-ID: after"], ending: "\n")
        #expect(Self.value(bareLF, .subject) == expected)
    }

    @Test func foldedContentLengthIsRead() throws {
        let message = try Self.parse(["Content-Length:\r\n 4"], body: "body")
        #expect(Array(message.body) == Array("body".utf8))
    }

    @Test func continuationLineWithoutAFieldIsRejected() {
        #expect(Self.errorCode("\(Self.start)\r\n folded: nothing\r\n\r\n") == .malformedHeader)
    }

    // MARK: Start line

    @Test func leadingLineBreaksAreIgnored() throws {
        for prefix in ["\r\n", "\r\n\r\n\r\n", "\n", "\n\r\n"] {
            let message = try SIPMessage(parsing: prefix + Self.start + "\r\nCall-ID: x\r\n\r\n")
            #expect(message.method == .options)
            #expect(Array(message.serialize().prefix(7)) == Array("OPTIONS".utf8))
        }
    }

    @Test(arguments: [
        ("", SIPParseError.Code.malformedStartLine),
        ("\r\n\r\n", .malformedStartLine),
        ("OPTIONS", .incompleteHeaders),
        ("OPTIONS\r\n\r\n", .malformedStartLine),
        ("OPTIONS sip:a@example.com\r\n\r\n", .malformedStartLine),
        ("OPT<IONS sip:a@example.com SIP/2.0\r\n\r\n", .badMethod),
        ("OPTIONS sip:a@example.com SIP/2.1\r\n\r\n", .badVersion),
        ("OPTIONS sip:a@example.com HTTP/1.1\r\n\r\n", .malformedStartLine),
        ("OPTIONS sip:a@\u{7}example.com SIP/2.0\r\n\r\n", .malformedURI),
        ("SIP/2.0 99 Too Small\r\n\r\n", .badStatusCode),
        ("SIP/2.0 700 Too Big\r\n\r\n", .badStatusCode),
        ("SIP/2.0 2000 OK\r\n\r\n", .badStatusCode),
        ("SIP/2.0\r\n\r\n", .malformedStartLine),
        ("SIP/3.0 200 OK\r\n\r\n", .badVersion),
        ("SIP/2.0 200 O\u{0}K\r\n\r\n", .malformedStartLine),
        ("SIP/2.0 200 O\u{1B}K\r\n\r\n", .malformedStartLine),
    ])
    func badStartLines(_ text: String, _ code: SIPParseError.Code) {
        #expect(Self.errorCode(text) == code, "\(text.debugDescription)")
    }

    @Test func statusLines() throws {
        let empty = try SIPMessage(parsing: "SIP/2.0 200 \r\nCall-ID: x\r\n\r\n")
        #expect(empty.statusLine == StatusLine(code: 200, reason: ""))
        let noSpace = try SIPMessage(parsing: "SIP/2.0 180\r\nCall-ID: x\r\n\r\n")
        #expect(noSpace.statusCode == 180)
        let spaces = try SIPMessage(parsing: "sip/2.0 486 Busy  Here \r\n\r\n")
        #expect(spaces.statusLine?.reason == "Busy  Here ")
    }

    // MARK: Header lines

    @Test func spaceBeforeTheColonAndEmptyValues() throws {
        let message = try Self.parse([
            "Call-ID  : x", "Subject\t:\t", "Supported:", "X-Empty:   ", "To:<sip:b@example.com>",
        ])
        #expect(Self.value(message, .callID) == "x")
        #expect(Self.value(message, .subject) == "")
        #expect(try message.headers.values(.supported).isEmpty)
        #expect(Self.value(message, "X-Empty") == "")
        #expect(Self.value(message, .to) == "<sip:b@example.com>")
        #expect(
            message.serialize()
                == Array(
                    (([Self.start] + [
                        "Call-ID  : x", "Subject\t:\t", "Supported:", "X-Empty:   ", "To:<sip:b@example.com>",
                        "Content-Length: 0",
                    ]).joined(separator: "\r\n") + "\r\n\r\n").utf8))
    }

    @Test(arguments: [
        ("Call-ID x", SIPParseError.Code.malformedHeader),
        (": no name", .badHeaderName),
        ("Bad Name: x", .malformedHeader),
        ("Bad@Name: x", .malformedHeader),
        ("Subject: a\u{0}b", .badHeaderValue),
        ("Subject: a\u{7F}b", .badHeaderValue),
        ("Subject: a\u{1B}[31mb", .badHeaderValue),
        ("Subject: a\rb", .badHeaderValue),
        ("Subject: \"a\\\rb\"", .badHeaderValue),
        ("Subject: a\\\u{0}b", .badHeaderValue),  // a backslash outside quotes escapes nothing
    ])
    func malformedHeaderLines(_ line: String, _ code: SIPParseError.Code) {
        #expect(Self.errorCode("\(Self.start)\r\n\(line)\r\n\r\n") == code, "\(line.debugDescription)")
    }

    @Test func escapedControlCharactersInQuotedStringsAreAllowed() throws {
        let message = try Self.parse(["To: \"a\\\u{0}b\\\u{7F}\\\u{7}\" <sip:b@example.com>", "Subject: tab\there"])
        #expect(try message.to.displayName == "a\u{0}b\u{7F}\u{7}")
        #expect(Self.value(message, .subject) == "tab\there")
        // A quote closed on a continuation line still counts.
        #expect(try Self.parse(["Subject: \"a\r\n \\\u{7}\""]).headers.count == 1)
    }

    @Test func crWithoutLFEndingTheHeaderSection() {
        #expect(Self.errorCode("\(Self.start)\r\nCall-ID: x\r\n\rX") == .malformedHeader)
        #expect(Self.errorCode("\(Self.start)\r\nCall-ID: x\r\n") == .incompleteHeaders)
        #expect(Self.errorCode("\(Self.start)\r\nCall-ID: x") == .incompleteHeaders)
    }

    // MARK: Line endings and bodies

    @Test func bareLFMessages() throws {
        let message = try Self.parse(["Call-ID: lf", "Content-Length: 5"], ending: "\n", body: "a\nb\r\n")
        #expect(Self.value(message, .callID) == "lf")
        #expect(Array(message.body) == Array("a\nb\r\n".utf8))
        // Mixed line endings.
        let mixed = try SIPMessage(parsing: "\(Self.start)\nCall-ID: m\r\nSubject: s\n\r\nbody")
        #expect(Self.value(mixed, .subject) == "s")
        #expect(Array(mixed.body) == Array("body".utf8))
        // Written back with CRLF everywhere in the header section, folds included.
        let folded = try Self.parse(["Subject: a\n b", "Call-ID: f"], ending: "\n")
        let written = String(decoding: folded.serialize(), as: UTF8.self)
        #expect(written == "\(Self.start)\r\nSubject: a\r\n b\r\nCall-ID: f\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func bodyIsWhatContentLengthSays() throws {
        let message = try Self.parse(["Content-Length: 3"], body: "abcdef")
        #expect(Array(message.body) == Array("abc".utf8))
        let noLength = try Self.parse([], body: "abcdef")
        #expect(Array(noLength.body) == Array("abcdef".utf8))
        let repeated = try Self.parse(["Content-Length: 3", "l: 003"], body: "abc")
        #expect(Array(repeated.body) == Array("abc".utf8))
    }

    @Test(arguments: [
        ["Content-Length: 10"], ["Content-Length: -1"], ["Content-Length: 1x"], ["Content-Length:"],
        ["Content-Length: 3", "l: 4"], ["Content-Length: 99999999999999999999"],
    ])
    func badContentLength(_ lines: [String]) {
        #expect(typedHeaderError { _ = try Self.parse(lines, body: "abc") }?.code == .badContentLength, "\(lines)")
    }
}
