import GatehousePolicy
import Testing

@testable import Border

@Suite struct OffenderTrackerTests {
    static let offender = ipv4(203, 0, 113, 7)

    @Test func thresholdWithinTheSlidingWindowBlocks() throws {
        var tracker = try OffenderTracker(OffenderTracker.Configuration(threshold: 5, window: .seconds(10)))
        var blocklist = try Blocklist()
        for second in 0..<4 {
            #expect(tracker.recordViolation(by: Self.offender, at: at(Int64(second)), blocklist: &blocklist) == nil)
        }
        #expect(tracker.violations(of: Self.offender, at: at(4)) == 4)
        let outcome = tracker.recordViolation(by: Self.offender, at: at(9), blocklist: &blocklist)
        #expect(
            outcome
                == .blocked(
                    BlocklistEntry(address: Self.offender, since: at(9), until: at(69), reason: .repeatedOffender)))
        #expect(blocklist.contains(Self.offender, at: at(9)))
        #expect(tracker.violations(of: Self.offender, at: at(9)) == 0)
    }

    @Test func violationsSpreadWiderThanTheWindowDoNotBlock() throws {
        var tracker = try OffenderTracker(OffenderTracker.Configuration(threshold: 3, window: .seconds(10)))
        // One violation every 5 s: any 10 s window holds two (the window is half-open at its start).
        for step in 0..<100 {
            let reached = tracker.recordViolation(by: Self.offender, at: at(Int64(step) * 5))
            #expect(!reached)
        }
        #expect(tracker.violations(of: Self.offender, at: at(495)) == 2)
        // A third within the window of the last two does.
        let reached = tracker.recordViolation(by: Self.offender, at: at(499))
        #expect(reached)
    }

    @Test func sourcesAreCountedSeparatelyAndBounded() throws {
        var tracker = try OffenderTracker(OffenderTracker.Configuration(threshold: 2, capacity: 50))
        for index in 0..<1_000 {
            let reached = tracker.recordViolation(by: .v4(.init(value: UInt32(index))), at: .zero)
            #expect(!reached)
        }
        #expect(tracker.trackedCount == 50)
        #expect(tracker.sweep(at: at(10)) == 50)
        #expect(tracker.trackedCount == 0)
    }

    @Test func allowlistedOffendersStayUnblocked() throws {
        var tracker = try OffenderTracker(OffenderTracker.Configuration(threshold: 1))
        var blocklist = try Blocklist(Blocklist.Configuration(allowlist: [IPPrefix(address: Self.offender)]))
        #expect(tracker.recordViolation(by: Self.offender, at: .zero, blocklist: &blocklist) == .allowlisted)
        #expect(!blocklist.contains(Self.offender, at: .zero))
    }
}
