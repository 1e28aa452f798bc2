import SIPMessage

/// What the reg-event notifier makes of a SUBSCRIBE: the response, the NOTIFY that follows an accepted one
/// (RFC 6665 §4.2.1.2: immediately, with the current state), and the rejection behind a failure response, for the
/// counters and the log.
public struct SubscribeOutcome: Sendable {
    public var response: SIPMessage
    public var notify: OutgoingNotify?
    public var failure: CSCFRejection?

    public init(response: SIPMessage, notify: OutgoingNotify? = nil, failure: CSCFRejection? = nil) {
        self.response = response
        self.notify = notify
        self.failure = failure
    }
}

/// A NOTIFY to send within a subscription's dialog. It has no Via: the sender's transaction layer adds its own.
public struct OutgoingNotify: Sendable {
    public var request: SIPMessage
    /// The flow the SUBSCRIBE arrived on, when it came from a UE: where the NOTIFY goes back out (RFC 5626 §5.3).
    public var flow: UEFlow?

    public init(request: SIPMessage, flow: UEFlow?) {
        self.request = request
        self.flow = flow
    }
}
