import SIPMessage

/// The INVITE client transaction of RFC 3261 §17.1.1, with the Accepted state of RFC 6026 §7.2.
///
/// ```
///                                |INVITE from TU
///              Timer A fires     |INVITE sent
///              Reset A,          V
///              INVITE sent +-----------+
///                +---------|           |
///                |         |  Calling  |
///                +-------->|           |
///                          +-----------+
///                   300-699  |    |    | 2xx
///                   ACK sent |    |    | 2xx to TU
///               resp. to TU  |    |    +-------------------------+
///                            |    | 1xx                          |
///                            |    | 1xx to TU                    |
///                            |    V                              |
///                            | +------------+                    |
///                            | |            |--+ 1xx             |
///                            | | Proceeding |  | 1xx to TU       |
///                            | |            |<-+                 |
///                            | +------------+                    |
///                            |    |       | 2xx                  |
///                            |    |       | 2xx to TU            |
///                            |    |       +--------------------+ |
///                            |    | 300-699                    | |
///                            |    | ACK sent, resp. to TU      V V
///                            V    V                      +----------+
///                      +-----------+                     |          |--+ 2xx
///                      |           |--+ 300-699          | Accepted |  | 2xx to TU
///                      | Completed |  | ACK sent         |          |<-+
///                      |           |<-+                  +----------+
///                      +-----------+                          |
///                            |                                | Timer M fires
///                            | Timer D fires                  | -
///                            | -                              |
///                            V                                V
///                      +--------------------------------------------+
///                      |                 Terminated                 |
///                      +--------------------------------------------+
///
///   Timer B fires in Calling: inform TU (timeout), Terminated.
///   Transport Err. in Calling or Completed: inform TU, Terminated.
/// ```
///
/// Timer A runs on unreliable transports only and doubles without a cap (T1, 2·T1, 4·T1, …) until Timer B (64·T1)
/// ends the transaction. The ACK for a non-2xx final response is built here (§17.1.1.3); the ACK for a 2xx belongs
/// to the TU (the dialog), which also sees every 2xx (retransmissions and forks) while the machine is Accepted.
/// Timer D is zero on a reliable transport: the machine then goes from Calling or Proceeding straight to
/// Terminated. A response whose CSeq is not the INVITE's, or whose status is outside 100–699, is ignored.
public struct InviteClientTransaction: Sendable {
    public enum State: Sendable, Equatable {
        /// The INVITE was sent; `timerA` is the interval Timer A was last started with (nil on a reliable transport).
        case calling(timerA: Duration?)
        /// A provisional response arrived; the request is no longer retransmitted and Timer B no longer runs.
        case proceeding
        /// A 300–699 response arrived; `ack` answers each retransmission of it until Timer D fires.
        case completed(ack: SIPMessage)
        /// A 2xx arrived; further 2xx go to the TU until Timer M fires (RFC 6026 §7.2).
        case accepted
        case terminated

        public static func == (lhs: State, rhs: State) -> Bool {
            switch (lhs, rhs) {
            case (.calling(let left), .calling(let right)): left == right
            case (.completed(let left), .completed(let right)): left.serialize() == right.serialize()
            case (.proceeding, .proceeding), (.accepted, .accepted), (.terminated, .terminated): true
            case (.calling, _), (.proceeding, _), (.completed, _), (.accepted, _), (.terminated, _): false
            }
        }
    }

    /// The INVITE this transaction sends.
    public let request: SIPMessage
    /// The key responses to it match (§17.1.3).
    public let key: TransactionKey
    /// TCP or TLS (no request retransmissions, Timer D zero) rather than UDP.
    public let isReliable: Bool
    public let timers: TransactionTimers
    public private(set) var state: State
    private let cseq: CSeq
    private var isStarted = false

    /// A transaction for `request`, in Calling; `start()` sends it.
    ///
    /// - Throws: `.wrongMessageKind`, `.wrongMethod` (not an INVITE), `.malformedMessage` (no From, To, Call-ID,
    ///   Via or CSeq of method INVITE), `.missingBranch`.
    public init(
        request: SIPMessage, isReliable: Bool, timers: TransactionTimers = TransactionTimers()
    )
        throws(TransactionError)
    {
        cseq = try TransactionMessages.checkedCSeq(of: request, machine: "INVITE client transaction") {
            $0 == .invite
        }
        key = try TransactionKey(clientSide: request)
        self.request = request
        self.isReliable = isReliable
        self.timers = timers
        state = .calling(timerA: isReliable ? nil : timers.t1)
    }

