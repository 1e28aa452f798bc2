/// The timers of the four transaction machines (RFC 3261 §17 and Table 4 of Appendix A, RFC 6026 §7), and the
/// 200 ms wait of an INVITE server transaction before it answers 100 (Trying) itself (RFC 3261 §17.2.1).
///
/// A machine never reads a clock: it asks the edge to start or cancel a timer (`TransactionAction.startTimer`,
/// `.cancelTimer`), and the edge reports the firing back as an event (`timerFired(_:)`). A transaction has at most
/// one instance of each timer; starting one that is running restarts it.
public enum TransactionTimer: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// INVITE request retransmission, unreliable transports only (§17.1.1.2): T1, then doubling.
    case timerA
    /// INVITE transaction timeout (§17.1.1.2): 64·T1.
    case timerB
    /// Wait for retransmitted final responses in Completed (§17.1.1.2): ≥ 32 s unreliable, 0 reliable.
    case timerD
    /// Non-INVITE request retransmission, unreliable transports only (§17.1.2.2): T1, doubling, capped at T2.
    case timerE
    /// Non-INVITE transaction timeout (§17.1.2.2): 64·T1.
    case timerF
    /// INVITE final response retransmission, unreliable transports only (§17.2.1): T1, doubling, capped at T2.
    case timerG
    /// Wait for the ACK (§17.2.1): 64·T1.
    case timerH
    /// Wait for ACK retransmissions in Confirmed (§17.2.1): T4 unreliable, 0 reliable.
    case timerI
    /// Wait for non-INVITE request retransmissions in Completed (§17.2.2): 64·T1 unreliable, 0 reliable.
    case timerJ
    /// Wait for non-INVITE response retransmissions in Completed (§17.1.2.2): T4 unreliable, 0 reliable.
    case timerK
    /// INVITE server transaction in Accepted: absorb INVITE retransmissions (RFC 6026 §7.1): 64·T1.
    case timerL
    /// INVITE client transaction in Accepted: pass up 2xx retransmissions and forks (RFC 6026 §7.2): 64·T1.
    case timerM
    /// INVITE server transaction: send 100 (Trying) if the TU has not answered by then (§17.2.1): 200 ms.
    case trying100

    /// `Timer A`, …, `100 (Trying) timer`.
    public var description: String {
        switch self {
        case .trying100: "100 (Trying) timer"
        default: "Timer " + rawValue.dropFirst("timer".count).uppercased()
        }
    }
}
