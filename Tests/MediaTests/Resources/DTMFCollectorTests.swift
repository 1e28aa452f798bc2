import Foundation
import Media
import Testing

@Suite struct DTMFCollectorTests {
    /// SIPp's RFC 2833/4733 captures (installed with `sip-tester`): each holds one digit, seven updates and the end
    /// packet three times.
    static let captures = "/usr/share/sip-tester"

    @Test func detectsTheDigitsInSIPpsCaptures() throws {
        var collector = DTMFCollector(interDigitTimeout: .seconds(3), maximumDigits: 8, terminator: "#", now: .zero)
        var outcomes: [DTMFCollector.Outcome] = []
        var now = Duration.zero
        for digit in 0...6 {
            let packets = try Self.rtpPackets(inCapture: "\(Self.captures)/dtmf_2833_\(digit).pcap")
            #expect(packets.count == 10)
            for packet in packets {
                let datagram = try #require(RTPDatagram(bytes: packet))
                #expect(datagram.header.payloadType == 101)
                let event = try #require(TelephoneEvent(payload: datagram.payload))
                now += .milliseconds(20)
                if let outcome = collector.receive(event, rtpTimestamp: datagram.header.timestamp, at: now) {
                    outcomes.append(outcome)
                }
            }
        }
        #expect(outcomes.isEmpty)
        #expect(collector.buffer == "0123456")  // each digit once, although its end came three times
        let early = collector.expire(at: now + .seconds(2))
        let late = collector.expire(at: now + .seconds(3))
        #expect(early == nil)
        #expect(late == .digits("0123456"))
    }

    @Test func aSingleKeyMenuAnswersOnTheFirstEnd() throws {
        let packets = try Self.rtpPackets(inCapture: "\(Self.captures)/dtmf_2833_1.pcap")
        var collector = DTMFCollector(interDigitTimeout: .seconds(5), now: .zero)
        var outcomes: [DTMFCollector.Outcome] = []
        for packet in packets {
            let datagram = try #require(RTPDatagram(bytes: packet))
            let event = try #require(TelephoneEvent(payload: datagram.payload))
            if let outcome = collector.receive(event, rtpTimestamp: datagram.header.timestamp, at: .seconds(1)) {
                outcomes.append(outcome)
            }
        }
        #expect(outcomes == [.digits("1")])
    }

    @Test func aLostEndStillCountsWhenTheNextDigitStarts() {
        var collector = DTMFCollector(interDigitTimeout: .seconds(2), maximumDigits: 4, now: .zero)
        let five = TelephoneEvent(event: 5, isEnd: false, volume: 10, duration: 320)
        let nine = TelephoneEvent(event: 9, isEnd: false, volume: 10, duration: 0)
        let afterFive = collector.receive(five, rtpTimestamp: 800, at: .milliseconds(100))
        let afterNine = collector.receive(nine, rtpTimestamp: 4000, at: .milliseconds(500))
        #expect(afterFive == nil && afterNine == nil)
        #expect(collector.buffer == "5")
        // The 9 never ends either: the inter-digit timeout takes it.
        let expired = collector.expire(at: .milliseconds(2500))
        #expect(expired == .digits("59"))
    }

    @Test func theTerminatorEndsTheEntryAndNothingTypedTimesOut() {
        var collector = DTMFCollector(interDigitTimeout: .seconds(5), maximumDigits: 10, now: .zero)
        let early = collector.expire(at: .seconds(4))
        let nothing = collector.expire(at: .seconds(5))
        #expect(early == nil && nothing == .timedOut)
        for (index, event) in [UInt8(4), 2, 11].enumerated() {
            let end = TelephoneEvent(event: event, isEnd: true, volume: 10, duration: 800)
            let outcome = collector.receive(end, rtpTimestamp: UInt32(index) * 2000, at: .seconds(6))
            #expect(outcome == (event == 11 ? .digits("42") : nil))
        }
        // Events that are not DTMF (e.g. 32, modem answer tone) are ignored.
        let answerTone = TelephoneEvent(event: 32, isEnd: true, volume: 0, duration: 1)
        let ignored = collector.receive(answerTone, rtpTimestamp: 9, at: .seconds(7))
        #expect(ignored == nil)
        #expect(
            TelephoneEvent(payload: [0x0B, 0x8A, 0x03, 0x20])
                == TelephoneEvent(event: 11, isEnd: true, volume: 10, duration: 800))
        #expect(TelephoneEvent(event: 11, isEnd: true, volume: 10, duration: 800).bytes == [0x0B, 0x8A, 0x03, 0x20])
        #expect(TelephoneEvent(payload: [1, 2, 3]) == nil)
    }

    /// The UDP payloads of a classic little-endian pcap with Ethernet framing and IPv4 (what SIPp's captures are).
    static func rtpPackets(inCapture path: String) throws -> [[UInt8]] {
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try #require(file.count >= 24 && file[0..<4] == [0xD4, 0xC3, 0xB2, 0xA1])
        var packets: [[UInt8]] = []
        var offset = 24
        while offset + 16 <= file.count {
            let length = Int(file[offset + 8]) | Int(file[offset + 9]) << 8 | Int(file[offset + 10]) << 16
            let frame = Array(file[offset + 16..<min(file.count, offset + 16 + length)])
            offset += 16 + length
            guard frame.count > 14 + 20 + 8, frame[12] == 0x08, frame[13] == 0x00, frame[14 + 9] == 17 else { continue }
            let udp = 14 + Int(frame[14] & 0x0F) * 4
            packets.append(Array(frame[(udp + 8)...]))
        }
        return packets
    }
}
