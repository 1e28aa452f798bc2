/// The transports SIP runs over (RFC 3261 §18), as listeners bind them and Via headers name them.
public enum SIPTransport: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case udp, tcp, tls

    /// The transport token as it appears in a Via header (`SIP/2.0/UDP`).
    public var viaToken: String { rawValue.uppercased() }

    /// Datagram transports carry one message per packet; stream transports need framing by Content-Length.
    public var isStream: Bool { self != .udp }

    public var description: String { rawValue }
}

/// A transport, an IP literal and a port: where a listener binds (`udp://127.0.0.10:5060`), and later where a
/// message is sent. Shared by the policy (which names listeners) and the transport (which binds them).
public struct SIPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var transport: SIPTransport
    /// An IPv4 or IPv6 literal (IPv6 without brackets).
    public var host: String
    public var port: Int

    public init(transport: SIPTransport, host: String, port: Int) {
        self.transport = transport
        self.host = host
        self.port = port
    }

    /// `udp://127.0.0.10:5060`, `tcp://[::1]:5060`.
    public var description: String {
        host.contains(":") ? "\(transport)://[\(host)]:\(port)" : "\(transport)://\(host):\(port)"
    }
}

extension SIPEndpoint {
    /// The endpoint's address as the host of a URI or a Via (an IP literal; a name only if the endpoint holds one).
    public var uriHost: Host { Host(ipLiteral: host) ?? .name(host) }
}
