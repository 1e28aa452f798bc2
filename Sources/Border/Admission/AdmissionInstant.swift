/// A point on the admission timeline: whole nanoseconds since an epoch the caller chooses (process start for live
/// traffic, the first packet for a replayed capture).
///
/// Admission control never reads a clock; every call takes the instant it happens at (STYLE rule 10). Integer
/// nanoseconds keep token arithmetic exact: a bucket that refills for a million intervals has gained exactly what the
/// rate says, with no floating-point drift.
public struct AdmissionInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the epoch.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The instant `elapsed` after the epoch (rounded down to whole nanoseconds).
    public init(sinceEpoch elapsed: Duration) {
        self.nanoseconds = elapsed.wholeNanoseconds
    }

    /// The epoch itself.
    public static let zero = AdmissionInstant(nanoseconds: 0)

    /// The time since the epoch.
    public var sinceEpoch: Duration { .nanoseconds(nanoseconds) }

    public var description: String { "\(sinceEpoch)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The instant `duration` later; saturates instead of overflowing, so "blocked for a very long time" stays valid.
    public static func + (lhs: Self, rhs: Duration) -> Self {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.wholeNanoseconds)
        guard overflow else { return Self(nanoseconds: sum) }
        return Self(nanoseconds: rhs < .zero ? .min : .max)
    }

    /// The instant `duration` earlier (saturating).
    public static func - (lhs: Self, rhs: Duration) -> Self {
        let (difference, overflow) = lhs.nanoseconds.subtractingReportingOverflow(rhs.wholeNanoseconds)
        guard overflow else { return Self(nanoseconds: difference) }
        return Self(nanoseconds: rhs < .zero ? .max : .min)
    }

    /// The time from `rhs` to `lhs` (negative when `lhs` is earlier).
    public static func - (lhs: Self, rhs: Self) -> Duration {
        .nanoseconds(lhs.nanoseconds) - .nanoseconds(rhs.nanoseconds)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, rounded toward zero and clamped to the range of `Int64`.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, sumOverflow) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !sumOverflow else { return seconds < 0 ? .min : .max }
        return total
    }
}
