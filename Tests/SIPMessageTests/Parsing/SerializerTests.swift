import Testing

@testable import SIPMessage

/// The serializer keeps what nobody touched byte for byte, writes what changed canonically, and always writes a
/// true Content-Length.
@Suite struct SerializerTests {
    static let text =
        "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
        + "v:  SIP/2.0/UDP  pc33.atlanta.example.com ; branch=z9hG4bK776\r\n"
        + "VIA: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/UDP p0.example.com;branch=z9hG4bK0\r\n"
        + "To :Bob<sip:bob@biloxi.example.com>\r\n"
        + "f: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
        + "Subject: folded\r\n\t  over two lines  \r\n"
        + "i: a84b4c76e66710\r\n"
        + "CSeq:   314159   INVITE\r\n"
        + "l: 004\r\n"
        + "X-Extension: kept as is\r\n"
        + "\r\n"
        + "body"

    static func message() throws -> SIPMessage { try SIPMessage(parsing: text) }

    static func written(_ message: SIPMessage) -> String { String(decoding: message.serialize(), as: UTF8.self) }

    @Test func untouchedMessageIsWrittenByteForByte() throws {
        #expect(Self.written(try Self.message()) == Self.text)
    }

    @Test func rewrittenFieldsAreCanonicalAndOthersKept() throws {
        var message = try Self.message()
        message.headers.set(.subject, "new subject")
        message.headers.set(.cseq, CSeq(314160, .invite))
        message.headers.append("X-Added", "1")
        #expect(
            Self.written(message)
                == Self.text
                .replacingOccurrences(
                    of: "Subject: folded\r\n\t  over two lines  \r\n", with: "Subject: new subject\r\n"
                )
                .replacingOccurrences(of: "CSeq:   314159   INVITE", with: "CSeq: 314160 INVITE")
                .replacingOccurrences(
                    of: "X-Extension: kept as is\r\n", with: "X-Extension: kept as is\r\nX-Added: 1\r\n"))
    }

    @Test func prependedViaGoesAboveTheFirstVia() throws {
        var message = try Self.message()
        message.headers.prepend(.via, "SIP/2.0/TCP sbc.example.com;branch=z9hG4bKsbc")
        #expect(
            Self.written(message)
                == Self.text.replacingOccurrences(
                    of: "v:  SIP", with: "Via: SIP/2.0/TCP sbc.example.com;branch=z9hG4bKsbc\r\nv:  SIP"))
        #expect(try message.vias.count == 4)
    }

    @Test func replaceFirstValueSplitsAListField() throws {
        var message = try Self.message()
        message.headers.remove(at: 0)  // the compact Via: the list field is now the first
        try message.headers.replaceFirstValue(
            .via, with: Array("SIP/2.0/UDP p1.example.com;branch=z9hG4bK1;received=192.0.2.1".utf8))
        #expect(
            Self.written(message)
                == Self.text
                .replacingOccurrences(of: "v:  SIP/2.0/UDP  pc33.atlanta.example.com ; branch=z9hG4bK776\r\n", with: "")
                .replacingOccurrences(
                    of: "VIA: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/UDP p0.example.com;branch=z9hG4bK0",
                    with: "Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1;received=192.0.2.1\r\n"
                        + "Via: SIP/2.0/UDP p0.example.com;branch=z9hG4bK0"))
    }

    @Test func removedFieldsDisappear() throws {
        var message = try Self.message()
        #expect(message.headers.remove(.via) == 2)
        #expect(
            Self.written(message)
                == Self.text.replacingOccurrences(
                    of: "v:  SIP/2.0/UDP  pc33.atlanta.example.com ; branch=z9hG4bK776\r\n"
                        + "VIA: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/UDP p0.example.com;branch=z9hG4bK0\r\n",
                    with: ""))
    }

    @Test func contentLengthIsCorrected() throws {
        var message = try Self.message()
        message.body = Array("longer body".utf8)[...]
        #expect(
            Self.written(message)
                == Self.text.replacingOccurrences(of: "l: 004", with: "Content-Length: 11")
                .replacingOccurrences(of: "\r\n\r\nbody", with: "\r\n\r\nlonger body"))

        message.body = []
        #expect(Self.written(message).hasSuffix("Content-Length: 0\r\nX-Extension: kept as is\r\n\r\n"))
    }

    @Test func contentLengthIsAddedAndRepeatsCollapse() throws {
        let without = try SIPMessage(parsing: "OPTIONS sip:a@example.com SIP/2.0\r\nCall-ID: x\r\n\r\nabc")
        #expect(
            Self.written(without) == "OPTIONS sip:a@example.com SIP/2.0\r\nCall-ID: x\r\nContent-Length: 3\r\n\r\nabc")

        let repeated = try SIPMessage(
            parsing: "OPTIONS sip:a@example.com SIP/2.0\r\nContent-Length: 3\r\nCall-ID: x\r\nl: 3\r\n\r\nabc")
        #expect(
            Self.written(repeated) == "OPTIONS sip:a@example.com SIP/2.0\r\nContent-Length: 3\r\nCall-ID: x\r\n\r\nabc")

        var set = try Self.message()
        set.headers.set(.contentLength, "999")
        #expect(Self.written(set) == Self.text.replacingOccurrences(of: "l: 004", with: "Content-Length: 4"))
    }

    @Test func rewrittenStartLineIsCanonical() throws {
        var message = try SIPMessage(parsing: "OPTIONS sip:a@example.com SIP/2.0\r\nCall-ID: x\r\n\r\n")
        message.startLine = .request(RequestLine(method: .options, uri: "sip:b@example.com"))
        #expect(Self.written(message).hasPrefix("OPTIONS sip:b@example.com SIP/2.0\r\nCall-ID: x\r\n"))
        message.startLine = .response(StatusLine(.ok))
        #expect(Self.written(message).hasPrefix("SIP/2.0 200 OK\r\nCall-ID: x\r\n"))
    }

    @Test func valuesSetInCodeCannotInjectLines() throws {
        var message = try Self.message()
        message.headers.set(.subject, NameAddress(displayName: "x\r\nVia: evil", uri: try URI(parsing: "sip:a@b")))
        let reparsed = try SIPMessage(parsing: message.serialize())
        #expect(try reparsed.vias.count == 3)
    }

    @Test func builtMessage() throws {
        var headers = SIPHeaders()
        headers.append(.via, Via(transport: "UDP", host: .name("sbc.example.com"), port: 5060, branch: "z9hG4bKx"))
        headers.append(.callID, CallID("built@example.com"))
        let message = SIPMessage(startLine: .response(StatusLine(.trying)), headers: headers)
        #expect(
            Self.written(message)
                == "SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP sbc.example.com:5060;branch=z9hG4bKx\r\n"
                + "Call-ID: built@example.com\r\nContent-Length: 0\r\n\r\n")
    }
}
