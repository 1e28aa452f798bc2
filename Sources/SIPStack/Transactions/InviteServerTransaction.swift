import SIPMessage

/// The INVITE server transaction of RFC 3261 §17.2.1, with the Accepted state of RFC 6026 §7.1.
///
/// ```
///                                |INVITE
///                                |pass INV to TU
///             INVITE             V send 100 if TU won't in 200 ms
///             send response+------------+
///                 +--------|            |--------+ 101-199 from TU
///                 |        | Proceeding |        | send response
///                 +------->|            |<-------+
///                          +------------+
///             300-699 from TU |      |
///             send response   |      | 2xx from TU
///                             |      | send response
///                             V      +---------------------+
///             INVITE   +-----------+                       V
///             send     |           |                 +----------+
///             response | Completed |                 |          |--+ INVITE: -
///                +-----|           |--+              | Accepted |  | ACK: to TU
///                +---->|           |<-+ Timer G      |          |<-+ 2xx from TU:
///                      +-----------+    fires        +----------+     send response
///                         |     |       send response      |
///                     ACK |     |                          | Timer L fires
///                     -   |     | Timer H fires            | -
///                         V     | inform TU                |
///                +-----------+  |                          |
///                | Confirmed |  |                          |
///                +-----------+  |                          |
///                      |        |                          |
///        Timer I fires |        |                          |
///        -             V        V                          V
///                +-------------------------------------------------+
///                |                   Terminated                    |
///                +-------------------------------------------------+
///
///   Transport Err. in Proceeding or Completed: inform TU, Terminated.
///   Transport Err. in Accepted: inform TU, stay (absorb INVITEs until Timer L).
/// ```
///
/// Created with the INVITE, the machine passes it up and starts the 100 (Trying) timer (`TransactionTimers.
/// trying100Delay`, 200 ms by default, zero to send 100 at once); the TU's first response cancels it. A retransmitted
/// INVITE is answered with the last provisional response in Proceeding and the final response in Completed, and
/// absorbed in Confirmed and Accepted. Timer G runs on unreliable transports only (T1, doubling up to T2); Timer I is
/// zero on a reliable transport, where the ACK ends the transaction. In Accepted (RFC 6026 §7.1) the TU's 2xx
/// retransmissions are sent and an ACK that matches (only possible from an RFC 2543 peer or one reusing the branch)
/// goes to the TU. A transport error in Accepted is reported to the TU but does not end the transaction, which
/// must keep absorbing INVITE retransmissions until Timer L.
public struct InviteServerTransaction: Sendable {
    public enum State: Sendable, Equatable {
        /// The INVITE went to the TU; `lastProvisional` is the last 1xx sent (nil until the TU or the 100 (Trying)
        /// timer produced one, and while it is nil the 100 (Trying) timer runs).
        case proceeding(lastProvisional: SIPMessage?)
        /// A 300–699 `response` was sent; `timerG` is the interval Timer G was last started with (nil on a reliable
        /// transport).
        case completed(response: SIPMessage, timerG: Duration?)
        /// The ACK arrived; further ACKs are absorbed until Timer I fires.
        case confirmed
        /// A 2xx was sent (RFC 6026 §7.1); the TU retransmits it, the machine absorbs INVITE retransmissions.
        case accepted
        case terminated

        public static func == (lhs: State, rhs: State) -> Bool {
            switch (lhs, rhs) {
            case (.proceeding(let left), .proceeding(let right)):
                left?.serialize() == right?.serialize()
            case (.completed(let left, let leftG), .completed(let right, let rightG)):
                left.serialize() == right.serialize() && leftG == rightG
            case (.confirmed, .confirmed), (.accepted, .accepted), (.terminated, .terminated): true
            case (.proceeding, _), (.completed, _), (.confirmed, _), (.accepted, _), (.terminated, _): false
            }
        }
    }

    /// The INVITE that created the transaction.
    public let request: SIPMessage
    /// The key retransmissions of the INVITE and the ACK for a non-2xx response match (§17.2.3).
    public let key: TransactionKey
    /// TCP or TLS (no response retransmissions, Timer I zero) rather than UDP.
    public let isReliable: Bool
    public let timers: TransactionTimers
    public private(set) var state: State
    private let cseq: CSeq
    private var isStarted = false

    /// A transaction for a received INVITE, in Proceeding; `start()` passes it to the TU.
    ///
    /// - Throws: `.wrongMessageKind`, `.wrongMethod` (not an INVITE), `.malformedMessage` (400).
    public init(
        request: SIPMessage, isReliable: Bool, timers: TransactionTimers = TransactionTimers()
    )
        throws(TransactionError)
    {
        cseq = try TransactionMessages.checkedCSeq(of: request, machine: "INVITE server transaction") {
            $0 == .invite
        }
        key = try TransactionKey(serverSide: request)
        self.request = request
        self.isReliable = isReliable
        self.timers = timers
        state = .proceeding(lastProvisional: nil)
    }

    /// Passes the INVITE to the TU and starts the 100 (Trying) timer, or sends 100 (Trying) at once when its delay
    /// is zero (§17.2.1). Only the first call acts.
    public mutating func start() -> [TransactionAction] {
        guard !isStarted, case .proceeding(nil) = state else { return [] }
        isStarted = true
        // RFC 3261 §17.2.1: the INVITE goes to the TU; a 100 (Trying) unless the TU answers within 200 ms.
        guard timers.trying100Delay > .zero else {
            let trying = TransactionMessages.trying(answering: request)
            state = .proceeding(lastProvisional: trying)
            return [.send(trying), .passUp(request)]
        }
        return [.passUp(request), .startTimer(.trying100, after: timers.trying100Delay)]
    }

