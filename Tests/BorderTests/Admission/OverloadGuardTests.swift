import Testing

@testable import Border

@Suite struct OverloadGuardTests {
    @Test func hysteresisBetweenTheWatermarks() throws {
        var guardian = try OverloadGuard(OverloadGuard.Configuration(highWatermark: 100, lowWatermark: 60))
        #expect(guardian.update(load: 99, at: at(1)) == nil)
        #expect(!guardian.isOverloaded)
        #expect(guardian.update(load: 100, at: at(2)) == .enteredOverload)
        #expect(guardian.state == .overloaded(since: at(2)))
        // Between the watermarks the state holds, whichever way the load moves.
        for load in [99, 80, 61, 75, 120] { #expect(guardian.update(load: load, at: at(3)) == nil) }
        #expect(guardian.isOverloaded)
        #expect(guardian.update(load: 60, at: at(4)) == .leftOverload)
        for load in [61, 99, 70] { #expect(guardian.update(load: load, at: at(5)) == nil) }
        #expect(!guardian.isOverloaded)
        #expect(guardian.update(load: 150, at: at(6)) == .enteredOverload)
    }

    @Test func onlyNewInvitesAreRefused() throws {
        var guardian = try OverloadGuard(OverloadGuard.Configuration(highWatermark: 10, lowWatermark: 5))
        #expect(!guardian.refuses(.invite, isInitialRequest: true))
        _ = guardian.update(load: 10, at: .zero)
        #expect(guardian.refuses(.invite, isInitialRequest: true))
        #expect(!guardian.refuses(.invite, isInitialRequest: false))
        #expect(!guardian.refuses(.bye, isInitialRequest: false))
        #expect(!guardian.refuses(.register, isInitialRequest: true))
    }

    @Test func watermarksMustBeOrdered() {
        #expect(throws: AdmissionConfigurationError.self) {
            try OverloadGuard(OverloadGuard.Configuration(highWatermark: 10, lowWatermark: 10))
        }
    }
}
