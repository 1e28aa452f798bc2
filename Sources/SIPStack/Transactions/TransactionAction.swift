import SIPMessage

/// What a transaction machine asks its edge to do after an event, in order.
///
/// The machines are values without I/O (STYLE rule 1): the edge sends what `.send` carries over the transport the
/// transaction runs on (it resolves the destination, §18), keeps one timer per `TransactionTimer` and reports its
/// firing back, and hands `.passUp`, `.timeout` and `.transportError` to the transaction user (TU). After
/// `.terminated` the edge forgets the transaction and every timer it still holds for it.
public enum TransactionAction: Sendable, Equatable, CustomStringConvertible {
    /// Pass this request or response to the transport.
    case send(SIPMessage)
    /// Start (or restart) this timer to fire once after the duration.
    case startTimer(TransactionTimer, after: Duration)
    /// Stop this timer; a firing already under way is ignored by the machine anyway.
    case cancelTimer(TransactionTimer)
    /// Give this response (client side) or request (server side) to the TU.
    case passUp(SIPMessage)
    /// Tell the TU the transaction timed out (Timer B, F or H fired).
    case timeout
    /// Tell the TU the transport failed to deliver for this transaction (§17.1.4, §17.2.4).
    case transportError
    /// The transaction reached Terminated: the edge removes it.
    case terminated

    /// Messages compare by their bytes on the wire (`SIPMessage` has no equality of its own).
    public static func == (lhs: TransactionAction, rhs: TransactionAction) -> Bool {
        switch (lhs, rhs) {
        case (.send(let left), .send(let right)), (.passUp(let left), .passUp(let right)):
            return left.serialize() == right.serialize()
        case (.startTimer(let left, let leftDuration), .startTimer(let right, let rightDuration)):
            return left == right && leftDuration == rightDuration
        case (.cancelTimer(let left), .cancelTimer(let right)):
            return left == right
        case (.timeout, .timeout), (.transportError, .transportError), (.terminated, .terminated):
            return true
        case (.send, _), (.startTimer, _), (.cancelTimer, _), (.passUp, _), (.timeout, _), (.transportError, _),
            (.terminated, _):
            return false
        }
    }

    /// `send(INVITE)`, `passUp(486)`, `startTimer(Timer A, 0.5 seconds)`: short enough for a test failure.
    public var description: String {
        switch self {
        case .send(let message): "send(\(TransactionMessages.summary(message)))"
        case .startTimer(let timer, let duration): "startTimer(\(timer), \(duration))"
        case .cancelTimer(let timer): "cancelTimer(\(timer))"
        case .passUp(let message): "passUp(\(TransactionMessages.summary(message)))"
        case .timeout: "timeout"
        case .transportError: "transportError"
        case .terminated: "terminated"
        }
    }
}
