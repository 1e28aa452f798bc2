/// The transports a SIP listener speaks (RFC 3261 §18).
public enum SIPTransportKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case udp, tcp, tls

    /// The transport token as it appears in a Via header (`SIP/2.0/UDP`).
    public var viaToken: String { rawValue.uppercased() }

    /// Datagram transports carry one message per packet; stream transports need framing by Content-Length.
    public var isStream: Bool { self != .udp }

    public var description: String { rawValue }
}

/// Where a listener binds: transport, IP literal and port.
public struct ListenerEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var transport: SIPTransportKind
    /// An IPv4 or IPv6 literal (without brackets).
    public var host: String
    public var port: Int

    public init(transport: SIPTransportKind, host: String, port: Int) {
        self.transport = transport
        self.host = host
        self.port = port
    }

    public var description: String {
        host.contains(":") ? "\(transport)://[\(host)]:\(port)" : "\(transport)://\(host):\(port)"
    }
}
