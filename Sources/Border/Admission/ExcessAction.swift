/// What happens to a message over a limit: an answer that tells the sender when to come back, or silence.
///
/// A 503 with Retry-After is the polite answer for a peer that backs off (RFC 3261 §21.5.4); a silent drop costs
/// nothing to send and tells a flooder nothing. A request that cannot be answered (an ACK) or a response is always
/// dropped, whatever the action says.
public enum ExcessAction: Hashable, Sendable {
    /// Answer 503 Service Unavailable with a Retry-After header.
    case reject503(retryAfter: RetryAfter)
    /// Send nothing.
    case drop
}

/// The Retry-After seconds of a 503.
public enum RetryAfter: Hashable, Sendable {
    /// The time until the exceeded bucket has a token again, rounded up to whole seconds (at least 1). Only a rate
    /// limit can compute it; configuration validation refuses it elsewhere.
    case computed
    /// Always these seconds.
    case fixed(seconds: UInt32)

    /// Whole seconds for a wait, rounded up, at least 1 and at most `UInt32.max`.
    static func seconds(for wait: Duration) -> UInt32 {
        let nanoseconds = max(wait.wholeNanoseconds, 0)
        let seconds = nanoseconds / 1_000_000_000 + (nanoseconds % 1_000_000_000 == 0 ? 0 : 1)
        return UInt32(clamping: max(seconds, 1))
    }
}
