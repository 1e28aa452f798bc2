import Media
import Testing

@Suite struct RTPStatisticsTests {
    static let twentyMilliseconds: UInt64 = 20_000_000

    @Test func countsPacketsBytesAndNoLossInOrder() {
        var statistics = RTPStatistics()
        for index in 0..<50 {
            statistics.record(
                TestPackets.header(sequence: UInt16(100 + index), timestamp: UInt32(index * 160)), size: 172,
                arrival: UInt64(index) * Self.twentyMilliseconds, clockRate: 8000)
        }
        #expect(statistics.packets == 50)
        #expect(statistics.bytes == 50 * 172)
        #expect(statistics.expected == 50)
        #expect(statistics.lost == 0)
        #expect(statistics.jitter == 0)
    }

    @Test func countsGapsAsLossAcrossTheSequenceWrap() {
        var statistics = RTPStatistics()
        let sequences: [UInt16] = [65_530, 65_531, 65_533, 65_535, 0, 3, 4]
        for (index, sequence) in sequences.enumerated() {
            statistics.record(
                TestPackets.header(sequence: sequence, timestamp: UInt32(index * 160)), size: 172,
                arrival: UInt64(index) * Self.twentyMilliseconds, clockRate: 8000)
        }
        // 65530 … 4 is 11 sequence numbers; 7 arrived.
        #expect(statistics.expected == 11)
        #expect(statistics.lost == 4)
    }

    @Test func aLargeJumpCountsOnlyOnceConfirmed() {
        var statistics = RTPStatistics()
        statistics.record(TestPackets.header(sequence: 10, timestamp: 0), size: 20, arrival: 0, clockRate: 8000)
        statistics.record(TestPackets.header(sequence: 30_000, timestamp: 160), size: 20, arrival: 1, clockRate: 8000)
        #expect(statistics.expected == 1)
        statistics.record(TestPackets.header(sequence: 30_001, timestamp: 320), size: 20, arrival: 2, clockRate: 8000)
        // The source restarted at 30001: its sequence starts over there.
        #expect(statistics.expected == 1)
        #expect(statistics.lost == 0)
        #expect(statistics.packets == 3)
    }

    /// RFC 3550 A.8 by hand: packets every 20 ms of timestamp, arriving 0, 25, 40, 70 ms (transit changes of
    /// 5, 5, 10 ms = 40, 40, 80 units at 8 kHz): J = 40/16 = 2.5; 2.5 + (40 − 2.5)/16 = 4.84375;
    /// 4.84375 + (80 − 4.84375)/16 = 9.541015625.
    @Test func jitterFollowsRFC3550() {
        var statistics = RTPStatistics()
        let arrivals: [UInt64] = [0, 25, 40, 70]
        for (index, arrival) in arrivals.enumerated() {
            statistics.record(
                TestPackets.header(sequence: UInt16(index), timestamp: UInt32(index * 160)), size: 172,
                arrival: arrival * 1_000_000, clockRate: 8000)
        }
        #expect(abs(statistics.jitter - 9.541_015_625) < 1e-9)
        #expect(abs(statistics.jitterMilliseconds(clockRate: 8000) - 1.192_626_953_125) < 1e-9)
    }

    @Test func aNewSSRCStartsOver() {
        var statistics = RTPStatistics()
        statistics.record(TestPackets.header(sequence: 1, timestamp: 0), size: 20, arrival: 0, clockRate: 8000)
        statistics.record(TestPackets.header(sequence: 5, timestamp: 0), size: 20, arrival: 0, clockRate: 8000)
        #expect(statistics.lost == 3)
        statistics.record(
            TestPackets.header(sequence: 900, timestamp: 0, ssrc: 2), size: 20, arrival: 0, clockRate: 8000)
        #expect(statistics.lost == 0)
        #expect(statistics.expected == 1)
    }
}
