/// How fast a token bucket refills: `tokens` every `period`.
///
/// A rate is a whole number of tokens per period rather than a floating-point "per second", so that "one REGISTER
/// every 2 seconds" (`TokenRate(tokens: 1, per: .seconds(2))`) and "50 INVITEs per second" are both exact.
public struct TokenRate: Hashable, Sendable, CustomStringConvertible {
    /// Tokens added per period; at least 1 in a valid rate.
    public var tokens: Int64
    /// The period in whole nanoseconds; at least 1 in a valid rate.
    public var periodNanoseconds: Int64

    public init(tokens: Int64, per period: Duration) {
        self.tokens = tokens
        self.periodNanoseconds = period.wholeNanoseconds
    }

    /// `count` tokens every second.
    public static func perSecond(_ count: Int64) -> TokenRate {
        TokenRate(tokens: count, per: .seconds(1))
    }

    /// The period as a duration.
    public var period: Duration { .nanoseconds(periodNanoseconds) }

    /// Whether both numbers are positive.
    public var isValid: Bool { tokens > 0 && periodNanoseconds > 0 }

    public var description: String { "\(tokens)/\(period)" }
}
