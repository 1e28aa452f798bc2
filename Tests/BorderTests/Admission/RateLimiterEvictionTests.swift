import GatehousePolicy
import Testing

@testable import Border

@Suite struct RateLimiterEvictionTests {
    /// Yields now and then: the suite's tests share two cooperative threads on a two-core machine, and this loop
    /// (over a minute in a debug build on a loaded machine) held one for its whole run, keeping timing-sensitive
    /// tests from running.
    @Test func aMillionSpoofedSourcesKeepMemoryAtCapacity() async throws {
        let capacity = 4_096
        var limiter = try RateLimiter(
            RateLimiter.Configuration(
                rules: [
                    RateLimitRule(
                        id: "source", scope: .eachIPAddress, counted: .allMessages, rate: .perSecond(5), burst: 5)
                ],
                sourceCapacity: capacity))
        var time = FakeTime()
        var allowed = 0
        for index in 0..<1_000_000 {
            time.advance(by: .microseconds(1))
            let source = IPAddress.v4(.init(value: 0x0A00_0000 | UInt32(index)))
            let outcome = limiter.admit(
                source: source, peer: nil, realm: "access", method: .invite, isInitialRequest: true, isResponse: false,
                at: time.now)
            if outcome == .allowed { allowed += 1 }
            if index % 100_000 == 0 { #expect(limiter.sourceBucketCount <= capacity) }
            if index % 10_000 == 0 { await Task.yield() }
        }
        #expect(allowed == 1_000_000)
        #expect(limiter.sourceBucketCount == capacity)
        #expect(limiter.sharedBucketCount == 0)
    }

    @Test func theLeastRecentlyUsedBucketGoesFirst() {
        var table = LRUTable<Int, String>(capacity: 3)
        table.set("one", for: 1)
        table.set("two", for: 2)
        table.set("three", for: 3)
        _ = table.withValue(for: 1, insertingIfAbsent: "") { $0 }
        let evicted = table.set("four", for: 4)
        #expect(evicted?.key == 2)
        #expect(table.entries.map(\.key) == [4, 1, 3])
        #expect(table.removeValue(for: 3) == "three")
        table.set("five", for: 5)
        table.set("six", for: 6)
        #expect(table.entries.map(\.key) == [6, 5, 4])
        let swept = table.sweep { key, value in
            value += "!"
            return key != 5
        }
        #expect(swept == 1)
        #expect(table.entries.map(\.value) == ["six!", "four!"])
        #expect(table.count == 2)
    }
}
