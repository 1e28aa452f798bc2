/// The timer values of the transaction machines (RFC 3261 §17, Table 4 of Appendix A; RFC 6026 §7).
///
/// Only T1, T2, T4, Timer D and the 100 (Trying) wait are settings; every other timer derives from them as the RFCs
/// define, so changing T1 (for a high-latency link, §17.1.1.1) stretches B, F, H, J, L and M with it. The timers
/// that only absorb retransmissions (D, I, J, K) are zero on reliable transports, and a machine that would start a
/// zero timer moves straight to Terminated instead.
public struct TransactionTimers: Sendable, Hashable {
    /// T1, the round-trip time estimate (§17.1.1.1). Default 500 ms.
    public var t1: Duration
    /// T2, the longest interval between retransmissions of non-INVITE requests and INVITE responses (§17.1.2.2).
    /// Default 4 s.
    public var t2: Duration
    /// T4, the longest time a message stays in the network (§17.1.2.2). Default 5 s.
    public var t4: Duration
    /// Timer D on unreliable transports: how long an INVITE client transaction keeps answering retransmitted final
    /// responses with an ACK (§17.1.1.2 asks for at least 32 s). Default 32 s.
    public var timerDUnreliable: Duration
    /// How long an INVITE server transaction waits for the TU's first response before it sends 100 (Trying)
    /// itself (§17.2.1); zero sends it at once. Default 200 ms.
    public var trying100Delay: Duration

    /// The RFC 3261 defaults: T1 500 ms, T2 4 s, T4 5 s, Timer D 32 s, 100 (Trying) after 200 ms.
    public init() {
        self.init(t1: .milliseconds(500))
    }

    public init(
        t1: Duration, t2: Duration = .seconds(4), t4: Duration = .seconds(5), timerDUnreliable: Duration = .seconds(32),
        trying100Delay: Duration = .milliseconds(200)
    ) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
        self.timerDUnreliable = timerDUnreliable
        self.trying100Delay = trying100Delay
    }

    /// INVITE transaction timeout, 64·T1 (§17.1.1.2).
    public var timerB: Duration { t1 * 64 }
    /// Non-INVITE transaction timeout, 64·T1 (§17.1.2.2).
    public var timerF: Duration { t1 * 64 }
    /// Wait for the ACK, 64·T1 (§17.2.1).
    public var timerH: Duration { t1 * 64 }
    /// INVITE server Accepted state, 64·T1 (RFC 6026 §7.1).
    public var timerL: Duration { t1 * 64 }
    /// INVITE client Accepted state, 64·T1 (RFC 6026 §7.2).
    public var timerM: Duration { t1 * 64 }

    /// Timer D: `timerDUnreliable`, or 0 on a reliable transport (§17.1.1.2).
    public func timerD(isReliable: Bool) -> Duration { isReliable ? .zero : timerDUnreliable }
    /// Timer I: T4, or 0 on a reliable transport (§17.2.1).
    public func timerI(isReliable: Bool) -> Duration { isReliable ? .zero : t4 }
    /// Timer J: 64·T1, or 0 on a reliable transport (§17.2.2).
    public func timerJ(isReliable: Bool) -> Duration { isReliable ? .zero : t1 * 64 }
    /// Timer K: T4, or 0 on a reliable transport (§17.1.2.2).
    public func timerK(isReliable: Bool) -> Duration { isReliable ? .zero : t4 }

    /// The interval after `interval` for Timers E and G: doubled, but never above T2 (§17.1.2.2, §17.2.1).
    func doubledCappedAtT2(_ interval: Duration) -> Duration { min(interval * 2, t2) }
}
