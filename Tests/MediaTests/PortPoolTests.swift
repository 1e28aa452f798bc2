import Media
import Testing

@Suite struct PortPoolTests {
    @Test func handsOutEvenPortsWithRoomForRTCP() {
        var pool = PortPool(ports: 41_001...41_008)
        #expect(pool.capacity == 3)
        let ports = (0..<3).compactMap { _ in pool.allocate() }
        #expect(ports == [41_002, 41_004, 41_006])
        #expect(pool.allocate() == nil, "exhausted")
        pool.release(41_004)
        #expect(pool.allocate() == 41_004)
        #expect(pool.allocatedCount == 3)
    }

    @Test func aReleasedPortIsTheLastReused() {
        var pool = PortPool(ports: 41_000...41_009)
        let first = pool.allocate()
        #expect(first == 41_000)
        pool.release(41_000)
        #expect(pool.allocate() == 41_002)
        #expect(pool.allocate() == 41_004)
    }
}
