import Border
import GatehousePolicy
import SIPMessage
import Testing

@Suite struct AuthenticationFailureTrackerTests {
    let source = IPAddress.v4(IPv4Address(127, 0, 0, 4))
    let other = IPAddress.v4(IPv4Address(127, 0, 0, 5))

    func at(_ seconds: Int) -> AdmissionInstant { AdmissionInstant(nanoseconds: Int64(seconds) * 1_000_000_000) }

    func tracker(maximum: Int = 3) -> AuthenticationFailureTracker {
        AuthenticationFailureTracker(.init(maximum: maximum, window: .seconds(60), blockDuration: .seconds(600)))
    }

    @Test func aSourceIsBlockedAtTheMaximumWithinTheWindow() {
        var failures = tracker()
        #expect(!failures.recordFailure(identity: "a@x", from: source, at: at(0)).blockSource)
        #expect(!failures.recordFailure(identity: "b@x", from: source, at: at(10)).blockSource)
        #expect(failures.failures(from: source, at: at(10)) == 2)
        #expect(failures.recordFailure(identity: "c@x", from: source, at: at(20)).blockSource)
        // Its count starts again once it was reported.
        #expect(failures.failures(from: source, at: at(20)) == 0)
    }

    @Test func failuresSpreadWiderThanTheWindowDoNotBlock() {
        var failures = tracker()
        _ = failures.recordFailure(identity: nil, from: source, at: at(0))
        _ = failures.recordFailure(identity: nil, from: source, at: at(40))
        #expect(!failures.recordFailure(identity: nil, from: source, at: at(70)).blockSource)
    }

    @Test func anIdentityGuessedFromManySourcesIsLocked() {
        var failures = tracker()
        _ = failures.recordFailure(identity: "alice@ims", from: source, at: at(0))
        _ = failures.recordFailure(identity: "alice@ims", from: other, at: at(1))
        let verdict = failures.recordFailure(
            identity: "alice@ims", from: IPAddress.v4(IPv4Address(127, 0, 0, 6)), at: at(2))
        #expect(!verdict.blockSource)
        #expect(verdict.identityLockedUntil == at(602))
        #expect(failures.isLocked("alice@ims", at: at(601)))
        #expect(!failures.isLocked("alice@ims", at: at(602)))
        #expect(!failures.isLocked("bob@ims", at: at(3)))
        failures.sweep(at: at(700))
        #expect(!failures.isLocked("alice@ims", at: at(700)))
    }
}
