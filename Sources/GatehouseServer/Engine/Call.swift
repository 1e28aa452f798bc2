import GatehousePolicy
import Media
import NIOCore
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
    var outboundDestination: SIPEndpoint
    let outboundLocal: SIPEndpoint
    /// The other servers RFC 3263 gave for the next hop, in order: the INVITE goes to the next one when the
    /// current one cannot be reached (`CallEngine+Failover`).
    var alternativeDestinations: [SIPEndpoint] = []
    /// The peer the call was routed to (nil for the IMS next hop): requests inside the dialog may follow the
    /// callee's Contact to another of its addresses (`Peer.inDialogDestination`).
    let outboundPeer: Peer?
    /// Why the call went where it went, for logs.
    let reason: RoutingReason
    /// The client transaction of the INVITE on the outbound leg (a new one when a 422 made Gatehouse retry it).
    var outboundInviteKey: TransactionKey?
    /// A 2xx answered the initial INVITE.
    var isAnswered = false
    /// Each leg's pending session-timer task: Gatehouse's next refresh, or the deadline for the peer's.
    var sessionTasks: [CallLegs.Side: Scheduled<Void>] = [:]
    /// Gatehouse's refreshes on a leg that failed in a row without ending the dialog (500, 491, …).
    var failedRefreshes: [CallLegs.Side: Int] = [:]
    /// When the caller's INVITE was routed (setup time, duration).
    var startedAt = NIODeadline.now()
    /// The peer the caller is (nil: an address no peer owns, a UE).
    var sourcePeer: Peer?
    /// The call's anchored media, when both realms have `media:` (`CallEngine+Media`).
    var media: MediaSession?

    /// The caller's peer by name for metrics and the admin API; `none` for an unknown source.
    var sourcePeerName: String { sourcePeer?.name ?? "none" }
    /// The callee's peer by name; `ims` for the IMS next hop, `none` for a UA registered through the node.
    var destinationPeerName: String { outboundPeer?.name ?? (reason.isRegisteredUA ? "none" : "ims") }

    /// How to reach the far end of `side`: kept by each client transaction, so that it can finish (retransmit,
    /// ACK a final response) after the call itself has ended.
    func route(_ side: CallLegs.Side) -> LegRoute {
        switch side {
        case .inbound: .towardCaller(inboundContext)
        case .outbound: .towardCallee(destination: inDialogOutboundDestination, local: outboundLocal)
        }
    }

    /// Where requests toward the callee go: the routed destination until the callee's dialog is confirmed, then
    /// its next hop (first Route, else Contact) as far as the peer's policy allows.
    private var inDialogOutboundDestination: SIPEndpoint {
        guard let peer = outboundPeer, let dialog = legs.outbound.dialog, dialog.state == .confirmed else {
            return outboundDestination
        }
        let nextHop = dialog.routeSet.first?.uri ?? dialog.remoteTarget
        return peer.inDialogDestination(nextHop: nextHop, callDestination: outboundDestination)
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

    /// Gatehouse's own address on the leg: the sent-by of its Vias there.
    var localEndpoint: SIPEndpoint {
        switch self {
        case .towardCaller(let context): context.listener
        case .towardCallee(_, let local): local
        }
    }
}

/// Who a client transaction works for: the call, the leg its request was sent on, and the server transaction
/// (on the other leg) waiting for the answer, with the request that one received.
struct ClientTransactionOwner {
    /// Why Gatehouse sent the request, which decides what its answer is for.
    enum Purpose {
        /// Relaying a request from the other leg: the answer goes back there.
        case relay
        /// A CANCEL: the caller's was answered 200 already; the INVITE's 487 comes through the INVITE.
        case cancel
        /// Gatehouse's own session refresh (RFC 4028) on a leg it refreshes.
        case sessionRefresh
        /// Gatehouse's own BYE ending a leg (session expired, an unwanted fork): nobody waits for the answer.
        case hangUp
    }

    let callID: Int
    let side: CallLegs.Side
    /// Where the transaction's requests go (its call may end before it does).
    let route: LegRoute
    /// The server transaction on the other leg waiting for the answer; nil unless `purpose` is `.relay`.
    let serverKey: TransactionKey?
    /// The request received on the other leg (relay), or the request Gatehouse sent itself.
    let originalRequest: SIPMessage
    var purpose: Purpose = .relay
    /// The peers of the egress stage; `startClientTransaction` finds them (from the call) when nil and keeps them.
    var peers: EgressPeers? = nil
}
