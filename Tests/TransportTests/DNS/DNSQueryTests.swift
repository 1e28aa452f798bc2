import Testing

@testable import Transport

@Suite struct DNSQueryTests {
    let query = DNSQuery(id: 0xBEEF, question: DNSQuestion(name: "example.com", type: .srv))

    @Test func encodesAStandardQueryWithRecursionDesired() {
        #expect(
            query.bytes
                == [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] + DNSPacket.name("example.com") + [0, 33, 0, 1])
    }

    @Test func addsAnOPTRecordForEDNS() throws {
        var edns = query
        edns.udpPayloadSize = 1232
        let message = try DNSMessage(parsing: edns.bytes)
        #expect(message.header.additionalCount == 1)
        #expect(message.additionals.first?.type == .opt)
        #expect(message.additionals.first?.class.rawValue == 1232)
        #expect(message.additionals.first?.name == .root)
    }

    @Test func acceptsAResponseWithTheSameIDAndQuestionInAnyCase() {
        let answer = response(name: "EXAMPLE.com")
        #expect(query.isAnswered(by: answer[...]))
        #expect((try? query.answer(in: answer[...])?.get())?.header.id == 0xBEEF)
    }

    @Test func ignoresPacketsThatDoNotAnswerIt() {
        #expect(!query.isAnswered(by: response(id: 0xBEEE)[...]))
        #expect(!query.isAnswered(by: response(name: "example.org")[...]))
        #expect(!query.isAnswered(by: response(type: .a)[...]))
        #expect(!query.isAnswered(by: response(flags: 0x0100)[...]))  // QR clear: a query, not a response
        #expect(!query.isAnswered(by: response(flags: 0x8900)[...]))  // opcode 1
        #expect(!query.isAnswered(by: (DNSPacket.header(id: 0xBEEF, questions: 0))[...]))
        #expect(!query.isAnswered(by: [0xBE][...]))
        #expect(query.answer(in: response(id: 1)[...]) == nil)
    }

    @Test func tellsAMalformedAnswerFromAStrayPacket() {
        // Our ID and question, then an answer count with no answer.
        var bytes = response()
        bytes[7] = 1
        guard case .failure(let error) = query.answer(in: bytes[...]) else {
            Issue.record("a malformed answer was not reported")
            return
        }
        #expect(error.code == .truncated)
    }

    private func response(
        id: UInt16 = 0xBEEF, flags: UInt16 = 0x8180, name: String = "example.com", type: DNSRecordType = .srv
    ) -> [UInt8] {
        DNSPacket.header(id: id, flags: flags) + DNSPacket.question(DNSPacket.name(name), type)
    }
}
