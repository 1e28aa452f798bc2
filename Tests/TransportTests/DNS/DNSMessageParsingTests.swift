import SIPMessage
import Testing

@testable import Transport

/// Packets captured from dnsmasq 2.90 (the integration tests' server), and hand-made ones for what no server sends.
@Suite struct DNSMessageParsingTests {
    /// `sip.example.test A` → 192.0.2.10, TTL 300, the owner compressed to the question (c00c).
    static let aAnswer = DNSPacket.hex(
        """
        12348580000100010000000003736970076578616d706c6504746573740000010001
        c00c000100010000012c0004c000020a
        """)
    /// `_sip._udp.example.test SRV` → 10 60 5060 sip.example.test, with the target's A and AAAA in the additional
    /// section, owned through a pointer into the SRV data (c03a).
    static let srvAnswer = DNSPacket.hex(
        """
        123485800001000100000002045f736970045f756470076578616d706c6504746573740000210001
        c00c00210001000000000018000a003c13c403736970076578616d706c65047465737400
        c03a000100010000012c0004c000020a
        c03a001c00010000012c001020010db8000000000000000000000010
        """)
    /// `example.test NAPTR` → 10 50 "s" "SIP+D2U" "" _sip._udp.example.test.
    static let naptrAnswer = DNSPacket.hex(
        """
        123485800001000100000000076578616d706c6504746573740000230001
        c00c00230001000000000027000a00320173075349502b44325500045f736970045f756470076578616d706c65047465737400
        """)
    /// `alias.example.test A` → CNAME sip.example.test → 192.0.2.10.
    static let cnameAnswer = DNSPacket.hex(
        """
        12348180000100020000000005616c696173076578616d706c6504746573740000010001
        c00c0005000100000258001203736970076578616d706c65047465737400
        c03000010001000002580004c000020a
        """)
    static let seeds = [aAnswer, srvAnswer, naptrAnswer, cnameAnswer]

