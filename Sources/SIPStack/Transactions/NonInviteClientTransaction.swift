import SIPMessage

/// The non-INVITE client transaction of RFC 3261 §17.1.2 (Figure 6).
///
/// ```
///                                   |Request from TU
///                                   |send request
///               Timer E             V
///               send request  +-----------+
///                   +---------|           |-------------------+
///                   |         |  Trying   |  Timer F          |
///                   +-------->|           |  or Transport Err.|
///                             +-----------+  inform TU        |
///                200-699         |  |                         |
///                resp. to TU     |  |1xx                      |
///                +---------------+  |resp. to TU              |
///                |                  |                         |
///                |   Timer E        V       Timer F           |
///                |   send req +-----------+ or Transport Err. |
///                |  +---------|           | inform TU         |
///                |  |         |Proceeding |------------------>|
///                |  +-------->|           |-----+             |
///                |            +-----------+     |1xx          |
///                |              |      ^        |resp to TU   |
///                | 200-699      |      +--------+             |
///                | resp. to TU  |                             |
///                |              |                             |
///                |              V                             |
///                |            +-----------+                   |
///                |            |           |                   |
///                |            | Completed |                   |
///                |            |           |                   |
///                |            +-----------+                   |
///                |              ^   |                         |
///                |              |   | Timer K                 |
///                +--------------+   | -                       |
///                                   |                         |
///                                   V                         |
///                             +-----------+                   |
///                             |           |                   |
///                             | Terminated|<------------------+
///                             |           |
///                             +-----------+
/// ```
///
/// Timer E runs on unreliable transports only: T1, doubling up to T2 in Trying (500 ms, 1 s, 2 s, 4 s, 4 s, …), and
/// T2 each time it fires in Proceeding. Timer K is zero on a reliable transport, where a final response ends the
/// transaction at once. Responses in Completed are absorbed. A response whose CSeq is not the request's is ignored.
public struct NonInviteClientTransaction: Sendable {
    public enum State: Sendable, Hashable {
        /// The request was sent; `timerE` is the interval Timer E was last started with (nil on a reliable transport).
        case trying(timerE: Duration?)
        /// A provisional response arrived; Timer E now restarts with T2 each time it fires.
        case proceeding
        /// A final response arrived and went to the TU; retransmissions of it are absorbed until Timer K fires.
        case completed
        case terminated
    }

    /// The request this transaction sends (any method but INVITE and ACK).
    public let request: SIPMessage
    /// The key responses to it match (§17.1.3).
    public let key: TransactionKey
    /// TCP or TLS (no retransmissions, Timer K zero) rather than UDP.
    public let isReliable: Bool
    public let timers: TransactionTimers
    public private(set) var state: State
    private let cseq: CSeq
    private var isStarted = false

    /// A transaction for `request`, in Trying; `start()` sends it.
    ///
    /// - Throws: `.wrongMessageKind`, `.wrongMethod` (INVITE or ACK), `.malformedMessage`, `.missingBranch`.
    public init(
        request: SIPMessage, isReliable: Bool, timers: TransactionTimers = TransactionTimers()
    )
        throws(TransactionError)
    {
        cseq = try TransactionMessages.checkedCSeq(of: request, machine: "non-INVITE client transaction") {
            $0 != .invite && $0 != .ack
        }
        key = try TransactionKey(clientSide: request)
        self.request = request
        self.isReliable = isReliable
        self.timers = timers
        state = .trying(timerE: isReliable ? nil : timers.t1)
    }

    /// Sends the request and starts Timer E (unreliable transports) and Timer F (§17.1.2.2). Only the first call acts.
    public mutating func start() -> [TransactionAction] {
        guard !isStarted, case .trying(let timerE) = state else { return [] }
        isStarted = true
        // RFC 3261 §17.1.2.2: the request is passed to the transport; Timer E (unreliable only) and Timer F start.
        var actions: [TransactionAction] = [.send(request)]
        if let timerE { actions.append(.startTimer(.timerE, after: timerE)) }
        actions.append(.startTimer(.timerF, after: timers.timerF))
        return actions
    }

    /// A response matched to this transaction (§17.1.3) arrived.
    public mutating func receive(response: SIPMessage) -> [TransactionAction] {
        guard isStarted, let responseClass = TransactionMessages.responseClass(response, answering: cseq) else {
            return []
        }
        switch (state, responseClass) {
        case (.trying, .provisional):
            // RFC 3261 §17.1.2.2: Trying → Proceeding; Timer E keeps running.
            state = .proceeding
            return [.passUp(response)]
        case (.proceeding, .provisional):
            return [.passUp(response)]
        case (.trying, .success), (.trying, .failure), (.proceeding, .success), (.proceeding, .failure):
            // RFC 3261 §17.1.2.2: a final response goes to the TU; Completed, Timer K.
            let timerK = timers.timerK(isReliable: isReliable)
            if timerK == .zero {
                state = .terminated
                return [.passUp(response), .terminated]
            }
            let cancels: [TransactionAction] = [.cancelTimer(.timerE), .cancelTimer(.timerF)]
            state = .completed
            return cancels + [.passUp(response), .startTimer(.timerK, after: timerK)]
        case (.completed, _), (.terminated, _):
            // RFC 3261 §17.1.2.2: retransmissions in Completed are absorbed.
            return []
        }
    }

    /// A timer this transaction started fired. A timer that does not belong to the current state is ignored.
    public mutating func timerFired(_ timer: TransactionTimer) -> [TransactionAction] {
        guard isStarted else { return [] }
        switch (timer, state) {
        case (.timerE, .trying(let interval?)):
            // RFC 3261 §17.1.2.2: retransmit; the interval doubles up to T2.
            let next = timers.doubledCappedAtT2(interval)
            state = .trying(timerE: next)
            return [.send(request), .startTimer(.timerE, after: next)]
        case (.timerE, .proceeding) where !isReliable:
            // RFC 3261 §17.1.2.2: in Proceeding, retransmit and restart Timer E with T2.
            return [.send(request), .startTimer(.timerE, after: timers.t2)]
        case (.timerF, .trying), (.timerF, .proceeding):
            // RFC 3261 §17.1.2.2: Timer F fired; tell the TU of the timeout.
            state = .terminated
            return [.timeout, .terminated]
        case (.timerK, .completed):
            // RFC 3261 §17.1.2.2: Completed → Terminated.
            state = .terminated
            return [.terminated]
        default:
            return []
        }
    }

    /// The transport could not send the request (§17.1.2.2, §17.1.4).
    public mutating func transportFailed() -> [TransactionAction] {
        switch state {
        case .trying where isStarted, .proceeding:
            // RFC 3261 §17.1.2.2: a transport error in Trying or Proceeding informs the TU and terminates.
            state = .terminated
            return [.transportError, .terminated]
        case .trying, .completed, .terminated:
            return []
        }
    }
}
