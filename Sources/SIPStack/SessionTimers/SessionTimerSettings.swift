import SIPMessage

/// What Gatehouse asks for and accepts in RFC 4028 session timers on every leg it is part of (policy `timers.
/// session_expires` and `timers.min_se`).
///
/// Gatehouse terminates session timers on each leg rather than passing them end to end: each leg negotiates its
/// own interval and refresher, and where the peer on a leg will not refresh, Gatehouse does. That way a call
/// whose endpoint vanished without a BYE ends on both legs, whatever either endpoint supports.
public struct SessionTimerSettings: Sendable, Hashable {
    /// The session interval, in seconds, Gatehouse asks for when the peer proposes none (Session-Expires).
    public var interval: UInt32
    /// The shortest interval, in seconds, Gatehouse accepts (its Min-SE); RFC 4028 §4 sets the floor at 90.
    public var minimum: UInt32

    public init(interval: UInt32 = 1800, minimum: UInt32 = 90) {
        self.minimum = max(minimum, MinSE.minimum.seconds)
        self.interval = max(interval, self.minimum)
    }
}
