import GatehousePolicy
import SIPMessage
import SIPStack
import Transport

/// One call through the B2BUA: its two legs and where each leg's far end is.
///
/// The inbound leg is the caller's (Gatehouse answers as UAS), the outbound leg the callee's (Gatehouse calls as
/// UAC). Requests toward the caller go back the way the INVITE came (its connection, or its source address over
/// UDP); requests toward the callee go to the routed destination, from the egress realm's address.
struct Call {
    let id: Int
    var legs: CallLegs
    /// The caller's INVITE and its server transaction.
    let inboundInvite: SIPMessage
    let inboundServerKey: TransactionKey
    /// Where the caller is: the listener and connection (or UDP source) the INVITE arrived on.
    let inboundContext: SIPConnectionContext
    /// Where the callee is, and the local endpoint (egress realm) Gatehouse sends from.
    let outboundDestination: SIPEndpoint
    let outboundLocal: SIPEndpoint
    /// The route that chose the destination, for logs.
    let decision: RouteDecision
    /// A 2xx answered the initial INVITE.
    var isAnswered = false

    /// The leg a message with this Call-ID belongs to.
    func side(ofCallID callID: String) -> CallLegs.Side {
        callID == legs.inbound.callID ? .inbound : .outbound
    }

    /// How to reach the far end of `side`: kept by each client transaction, so that it can finish (retransmit,
    /// ACK a final response) after the call itself has ended.
    func route(_ side: CallLegs.Side) -> LegRoute {
        switch side {
        case .inbound: .towardCaller(inboundContext)
        case .outbound: .towardCallee(destination: outboundDestination, local: outboundLocal)
        }
    }

    /// Whether requests sent on `side` travel over a stream transport.
    func isReliable(_ side: CallLegs.Side) -> Bool {
        switch side {
        case .inbound: inboundContext.transport.isStream
        case .outbound: outboundDestination.transport.isStream
        }
    }
}

/// Where requests on one leg go: back over the caller's connection (or to its UDP source), or to the callee's
/// address from the egress realm's endpoint.
enum LegRoute {
    case towardCaller(SIPConnectionContext)
    case towardCallee(destination: SIPEndpoint, local: SIPEndpoint)
}

/// Who a client transaction works for: the call, the leg its request was sent on, and the server transaction
/// (on the other leg) waiting for the answer, with the request that one received.
struct ClientTransactionOwner {
    let callID: Int
    let side: CallLegs.Side
    /// Where the transaction's requests go (its call may end before it does).
    let route: LegRoute
    /// Nil when nobody waits for the answer (a CANCEL, already answered 200 on the caller's leg).
    let serverKey: TransactionKey?
    let originalRequest: SIPMessage
}
