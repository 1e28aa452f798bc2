import Border
import GatehousePolicy
import SIPMessage
import SIPStack
import Transport

/// Where a new call goes, before any DNS: the next hop, the egress realm, the peer (nil for the IMS core and
/// registered UAs) and why, for logs.
struct OutboundRoute {
    let nextHop: NextHop
    let realm: String
    let peer: Peer?
    let reason: RoutingReason
    /// The callee's user part when routing chose one (an ENUM answer's, with its `;npdi;rn=`); nil to keep the
    /// caller's.
    var user: String? = nil
    /// The whole Request-URI, when routing knows it (the Contact a UA registered); nil to build it from the next
    /// hop and `user`.
    var requestURI: URI? = nil
    /// The listener to send from, when it must be one (the one a registered UA's NAT binding leads to); nil for
    /// the realm's first listener of the destination's transport.
    var egress: SIPEndpoint? = nil
    /// Headers the outbound INVITE gets on top of what crosses from the caller's (the IMS core's Route toward an
    /// AS, P-Asserted-Identity, the charging vector), before the egress policy runs.
    var addedHeaders: [(HeaderName, String)] = []
}

/// Why a call went where it went: the route table's decision, or a registration relayed through the node.
enum RoutingReason: CustomStringConvertible {
    case route(RouteDecision)
    /// The Request-URI named the binding of a UA registered through Gatehouse.
    case registration(RegistrationBinding)

    /// The call goes to a UA registered through the node rather than to a peer or the IMS next hop.
    var isRegisteredUA: Bool {
        if case .registration = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .route(let decision): decision.description
        case .registration(let binding):
            "registered contact of \(binding.addressOfRecord) (\(binding.flow), NAT: \(binding.nat))"
        }
    }
}

/// A next hop: an address to send to, or a SIP URI whose host is a name, located by RFC 3263 when a call needs it.
enum NextHop {
    case address(SIPEndpoint)
    case name(SIPURI)

    /// A peer's next hop: its `next_hop` (an address or a name) when it has one, else its first address; nil for
    /// a peer known only by its registration.
    init?(peer: Peer) {
        if let uri = peer.nextHop {
            self.init(uri: uri)
        } else if let endpoint = peer.destination {
            self = .address(endpoint)
        } else {
            return nil
        }
    }

    /// A next hop written as a URI: its address when the host is an IP literal, else the name.
    init(uri: SIPURI) {
        self = SIPEndpoint(nextHop: uri).map(NextHop.address) ?? .name(uri)
    }

    /// The transport the URI asks for, or the default for its scheme (RFC 3263 §4.1 without NAPTR).
    var transport: SIPTransport {
        switch self {
        case .address(let endpoint): endpoint.transport
        case .name(let uri):
            uri.transport.flatMap { SIPTransport(rawValue: $0.lowercased()) } ?? (uri.isSecure ? .tls : .udp)
        }
    }

    /// The Request-URI for the callee: `user` at the destination's address, or at the next hop's name (and its
    /// port, if it gave one) when it has one; `;transport=` for TCP and TLS.
    func requestURI(user: String?, destination: SIPEndpoint) -> SIPURI {
        var uri: SIPURI
        switch self {
        case .address:
            uri = SIPURI(user: user, host: destination.uriHost, port: UInt16(destination.port))
        case .name(let nextHop):
            uri = SIPURI(isSecure: nextHop.isSecure, user: user, host: nextHop.host, port: nextHop.port)
        }
        if destination.transport != .udp { uri.transport = destination.transport.rawValue }
        return uri
    }
}

/// What routing needs of the caller's INVITE while its next hop is located.
struct InboundCall {
    let invite: SIPMessage
    let serverKey: TransactionKey
    let context: SIPConnectionContext
    let requestURI: SIPURI?
    /// The IMS session the call is a leg of, when the embedded core routed it: its ICID and parties go into the
    /// call's accounting, its charging vector onto INVITEs that stay in the trust domain.
    var imsSession: IMSSessionLeg? = nil
}
