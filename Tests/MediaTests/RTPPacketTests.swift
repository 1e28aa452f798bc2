import Media
import Testing

@Suite struct RTPPacketTests {
    @Test func readsTheFixedHeader() throws {
        let packet = TestPackets.parse(TestPackets.rtp(sequence: 0xABCD, timestamp: 0x0102_0304, payloadType: 8))
        guard case .rtp(let header) = try #require(packet) else {
            Issue.record("not RTP")
            return
        }
        #expect(header.sequenceNumber == 0xABCD)
        #expect(header.timestamp == 0x0102_0304)
        #expect(header.ssrc == 0x1234_5678)
        #expect(header.payloadType == 8)
        #expect(!header.marker)
    }

    @Test func recognisesRTCPOnAMuxedPort() {
        #expect(TestPackets.parse(TestPackets.rtcpReceiverReport) == .rtcp)
    }

    @Test func rejectsOtherVersionsAndShortDatagrams() {
        var version1 = TestPackets.rtp(sequence: 1, timestamp: 1)
        version1[0] = 0x40
        #expect(TestPackets.parse(version1) == nil)
        #expect(TestPackets.parse(Array(TestPackets.rtp(sequence: 1, timestamp: 1).prefix(11))) == nil)
        // STUN (RFC 5389) starts with two zero bits: never mistaken for media.
        #expect(TestPackets.parse([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 0, 0, 0, 0]) == nil)
    }

    @Test func rejectsCSRCsExtensionsAndPaddingBeyondTheDatagram() {
        var csrcs = TestPackets.rtp(sequence: 1, timestamp: 1, payload: 8)
        csrcs[0] = 0x83  // three CSRCs need 12 bytes after the fixed header; 8 are there
        #expect(TestPackets.parse(csrcs) == nil)
        var padded = TestPackets.rtp(sequence: 1, timestamp: 1, payload: 4)
        padded[0] = 0xA0
        padded[padded.count - 1] = 200
        #expect(TestPackets.parse(padded) == nil)
        var truncatedRTCP = TestPackets.rtcpReceiverReport
        truncatedRTCP[3] = 6
        #expect(TestPackets.parse(truncatedRTCP) == nil)
    }
}
