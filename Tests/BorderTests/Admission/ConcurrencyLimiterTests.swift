import Testing

@testable import Border

@Suite struct ConcurrencyLimiterTests {
    @Test func perPeerAndTotalLimits() throws {
        var limiter = try ConcurrencyLimiter(
            ConcurrencyLimiter.Configuration(total: 5, perPeer: 2, peers: ["lab-pbx": 3]))
        #expect(limiter.acquire(callID: "c1", peer: "lab-carrier") == .acquired)
        #expect(limiter.acquire(callID: "c2", peer: "lab-carrier") == .acquired)
        #expect(limiter.acquire(callID: "c3", peer: "lab-carrier") == .peerLimitReached(limit: 2))
        // lab-pbx has its own limit of 3, untouched by lab-carrier's calls.
        for call in ["p1", "p2", "p3"] { #expect(limiter.acquire(callID: call, peer: "lab-pbx") == .acquired) }
        #expect(limiter.acquire(callID: "p4", peer: "lab-pbx") == .peerLimitReached(limit: 3))
        #expect(limiter.acquire(callID: "u1", peer: nil) == .totalLimitReached(limit: 5))
        #expect(limiter.total == 5)
        #expect(limiter.calls(of: "lab-carrier") == 2)
        #expect(limiter.calls(of: "lab-pbx") == 3)
    }

    @Test func releaseIsIdempotent() throws {
        var limiter = try ConcurrencyLimiter(ConcurrencyLimiter.Configuration(total: 2, perPeer: 1))
        #expect(limiter.acquire(callID: "c1", peer: "lab-carrier") == .acquired)
        #expect(limiter.acquire(callID: "c2", peer: nil) == .acquired)
        let releases = [
            limiter.release(callID: "c1"), limiter.release(callID: "c1"), limiter.release(callID: "c1"),
            limiter.release(callID: "never-held"),
        ]
        #expect(releases == [true, false, false, false])
        #expect(limiter.total == 1)
        #expect(limiter.calls(of: "lab-carrier") == 0)
        #expect(limiter.acquire(callID: "c3", peer: "lab-carrier") == .acquired)
        #expect(limiter.acquire(callID: "c4", peer: "lab-carrier") == .peerLimitReached(limit: 1))
    }

    @Test func aRetransmittedInviteDoesNotTakeASecondSlot() throws {
        var limiter = try ConcurrencyLimiter(ConcurrencyLimiter.Configuration(total: 1))
        #expect(limiter.acquire(callID: "c1", peer: "lab-carrier") == .acquired)
        #expect(limiter.acquire(callID: "c1", peer: "lab-carrier") == .alreadyHeld)
        #expect(limiter.total == 1)
        #expect(limiter.holds("c1"))
    }

    @Test func configurationIsChecked() {
        #expect(throws: AdmissionConfigurationError(.invalidLimit, "call limits must not be negative")) {
            try ConcurrencyLimiter(ConcurrencyLimiter.Configuration(perPeer: -1))
        }
        let computed = ConcurrencyLimiter.Configuration(action: .reject503(retryAfter: .computed))
        #expect(throws: AdmissionConfigurationError.self) { try ConcurrencyLimiter(computed) }
    }
}