    /// A request matched to this transaction (§17.2.3): a retransmission of the INVITE, or the ACK.
    public mutating func receive(request received: SIPMessage) -> [TransactionAction] {
        guard isStarted else { return [] }
        if TransactionMessages.isRequest(received, method: .invite, sequence: cseq.sequence) {
            switch state {
            case .proceeding(let lastProvisional?):
                // RFC 3261 §17.2.1: a retransmission in Proceeding gets the most recent provisional response.
                return [.send(lastProvisional)]
            case .completed(let response, _):
                // RFC 3261 §17.2.1: a retransmission in Completed gets the final response again.
                return [.send(response)]
            case .proceeding(nil), .confirmed, .accepted, .terminated:
                // RFC 6026 §7.1: absorbed in Accepted; nothing to repeat before the first response.
                return []
            }
        }
        guard TransactionMessages.isRequest(received, method: .ack, sequence: cseq.sequence) else { return [] }
        switch state {
        case .completed(_, let timerG):
            // RFC 3261 §17.2.1: the ACK moves Completed → Confirmed; Timer I absorbs ACK retransmissions.
            let timerI = timers.timerI(isReliable: isReliable)
            if timerI == .zero {
                state = .terminated
                return [.terminated]
            }
            let cancels: [TransactionAction] = (timerG == nil ? [] : [.cancelTimer(.timerG)]) + [.cancelTimer(.timerH)]
            state = .confirmed
            return cancels + [.startTimer(.timerI, after: timerI)]
        case .accepted:
            // RFC 6026 §7.1: an ACK matched in Accepted goes to the TU.
            return [.passUp(received)]
        case .proceeding, .confirmed, .terminated:
            // RFC 3261 §17.2.1: ACKs in Confirmed are absorbed; one before a final response is out of place.
            return []
        }
    }

    /// A response from the TU, for the transaction to send (§17.2.1).
    public mutating func sendResponse(_ response: SIPMessage) -> [TransactionAction] {
        guard isStarted, let responseClass = TransactionMessages.responseClass(response, answering: cseq) else {
            return []
        }
        switch (state, responseClass) {
        case (.proceeding(let lastProvisional), .provisional):
            // RFC 3261 §17.2.1: provisional responses are sent and not retransmitted by the transaction.
            state = .proceeding(lastProvisional: response)
            return cancelTrying(lastProvisional) + [.send(response)]
        case (.proceeding(let lastProvisional), .success):
            // RFC 6026 §7.1: a 2xx moves to Accepted, Timer L.
            state = .accepted
            return cancelTrying(lastProvisional) + [.send(response), .startTimer(.timerL, after: timers.timerL)]
        case (.proceeding(let lastProvisional), .failure):
            // RFC 3261 §17.2.1: a 300–699 moves to Completed; Timer G (unreliable only) and Timer H start.
            let timerG = isReliable ? nil : timers.t1
            state = .completed(response: response, timerG: timerG)
            var actions = cancelTrying(lastProvisional) + [.send(response)]
            if let timerG { actions.append(.startTimer(.timerG, after: timerG)) }
            actions.append(.startTimer(.timerH, after: timers.timerH))
            return actions
        case (.accepted, .success):
            // RFC 6026 §7.1: the TU's 2xx retransmissions are sent.
            return [.send(response)]
        case (.proceeding, _), (.completed, _), (.confirmed, _), (.accepted, _), (.terminated, _):
            return []
        }
    }

    /// A timer this transaction started fired. A timer that does not belong to the current state is ignored.
    public mutating func timerFired(_ timer: TransactionTimer) -> [TransactionAction] {
        guard isStarted else { return [] }
        switch (timer, state) {
        case (.trying100, .proceeding(nil)):
            // RFC 3261 §17.2.1: the TU did not answer in time; the transaction sends 100 (Trying).
            let trying = TransactionMessages.trying(answering: request)
            state = .proceeding(lastProvisional: trying)
            return [.send(trying)]
        case (.timerG, .completed(let response, let interval?)):
            // RFC 3261 §17.2.1: retransmit the final response; the interval doubles up to T2.
            let next = timers.doubledCappedAtT2(interval)
            state = .completed(response: response, timerG: next)
            return [.send(response), .startTimer(.timerG, after: next)]
        case (.timerH, .completed):
            // RFC 3261 §17.2.1: no ACK came; Terminated, and the TU learns of the failure.
            state = .terminated
            return [.timeout, .terminated]
        case (.timerI, .confirmed):
            // RFC 3261 §17.2.1: Confirmed → Terminated.
            state = .terminated
            return [.terminated]
        case (.timerL, .accepted):
            // RFC 6026 §7.1: Accepted → Terminated.
            state = .terminated
            return [.terminated]
        default:
            return []
        }
    }

    /// The transport could not send a response (§17.2.4).
    public mutating func transportFailed() -> [TransactionAction] {
        guard isStarted else { return [] }
        switch state {
        case .proceeding, .completed:
            // RFC 3261 §17.2.1: a transport error in Proceeding or Completed informs the TU and terminates.
            state = .terminated
            return [.transportError, .terminated]
        case .accepted:
            // RFC 6026 §7.1: inform the TU, but stay to absorb INVITE retransmissions until Timer L.
            return [.transportError]
        case .confirmed, .terminated:
            return []
        }
    }

    /// The 100 (Trying) timer runs until the first provisional or final response.
    private func cancelTrying(_ lastProvisional: SIPMessage?) -> [TransactionAction] {
        lastProvisional == nil ? [.cancelTimer(.trying100)] : []
    }
}
