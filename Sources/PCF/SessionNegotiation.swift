import SDP

/// Which session description answers which (RFC 3264 offer/answer over SIP, RFC 3261 §13.2.1, RFC 6337 §2): the
/// PCF decides on the offer alone first, and again on the offer with its answer.
///
/// An INVITE or UPDATE with a body offers; a response, ACK or PRACK with a body answers the pending offer of the
/// other side, or offers when none is pending (an INVITE without SDP gets its offer in the 2xx and its answer in
/// the ACK). An answer repeated (in a 183 and then the 200) pairs with the same offer again.
public struct SessionNegotiation: Sendable {
    /// Which side sent a description: the caller's leg or the callee's.
    public enum Side: Sendable, Hashable {
        case caller
        case callee
    }

    /// What a description was in the exchange.
    public enum Role: Sendable, Hashable {
        case offer(SessionDescription)
        case answer(offer: SessionDescription, answer: SessionDescription)
    }

    private var lastOffer: (side: Side, description: SessionDescription)?

    public init() {}

    /// Notes `description`, sent by `side` in a request (`isOffering`: INVITE or UPDATE) or elsewhere, and says
    /// what it is.
    public mutating func receive(_ description: SessionDescription, from side: Side, isOffering: Bool) -> Role {
        if !isOffering, let offer = lastOffer, offer.side != side {
            return .answer(offer: offer.description, answer: description)
        }
        lastOffer = (side, description)
        return .offer(description)
    }
}