    @Test func parsesAnAAnswer() throws {
        let message = try DNSMessage(parsing: Self.aAnswer)
        #expect(message.header.id == 0x1234)
        #expect(message.header.isResponse && message.header.isAuthoritative && message.header.recursionDesired)
        #expect(!message.header.isTruncated)
        #expect(message.header.responseCode == .noError)
        #expect(message.questions == [DNSQuestion(name: "sip.example.test", type: .a)])
        #expect(
            message.answers == [
                DNSResourceRecord(name: "SIP.example.test", type: .a, ttl: 300, data: .a(IPv4Address(192, 0, 2, 10)))
            ])
    }

    @Test func parsesARealSRVAnswerWithPointersIntoRecordData() throws {
        let message = try DNSMessage(parsing: Self.srvAnswer)
        #expect(message.answers.count == 1)
        #expect(message.answers[0].name == "_sip._udp.example.test")
        #expect(message.answers[0].ttl == 0)
        #expect(
            message.answers[0].data
                == .srv(DNSSRVRecord(priority: 10, weight: 60, port: 5060, target: "sip.example.test")))
        #expect(message.additionals.map(\.name) == ["sip.example.test", "sip.example.test"])
        #expect(message.additionals[1].data == .aaaa(try IPv6Address(parsing: "2001:db8::10")))
    }

    @Test func parsesARealNAPTRAnswerKeepingEveryField() throws {
        let message = try DNSMessage(parsing: Self.naptrAnswer)
        guard case .naptr(let naptr) = message.answers.first?.data else {
            Issue.record("no NAPTR record in \(message.answers)")
            return
        }
        #expect(naptr.order == 10 && naptr.preference == 50)
        #expect(naptr.flagsText == "s" && naptr.hasFlag("S"))
        #expect(naptr.servicesText == "SIP+D2U")
        #expect(naptr.regexp.isEmpty)
        #expect(naptr.replacement == "_sip._udp.example.test")
    }

    @Test func parsesAnENUMStyleNAPTRWithARegexp() throws {
        let regexp = "!^.*$!sip:+441632960083@example.test!"
        let packet =
            DNSPacket.header(answers: 1) + DNSPacket.question(DNSPacket.name("3.8.0.0.e164.arpa"), .naptr)
            + DNSPacket.record(
                DNSPacket.pointer(12), .naptr,
                data: DNSPacket.naptrData(
                    order: 100, preference: 10, flags: "u", services: "E2U+sip", regexp: regexp, replacement: [0]))
        let message = try DNSMessage(parsing: packet)
        guard case .naptr(let naptr) = message.answers.first?.data else {
            Issue.record("no NAPTR record")
            return
        }
        #expect(naptr.regexpText == regexp)
        #expect(naptr.servicesText == "E2U+sip" && naptr.hasFlag("u"))
        #expect(naptr.replacement.isRoot)
    }

    @Test func followsACNAMEOwnerThroughAPointerIntoItsData() throws {
        let message = try DNSMessage(parsing: Self.cnameAnswer)
        #expect(message.answers.map(\.type) == [.cname, .a])
        #expect(message.answers[0].data == .cname("sip.example.test"))
        #expect(message.answers[1].name == "sip.example.test")
    }

    @Test func followsPointersToPointers() throws {
        // The question's name "example.test" starts at 12 and the question ends at 30; the first answer's owner
        // is "sip" + a pointer to 12, at 30; the second's is a pointer to 30, whose name ends in a pointer.
        let question = DNSPacket.question(DNSPacket.name("example.test"), .a)
        let packet =
            DNSPacket.header(answers: 2) + question
            + DNSPacket.record(DNSPacket.labels("sip") + DNSPacket.pointer(12), .a, data: [192, 0, 2, 1])
            + DNSPacket.record(DNSPacket.pointer(30), .a, data: [192, 0, 2, 2])
        #expect(DNSHeader.length + question.count == 30)
        let message = try DNSMessage(parsing: packet)
        #expect(message.answers.map(\.name) == ["sip.example.test", "sip.example.test"])
    }

    @Test func readsTheTruncatedFlagAndTheRcode() throws {
        var packet = Self.aAnswer
        packet[2] |= 0x02  // TC
        packet[3] = (packet[3] & 0xF0) | 3  // NXDOMAIN
        let message = try DNSMessage(parsing: packet)
        #expect(message.header.isTruncated)
        #expect(message.header.responseCode == .nameError)
    }

    @Test func parsesTheSOAOfANegativeAnswer() throws {
        let packet =
            DNSPacket.header(flags: 0x8183, authorities: 1)
            + DNSPacket.question(DNSPacket.name("nope.example.test"), .a)
            + DNSPacket.record(DNSPacket.name("example.test"), .soa, ttl: 3600, data: DNSPacket.soaData(minimum: 45))
        let message = try DNSMessage(parsing: packet)
        guard case .soa(let soa) = message.authorities.first?.data else {
            Issue.record("no SOA")
            return
        }
        #expect(soa.minimum == 45 && soa.serial == 1 && soa.primaryServer == "ns.example.test")
        #expect(message.authorities[0].ttl == 3600)
    }

    @Test func keepsUnknownTypesAsBytesAndZeroesNegativeTTLs() throws {
        let packet =
            DNSPacket.header(answers: 1) + DNSPacket.question(DNSPacket.name("example.test"), .txt)
            + DNSPacket.record(DNSPacket.pointer(12), .txt, ttl: 0x8000_0001, data: [3, 65, 66, 67])
        let message = try DNSMessage(parsing: packet)
        #expect(message.answers[0].data == .other(.txt, [3, 65, 66, 67]))
        #expect(message.answers[0].ttl == 0)
    }

    @Test func everyCutOfAValidPacketIsTruncated() {
        for packet in Self.seeds {
            for length in 0..<packet.count {
                do {
                    _ = try DNSMessage(parsing: packet[0..<length])
                    Issue.record("a packet cut to \(length) of \(packet.count) bytes parsed")
                } catch {
                    #expect(error.code == .truncated, "cut to \(length): \(error)")
                }
            }
        }
    }

    @Test func parsesASliceWithOffsetsFromItsOwnStart() throws {
        let padded = [0xFF, 0xFF, 0xFF] + Self.cnameAnswer
        let message = try DNSMessage(parsing: padded[3...])
        #expect(message.answers.count == 2)
    }

    @Test func rejectsPointerLoops() {
        // The question's name is a pointer to itself.
        let selfLoop = DNSPacket.header(answers: 0) + DNSPacket.pointer(12) + DNSPacket.u16(1) + DNSPacket.u16(1)
        // Two pointers pointing at each other: 12 → 14 → 12.
        let pair =
            DNSPacket.header() + DNSPacket.pointer(14) + DNSPacket.pointer(12) + DNSPacket.u16(1) + DNSPacket.u16(1)
        // A label then a pointer back to the label: an endless name.
        let labelLoop = DNSPacket.header() + [1, 97] + DNSPacket.pointer(12) + DNSPacket.u16(1) + DNSPacket.u16(1)
        for packet in [selfLoop, pair, labelLoop] {
            #expect(throws: DNSWireError.self) { try DNSMessage(parsing: packet) }
            do {
                _ = try DNSMessage(parsing: packet)
            } catch {
                #expect(error.code == .pointerLoop, "\(error)")
            }
        }
    }

    @Test func rejectsPointersPastTheEndAndReservedLabelTypes() {
        let pastEnd = DNSPacket.header() + DNSPacket.pointer(0x3FFF) + DNSPacket.u16(1) + DNSPacket.u16(1)
        let reserved = DNSPacket.header() + [0x40, 0] + DNSPacket.u16(1) + DNSPacket.u16(1)
        #expect(code(of: pastEnd) == .badPointer)
        #expect(code(of: reserved) == .badLabelType)
    }

    @Test func rejectsNamesLongerThan255BytesEvenWhenCompressed() {
        // Four 63-byte labels reached through pointers: 4 × 64 + 1 = 257 bytes.
        let label = [63] + [UInt8](repeating: 97, count: 63)
        // The question's name starts at 12: two labels, then a pointer back to 12. That is also a loop, but the
        // length limit trips first, on the way round.
        let packet = DNSPacket.header() + label + label + DNSPacket.pointer(12) + DNSPacket.u16(1) + DNSPacket.u16(1)
        #expect(code(of: packet) == .nameTooLong)
    }

    @Test func rejectsRecordDataOfTheWrongSize() {
        let question = DNSPacket.question(DNSPacket.name("example.test"), .a)
        let shortA =
            DNSPacket.header(answers: 1) + question + DNSPacket.record(DNSPacket.pointer(12), .a, data: [1, 2, 3])
        let longAAAA =
            DNSPacket.header(answers: 1) + question
            + DNSPacket.record(DNSPacket.pointer(12), .aaaa, data: [UInt8](repeating: 0, count: 17))
        let srvWithTrailingByte =
            DNSPacket.header(answers: 1) + question
            + DNSPacket.record(
                DNSPacket.pointer(12), .srv,
                data: DNSPacket.srvData(priority: 1, weight: 1, port: 5060, target: DNSPacket.pointer(12)) + [0])
        let srvCutShort =
            DNSPacket.header(answers: 1) + question
            + DNSPacket.record(DNSPacket.pointer(12), .srv, data: DNSPacket.u16(1) + DNSPacket.u16(1))
            + DNSPacket.u16(5060) + DNSPacket.pointer(12)
        for packet in [shortA, longAAAA, srvWithTrailingByte, srvCutShort] {
            #expect(code(of: packet) == .badRecordData)
        }
    }

    @Test func rejectsARecordLongerThanThePacket() {
        var packet =
            DNSPacket.header(answers: 1) + DNSPacket.question(DNSPacket.name("example.test"), .a)
            + DNSPacket.record(DNSPacket.pointer(12), .a, data: [1, 2, 3, 4])
        packet.removeLast()
        #expect(code(of: packet) == .truncated)
    }

    private func code(of packet: [UInt8]) -> DNSWireError.Code? {
        do {
            _ = try DNSMessage(parsing: packet)
            return nil
        } catch {
            return error.code
        }
    }
}
