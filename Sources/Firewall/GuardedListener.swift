/// A SIP listener of the node whose traffic the kernel blocklist drops from blocked sources: its address (the
/// unspecified address for "every local address"), its transport protocol and its port.
///
/// Blocks are scoped to these, so a blocked address loses its way to Gatehouse and nothing else: the host's SSH,
/// DNS or any other service stay reachable from it, and traffic routed through the host is never touched.
public struct GuardedListener: Hashable, Sendable, CustomStringConvertible {
    /// The transport protocol, as the IP header names it.
    public enum TransportProtocol: UInt8, Hashable, Sendable {
        case tcp = 6
        case udp = 17
    }

    public var address: FirewallAddress
    public var transportProtocol: TransportProtocol
    public var port: UInt16

    public init(address: FirewallAddress, transportProtocol: TransportProtocol, port: UInt16) {
        self.address = address
        self.transportProtocol = transportProtocol
        self.port = port
    }

    public var description: String {
        let host = address.family == .ipv6 ? "[\(address)]" : "\(address)"
        return "\(transportProtocol == .udp ? "udp" : "tcp")://\(host):\(port)"
    }
}
