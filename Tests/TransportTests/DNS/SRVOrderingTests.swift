import TestSupport
import Testing

@testable import Transport

@Suite struct SRVOrderingTests {
    func srv(_ priority: UInt16, _ weight: UInt16, _ target: DNSName) -> DNSSRVRecord {
        DNSSRVRecord(priority: priority, weight: weight, port: 5060, target: target)
    }

    @Test func lowerPrioritiesComeFirst() {
        var generator = SeededGenerator(seed: 1)
        let records = [srv(20, 0, "c.test"), srv(10, 5, "a.test"), srv(30, 1, "d.test"), srv(10, 5, "b.test")]
        let ordered = SRVOrdering.order(records, using: &generator)
        #expect(ordered.map(\.priority) == [10, 10, 20, 30])
        #expect(Set(ordered.prefix(2).map(\.target)) == ["a.test", "b.test"])
    }

    @Test func withinAPriorityTheShareOfFirstPlacesFollowsTheWeights() {
        var generator = SeededGenerator(seed: 42)
        let records = [srv(10, 10, "light.test"), srv(10, 90, "heavy.test")]
        var heavyFirst = 0
        let runs = 10_000
        for _ in 0..<runs where SRVOrdering.order(records, using: &generator).first?.target == "heavy.test" {
            heavyFirst += 1
        }
        // 90 of 100 (plus the draw of 0, which goes to the first record): expect about 89.1 %.
        #expect((8_700...9_100).contains(heavyFirst), "heavy first \(heavyFirst) of \(runs)")
    }

    @Test func aZeroWeightIsRarelyFirstButNeverLost() {
        var generator = SeededGenerator(seed: 7)
        let records = [srv(10, 0, "zero.test"), srv(10, 50, "a.test"), srv(10, 50, "b.test")]
        var zeroFirst = 0
        for _ in 0..<10_000 {
            let ordered = SRVOrdering.order(records, using: &generator)
            #expect(ordered.count == 3)
            if ordered.first?.target == "zero.test" { zeroFirst += 1 }
        }
        // Drawn first only when the draw is 0: 1 in 101.
        #expect((40...200).contains(zeroFirst), "zero first \(zeroFirst)")
    }

    @Test func allZeroWeightsKeepEveryRecord() {
        var generator = SeededGenerator(seed: 3)
        let records = [srv(1, 0, "a.test"), srv(1, 0, "b.test"), srv(1, 0, "c.test")]
        #expect(Set(SRVOrdering.order(records, using: &generator).map(\.target)) == ["a.test", "b.test", "c.test"])
    }
}
