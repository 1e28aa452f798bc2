import Testing

@testable import SIPMessage

/// Values set in code share one buffer per message (`SIPHeaders.appended`): each reads and serializes as set,
/// copies of a message stay independent, and a message changed again and again keeps the buffer bounded.
@Suite struct AppendedValuesTests {
    static func request() throws -> SIPMessage {
        try typedHeadersMessage([
            "INVITE sip:bob@example.com SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1",
            "From: <sip:alice@example.com>;tag=a", "To: <sip:bob@example.com>", "Call-ID: c1", "CSeq: 1 INVITE",
        ])
    }

    @Test func aValueSetTenThousandTimesLeavesTheBufferBounded() throws {
        var message = try Self.request()
        for sequence in 1...10_000 {
            message.headers.set(.cseq, CSeq(UInt32(sequence), .invite))
            message.headers.set(
                .via, Via(transport: "UDP", host: .name("gatehouse.test"), branch: "z9hG4bK-\(sequence)"))
        }
        #expect(message.headers.appended.count < 2 * SIPHeaders.compactionFloor)
        #expect(try message.cseq.sequence == 10_000)
        #expect(try message.topVia.branch == "z9hG4bK-10000")
        let text = String(decoding: message.serialize(), as: UTF8.self)
        #expect(text.contains("CSeq: 10000 INVITE\r\n"))
        #expect(text.contains("Via: SIP/2.0/UDP gatehouse.test;branch=z9hG4bK-10000\r\n"))
        #expect(text.contains("From: <sip:alice@example.com>;tag=a\r\n"))
    }

    @Test func aCopyChangedLaterDoesNotChangeTheOriginal() throws {
        var original = try Self.request()
        original.headers.set(.maxForwards, MaxForwards(70))
        var copy = original
        copy.headers.set(.maxForwards, MaxForwards(69))
        copy.headers.append(.subject, Array("lunch".utf8))
        #expect(try original.headers.first(.maxForwards, as: MaxForwards.self)?.value == 70)
        #expect(try copy.headers.first(.maxForwards, as: MaxForwards.self)?.value == 69)
        #expect(original.headers.firstString(.subject) == nil)
        #expect(copy.headers.firstString(.subject) == "lunch")
    }

    @Test func compactionKeepsEveryLiveValueInPlace() throws {
        var message = try Self.request()
        for index in 0..<40 { message.headers.append(HeaderName("X-Note-\(index)"), Array("note \(index)".utf8)) }
        for round in 0..<2_000 { message.headers.set(.subject, Array("round \(round)".utf8)) }
        for index in 0..<40 { #expect(message.headers.firstString(HeaderName("X-Note-\(index)")) == "note \(index)") }
        #expect(message.headers.firstString(.subject) == "round 1999")
        #expect(message.headers.appended.count < 2 * SIPHeaders.compactionFloor)
    }
}
