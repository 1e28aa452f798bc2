/// A token bucket: up to `burst` tokens, refilled at `rate`; each message takes one.
///
/// The level is kept in integer units of `1 / rate.tokens` of a token-period: one token is `rate.periodNanoseconds`
/// units and each elapsed nanosecond adds `rate.tokens` units. Refill is therefore an exact integer product, and the
/// wait for a missing token an exact ceiling division, however many takes came before; nothing is rounded and so
/// nothing drifts. A bucket starts full, never holds more than `burst` tokens, and ignores time running backwards.
public struct TokenBucket: Hashable, Sendable {
    /// What a `take` came to.
    public enum Outcome: Hashable, Sendable {
        /// The tokens were taken.
        case allowed
        /// Too few tokens; `wait` is how long until enough will be there (what a Retry-After is made from).
        case denied(wait: Duration)
        /// More tokens were asked for than the bucket can ever hold.
        case exceedsBurst
    }

    public let rate: TokenRate
    /// The most tokens the bucket holds: how many messages may arrive back to back.
    public let burst: Int64
    /// The fill level in units (see the type's comment); `burst * rate.periodNanoseconds` when full.
    public private(set) var level: Int64
    /// The instant `level` was last brought up to date.
    public private(set) var updated: AdmissionInstant

    /// A full bucket at `now`. The caller checks `isValid(rate:burst:)` first; an invalid pair is clamped to one
    /// token per nanosecond and a burst of one, which keeps the arithmetic safe.
    public init(rate: TokenRate, burst: Int64, at now: AdmissionInstant) {
        let valid = Self.isValid(rate: rate, burst: burst)
        self.rate = valid ? rate : TokenRate(tokens: 1, per: .nanoseconds(1))
        self.burst = valid ? burst : 1
        self.level = self.burst * self.rate.periodNanoseconds
        self.updated = now
    }

    /// Whether `rate` and `burst` make a bucket whose arithmetic cannot overflow: both positive, and the full level
    /// plus one nanosecond's refill within `Int64`.
    public static func isValid(rate: TokenRate, burst: Int64) -> Bool {
        guard rate.isValid, burst > 0 else { return false }
        let (capacity, overflow) = burst.multipliedReportingOverflow(by: rate.periodNanoseconds)
        return !overflow && capacity.addingReportingOverflow(rate.tokens).overflow == false
    }

    /// The full level in units.
    public var capacity: Int64 { burst * rate.periodNanoseconds }

    /// Whole tokens in the bucket at `now`.
    public func tokens(at now: AdmissionInstant) -> Int64 {
        level(at: now) / rate.periodNanoseconds
    }

    /// Takes `count` tokens at `now` if they are there; otherwise takes nothing and says how long to wait. Taking zero
    /// (or fewer) tokens always succeeds.
    public mutating func take(_ count: Int64 = 1, at now: AdmissionInstant) -> Outcome {
        guard count <= burst else { return .exceedsBurst }
        refill(to: now)
        guard count > 0 else { return .allowed }
        let cost = count * rate.periodNanoseconds
        guard level >= cost else { return .denied(wait: Self.wait(missing: cost - level, rate: rate)) }
        level -= cost
        return .allowed
    }

    /// How long from `now` until `count` tokens are there: zero if they already are. Changes nothing, so several
    /// buckets can be asked before any of them is charged. Nil if `count` exceeds the burst.
    public func wait(for count: Int64 = 1, at now: AdmissionInstant) -> Duration? {
        guard count <= burst else { return nil }
        guard count > 0 else { return .zero }
        let cost = count * rate.periodNanoseconds
        let current = level(at: now)
        return current >= cost ? .zero : Self.wait(missing: cost - current, rate: rate)
    }

    /// Whether the bucket is full at `now`: an idle bucket, which forgetting costs nothing, since a new one starts
    /// full.
    public func isFull(at now: AdmissionInstant) -> Bool {
        level(at: now) == capacity
    }

    /// Brings the level up to `now`. Time that runs backwards adds nothing and does not move `updated` back.
    private mutating func refill(to now: AdmissionInstant) {
        level = level(at: now)
        if now > updated { updated = now }
    }

    /// The level at `now`, computed without overflow: once the elapsed time would fill the bucket, it is full.
    private func level(at now: AdmissionInstant) -> Int64 {
        guard now > updated else { return level }
        let deficit = capacity - level
        guard deficit > 0 else { return level }
        let (elapsed, overflow) = now.nanoseconds.subtractingReportingOverflow(updated.nanoseconds)
        // Nanoseconds needed to fill up: ceil(deficit / tokens). Below that, elapsed * tokens < deficit + tokens,
        // which `isValid` keeps inside Int64.
        let fillTime = (deficit + rate.tokens - 1) / rate.tokens
        if overflow || elapsed >= fillTime { return capacity }
        return level + elapsed * rate.tokens
    }

    /// The nanoseconds until `missing` units have been added: the exact ceiling of `missing / rate.tokens`.
    private static func wait(missing: Int64, rate: TokenRate) -> Duration {
        .nanoseconds((missing + rate.tokens - 1) / rate.tokens)
    }
}