    /// Sends the INVITE and starts Timer A (unreliable transports) and Timer B (§17.1.1.2). Only the first call acts.
    public mutating func start() -> [TransactionAction] {
        guard !isStarted, case .calling(let timerA) = state else { return [] }
        isStarted = true
        // RFC 3261 §17.1.1.2: the INVITE is passed to the transport; Timer A (unreliable only) and Timer B start.
        var actions: [TransactionAction] = [.send(request)]
        if let timerA { actions.append(.startTimer(.timerA, after: timerA)) }
        actions.append(.startTimer(.timerB, after: timers.timerB))
        return actions
    }

    /// A response matched to this transaction (§17.1.3) arrived.
    public mutating func receive(response: SIPMessage) -> [TransactionAction] {
        guard isStarted, let responseClass = TransactionMessages.responseClass(response, answering: cseq) else {
            return []
        }
        switch (state, responseClass) {
        case (.calling, .provisional):
            // RFC 3261 §17.1.1.2: Calling → Proceeding; no more retransmissions, Timer B no longer applies.
            let cancels = leaveCalling()
            state = .proceeding
            return cancels + [.passUp(response)]
        case (.proceeding, .provisional):
            // RFC 3261 §17.1.1.2: further provisional responses go to the TU.
            return [.passUp(response)]
        case (.calling, .success), (.proceeding, .success):
            // RFC 6026 §7.2: a 2xx moves to Accepted and goes to the TU, which sends the ACK.
            let cancels = leaveCalling()
            state = .accepted
            return cancels + [.passUp(response), .startTimer(.timerM, after: timers.timerM)]
        case (.accepted, .success):
            // RFC 6026 §7.2: retransmitted and forked 2xx responses go to the TU too.
            return [.passUp(response)]
        case (.calling, .failure), (.proceeding, .failure):
            return complete(with: response)
        case (.completed(let ack), .failure):
            // RFC 3261 §17.1.1.2: a retransmitted final response is answered with the ACK, not passed up.
            return [.send(ack)]
        case (.completed, _), (.accepted, _), (.terminated, _), (.proceeding, _), (.calling, _):
            return []
        }
    }

    /// A timer this transaction started fired. A timer that does not belong to the current state is ignored.
    public mutating func timerFired(_ timer: TransactionTimer) -> [TransactionAction] {
        switch (timer, state) {
        case (.timerA, .calling(let interval?)) where isStarted:
            // RFC 3261 §17.1.1.2: retransmit and restart Timer A with twice the interval.
            let next = interval * 2
            state = .calling(timerA: next)
            return [.send(request), .startTimer(.timerA, after: next)]
        case (.timerB, .calling) where isStarted:
            // RFC 3261 §17.1.1.2: Timer B fired in Calling; tell the TU of the timeout.
            state = .terminated
            return [.timeout, .terminated]
        case (.timerD, .completed):
            // RFC 3261 §17.1.1.2: Completed → Terminated.
            state = .terminated
            return [.terminated]
        case (.timerM, .accepted):
            // RFC 6026 §7.2: Accepted → Terminated.
            state = .terminated
            return [.terminated]
        default:
            return []
        }
    }

    /// The transport could not send the INVITE or the ACK (§17.1.1.2, §17.1.4).
    public mutating func transportFailed() -> [TransactionAction] {
        switch state {
        case .calling where isStarted, .completed:
            // RFC 3261 §17.1.1.2: a transport error in Calling or Completed informs the TU and terminates.
            state = .terminated
            return [.transportError, .terminated]
        case .calling, .proceeding, .accepted, .terminated:
            return []
        }
    }

    /// RFC 3261 §17.1.1.2: a 300–699 response in Calling or Proceeding is passed up and answered with an ACK
    /// (§17.1.1.3); Timer D then keeps the machine in Completed to absorb retransmissions of the response.
    private mutating func complete(with response: SIPMessage) -> [TransactionAction] {
        guard let ack = TransactionMessages.ack(for: request, response: response) else { return [] }
        let timerD = timers.timerD(isReliable: isReliable)
        if timerD == .zero {
            state = .terminated
            return [.send(ack), .passUp(response), .terminated]
        }
        let cancels = leaveCalling()
        state = .completed(ack: ack)
        return cancels + [.send(ack), .passUp(response), .startTimer(.timerD, after: timerD)]
    }

    /// The timers Calling runs, to cancel when the machine leaves it (none when leaving Proceeding).
    private func leaveCalling() -> [TransactionAction] {
        guard case .calling(let timerA) = state else { return [] }
        return (timerA == nil ? [] : [.cancelTimer(.timerA)]) + [.cancelTimer(.timerB)]
    }
}
