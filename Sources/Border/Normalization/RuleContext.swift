import SIPMessage

/// What a rule's `when` is tested against besides the message itself.
public struct RuleContext: Hashable, Sendable {
    /// The peer the message entered Gatehouse from: for inbound rules the peer whose rules run, for outbound rules
    /// the peer on the other leg. Nil for a message from no peer (a subscriber, the IMS core).
    public var peer: String?
    /// The request's method, or a response's CSeq method.
    public var method: SIPMethod

    public init(peer: String?, method: SIPMethod) {
        self.peer = peer
        self.method = method
    }

    /// The context of `message`: its method, or its CSeq method for a response; nil when a response's CSeq
    /// cannot be read.
    public init?(peer: String?, message: SIPMessage) {
        if let method = message.method {
            self.init(peer: peer, method: method)
        } else if let cseq = try? message.cseq {
            self.init(peer: peer, method: cseq.method)
        } else {
            return nil
        }
    }
}
