/// Whether a session description is an offer or an answer (RFC 3264 §4). SRTP keying depends on it: an answer
/// picks one of the offer's `a=crypto` lines by tag. The signalling side knows from the message: an INVITE or
/// UPDATE body is an offer; a response body answers the request's offer, or is the offer when the request had
/// none (RFC 3261 §13.2.1); the ACK or PRACK body then answers it.
public enum SDPRole: Sendable, Hashable {
    case offer
    case answer
}
