import GatehousePolicy
import SIPMessage
import SIPStack
import Transport

/// Where a new call goes, as the route table decided it, before any DNS: the next hop, the egress realm, the peer
/// (nil for the IMS core) and the decision itself, for logs.
struct OutboundRoute {
    let nextHop: NextHop
    let realm: String
    let peer: Peer?
    let decision: RouteDecision
    /// The callee's user part when routing chose one (an ENUM answer's, with its `;npdi;rn=`); nil to keep the
    /// caller's.
    var user: String? = nil
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
}
