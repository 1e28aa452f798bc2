import Testing

@testable import Border

@Suite struct TokenBucketTests {
    @Test func startsFullAndAllowsTheBurstBackToBack() {
        var bucket = TokenBucket(rate: .perSecond(10), burst: 5, at: .zero)
        for _ in 0..<5 { #expect(bucket.take(at: .zero) == .allowed) }
        #expect(bucket.take(at: .zero) == .denied(wait: .milliseconds(100)))
        #expect(bucket.tokens(at: .zero) == 0)
    }

    @Test func waitIsTheExactTimeToTheNextToken() {
        var bucket = TokenBucket(rate: .perSecond(3), burst: 1, at: .zero)
        #expect(bucket.take(at: .zero) == .allowed)
        // One token every 333 333 333⅓ ns: the wait rounds up so that waiting exactly that long always succeeds.
        #expect(bucket.take(at: .zero) == .denied(wait: .nanoseconds(333_333_334)))
        #expect(bucket.take(at: AdmissionInstant(nanoseconds: 333_333_333)) == .denied(wait: .nanoseconds(1)))
        #expect(bucket.take(at: AdmissionInstant(nanoseconds: 333_333_334)) == .allowed)
        // The bucket was full at that instant: the ⅔ ns of refill beyond the burst are not kept.
        #expect(bucket.wait(at: AdmissionInstant(nanoseconds: 333_333_334)) == .nanoseconds(333_333_334))
    }

    /// Yields now and then (as does the next test): the suite's tests share two cooperative threads on a two-core
    /// machine, and a loop that held one for its whole run kept timing-sensitive tests from running.
    @Test func refillIsExactOverMillionsOfTakes() async {
        // 3 tokens per second never divides a second evenly. Drain the bucket, then take each token at the first
        // nanosecond it exists, ceil(n · 10⁹ / 3), after failing one nanosecond earlier: after 3 000 000 tokens,
        // exactly 1 000 000 seconds have passed and not a nanosecond's worth was lost or gained.
        var bucket = TokenBucket(rate: .perSecond(3), burst: 3, at: .zero)
        #expect(bucket.take(3, at: .zero) == .allowed)
        var early = 0
        var allowed = 0
        for token in Int64(1)...3_000_000 {
            let nanoseconds = (token * 1_000_000_000 + 2) / 3
            if bucket.take(at: AdmissionInstant(nanoseconds: nanoseconds - 1)) == .allowed { early += 1 }
            if bucket.take(at: AdmissionInstant(nanoseconds: nanoseconds)) == .allowed { allowed += 1 }
            if token % 50_000 == 0 { await Task.yield() }
        }
        #expect(early == 0)
        #expect(allowed == 3_000_000)
        #expect(bucket.take(at: at(1_000_000)) == .denied(wait: .nanoseconds(333_333_334)))
    }

    @Test func manySmallStepsAddUpToTheSameAsOneLongStep() async {
        var stepped = TokenBucket(rate: TokenRate(tokens: 7, per: .milliseconds(1_300)), burst: 1_000, at: .zero)
        var jumped = stepped
        for _ in 0..<1_000 { _ = stepped.take(1_000, at: .zero) }
        _ = jumped.take(1_000, at: .zero)
        var time = FakeTime()
        for step in 0..<1_234_567 {
            time.advance(by: .nanoseconds(97))
            _ = stepped.take(0, at: time.now)
            if step % 50_000 == 0 { await Task.yield() }
        }
        #expect(stepped.wait(for: 1_000, at: time.now) == jumped.wait(for: 1_000, at: time.now))
        #expect(stepped.tokens(at: time.now) == jumped.tokens(at: time.now))
        #expect(stepped.wait(at: time.now) == jumped.wait(at: time.now))
    }

    @Test func neverHoldsMoreThanTheBurst() {
        var bucket = TokenBucket(rate: .perSecond(1_000), burst: 3, at: .zero)
        #expect(bucket.tokens(at: at(3_600)) == 3)
        for _ in 0..<3 { #expect(bucket.take(at: at(3_600)) == .allowed) }
        #expect(bucket.take(at: at(3_600)) == .denied(wait: .milliseconds(1)))
    }

    @Test func slowRatesAndTimeGoingBackwards() {
        var bucket = TokenBucket(rate: TokenRate(tokens: 1, per: .seconds(2)), burst: 1, at: at(10))
        #expect(bucket.take(at: at(10)) == .allowed)
        #expect(bucket.take(at: at(11)) == .denied(wait: .seconds(1)))
        // A clock that jumps back adds nothing: the half token gained by 11 s is still all there is.
        #expect(bucket.take(at: at(5)) == .denied(wait: .seconds(1)))
        #expect(bucket.take(at: at(12)) == .allowed)
    }

    @Test func takingMoreThanTheBurstIsNeverAllowed() {
        var bucket = TokenBucket(rate: .perSecond(1), burst: 2, at: .zero)
        #expect(bucket.take(3, at: at(100)) == .exceedsBurst)
        #expect(bucket.wait(for: 3, at: at(100)) == nil)
        #expect(bucket.take(2, at: at(100)) == .allowed)
    }

    @Test func overflowingParametersAreInvalid() {
        #expect(TokenBucket.isValid(rate: .perSecond(1), burst: 1_000_000))
        #expect(!TokenBucket.isValid(rate: .perSecond(0), burst: 1))
        #expect(!TokenBucket.isValid(rate: .perSecond(1), burst: 0))
        #expect(!TokenBucket.isValid(rate: TokenRate(tokens: 1, per: .seconds(3_600)), burst: 1 << 32))
    }

    @Test func retryAfterRoundsUpToWholeSecondsAndIsAtLeastOne() {
        #expect(RetryAfter.seconds(for: .nanoseconds(1)) == 1)
        #expect(RetryAfter.seconds(for: .zero) == 1)
        #expect(RetryAfter.seconds(for: .seconds(2)) == 2)
        #expect(RetryAfter.seconds(for: .milliseconds(2_001)) == 3)
        #expect(RetryAfter.seconds(for: .seconds(Int64.max)) == UInt32.max)
    }

    @Test func instantsAddAndSubtractDurationsExactly() {
        let instant = AdmissionInstant(sinceEpoch: .milliseconds(1_500))
        #expect(instant.nanoseconds == 1_500_000_000)
        #expect(instant + .microseconds(1) == AdmissionInstant(nanoseconds: 1_500_001_000))
        #expect(instant - .seconds(2) == AdmissionInstant(nanoseconds: -500_000_000))
        #expect(at(3) - instant == .milliseconds(1_500))
        #expect(AdmissionInstant(sinceEpoch: .milliseconds(-1_500)).nanoseconds == -1_500_000_000)
        #expect((instant + .seconds(Int64.max)).nanoseconds == .max)
    }
}
