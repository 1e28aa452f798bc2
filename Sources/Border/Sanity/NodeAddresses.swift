import GatehousePolicy
import SIPMessage

/// The host and port pairs this node writes as the sent-by of its own Vias and answers on: its listeners. A Via
/// naming one of them has passed through this node; a Request-URI naming one addresses the node itself.
///
/// Transports are not compared: `udp://127.0.0.10:5060` and `tcp://127.0.0.10:5060` are one place. Hosts compare as
/// `Host` does (addresses by value), ports with the transport's default filled in where a Via or URI omits one.
/// A listener bound to a wildcard address (`0.0.0.0`, `::`) names no place a peer can write; give the addresses the
/// node advertises instead.
public struct NodeAddresses: Sendable, Hashable {
    struct HostPort: Hashable, Sendable {
        var host: Host
        var port: UInt16
    }

    let entries: Set<HostPort>

    public init(_ endpoints: [SIPEndpoint]) {
        entries = Set(endpoints.map { HostPort(host: $0.uriHost, port: UInt16(clamping: $0.port)) })
    }

    /// Every listener of every realm of the policy.
    public init(policy: Policy) {
        self.init(policy.realms.flatMap(\.listeners))
    }

    public var isEmpty: Bool { entries.isEmpty }

    public func contains(host: Host, port: UInt16) -> Bool {
        entries.contains(HostPort(host: host, port: port))
    }

    /// Whether this Via's sent-by (with the transport's default port when none is written) is one of the node's.
    public func contains(sentBy via: Via) -> Bool {
        contains(host: via.host, port: via.portOrDefault)
    }

    /// Whether this URI's host and port (5060, or 5061 for SIPS, when none is written) are one of the node's.
    public func contains(_ uri: SIPURI) -> Bool {
        contains(host: uri.host, port: uri.port ?? (uri.isSecure ? 5061 : 5060))
    }
}
