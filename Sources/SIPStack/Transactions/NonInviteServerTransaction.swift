import SIPMessage

/// The non-INVITE server transaction of RFC 3261 §17.2.2 (Figure 8).
///
/// ```
///                                  |Request received
///                                  |pass to TU
///                                  V
///                            +-----------+
///                            |           |
///                            | Trying    |-------------+
///                            |           |             |
///                            +-----------+             |200-699 from TU
///                                  |                   |send response
///                                  |1xx from TU        |
///                                  |send response      |
///                                  |                   |
///               Request            V      1xx from TU  |
///               send response+-----------+send response|
///                   +--------|           |--------+    |
///                   |        | Proceeding|        |    |
///                   +------->|           |<-------+    |
///            +<--------------|           |             |
///            |Trnsprt Err    +-----------+             |
///            |Inform TU            |                   |
///            |                     |                   |
///            |                     |200-699 from TU    |
///            |                     |send response      |
///            |  Request            V                   |
///            |  send response+-----------+             |
///            |      +--------|           |             |
///            |      |        | Completed |<------------+
///            |      +------->|           |
///            +<--------------|           |
///            |Trnsprt Err    +-----------+
///            |Inform TU            |
///            |                     |Timer J fires
///            |                     |-
///            |                     |
///            |                     V
///            |               +-----------+
///            |               |           |
///            +-------------->| Terminated|
///                            |           |
///                            +-----------+
/// ```
///
/// Request retransmissions are discarded in Trying and answered with the last response after that. Timer J is zero
/// on a reliable transport, where the final response ends the transaction at once.
public struct NonInviteServerTransaction: Sendable {
    public enum State: Sendable, Equatable {
        /// The request went to the TU, which has not answered yet.
        case trying
        /// `lastProvisional` was sent and answers each retransmission of the request.
        case proceeding(lastProvisional: SIPMessage)
        /// The final `response` was sent and answers each retransmission until Timer J fires.
        case completed(response: SIPMessage)
        case terminated

        public static func == (lhs: State, rhs: State) -> Bool {
            switch (lhs, rhs) {
            case (.proceeding(let left), .proceeding(let right)), (.completed(let left), .completed(let right)):
                left.serialize() == right.serialize()
            case (.trying, .trying), (.terminated, .terminated): true
            case (.trying, _), (.proceeding, _), (.completed, _), (.terminated, _): false
            }
        }
    }

    /// The request that created the transaction (any method but INVITE and ACK).
    public let request: SIPMessage
    /// The key retransmissions of the request match (§17.2.3).
    public let key: TransactionKey
    /// TCP or TLS (Timer J zero) rather than UDP.
    public let isReliable: Bool
    public let timers: TransactionTimers
    public private(set) var state: State
    private let cseq: CSeq
    private var isStarted = false

    /// A transaction for a received request, in Trying; `start()` passes it to the TU.
    ///
    /// - Throws: `.wrongMessageKind`, `.wrongMethod` (INVITE or ACK), `.malformedMessage` (400).
    public init(
        request: SIPMessage, isReliable: Bool, timers: TransactionTimers = TransactionTimers()
    )
        throws(TransactionError)
    {
        cseq = try TransactionMessages.checkedCSeq(of: request, machine: "non-INVITE server transaction") {
            $0 != .invite && $0 != .ack
        }
        key = try TransactionKey(serverSide: request)
        self.request = request
        self.isReliable = isReliable
        self.timers = timers
        state = .trying
    }

    /// Passes the request to the TU (§17.2.2). Only the first call acts.
    public mutating func start() -> [TransactionAction] {
        guard !isStarted else { return [] }
        isStarted = true
        // RFC 3261 §17.2.2: the request is passed to the TU in Trying.
        return [.passUp(request)]
    }

    /// A retransmission of the request, matched to this transaction (§17.2.3).
    public mutating func receive(request received: SIPMessage) -> [TransactionAction] {
        guard isStarted, TransactionMessages.isRequest(received, method: cseq.method, sequence: cseq.sequence) else {
            return []
        }
        switch state {
        case .trying, .terminated:
            // RFC 3261 §17.2.2: retransmissions in Trying are discarded.
            return []
        case .proceeding(let response), .completed(let response):
            // RFC 3261 §17.2.2: retransmissions get the last response sent.
            return [.send(response)]
        }
    }

    /// A response from the TU, for the transaction to send (§17.2.2).
    public mutating func sendResponse(_ response: SIPMessage) -> [TransactionAction] {
        guard isStarted, let responseClass = TransactionMessages.responseClass(response, answering: cseq) else {
            return []
        }
        switch (state, responseClass) {
        case (.trying, .provisional), (.proceeding, .provisional):
            // RFC 3261 §17.2.2: Trying → Proceeding; each provisional response is sent.
            state = .proceeding(lastProvisional: response)
            return [.send(response)]
        case (.trying, .success), (.trying, .failure), (.proceeding, .success), (.proceeding, .failure):
            // RFC 3261 §17.2.2: a final response moves to Completed, Timer J.
            let timerJ = timers.timerJ(isReliable: isReliable)
            if timerJ == .zero {
                state = .terminated
                return [.send(response), .terminated]
            }
            state = .completed(response: response)
            return [.send(response), .startTimer(.timerJ, after: timerJ)]
        case (.completed, _), (.terminated, _):
            // RFC 3261 §17.2.2: further final responses from the TU are discarded.
            return []
        }
    }

    /// A timer this transaction started fired. A timer that does not belong to the current state is ignored.
    public mutating func timerFired(_ timer: TransactionTimer) -> [TransactionAction] {
        guard timer == .timerJ, case .completed = state else { return [] }
        // RFC 3261 §17.2.2: Completed → Terminated.
        state = .terminated
        return [.terminated]
    }

    /// The transport could not send a response (§17.2.4).
    public mutating func transportFailed() -> [TransactionAction] {
        switch state {
        case .proceeding, .completed:
            // RFC 3261 §17.2.2: a transport error in Proceeding or Completed informs the TU and terminates.
            state = .terminated
            return [.transportError, .terminated]
        case .trying, .terminated:
            return []
        }
    }
}
