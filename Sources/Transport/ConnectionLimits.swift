import NIOCore

/// How many TCP/TLS connections a node keeps and for how long an idle one lives.
///
/// Limits apply to connections accepted by stream listeners: one beyond a limit is closed as soon as it is
/// accepted, counted in `TransportCounters.refusedConnections`, and logged at most once a minute per address.
/// Outbound connections count toward `openConnections` but are never refused. Idle reaping applies to both.
public struct ConnectionLimits: Sendable, Hashable {
    /// Most connections open at once, inbound and outbound together. Default 10,000.
    public var maxConnections: Int
    /// Most inbound connections from one IP address. Default 64 (a PBX or carrier SBC needs a few; more looks like
    /// a flood).
    public var maxConnectionsPerAddress: Int
    /// A connection that neither receives nor sends a byte for this long is closed. Default 300 seconds, longer
    /// than the usual CRLF keep-alive interval (RFC 5626 suggests 120 s for connection-oriented flows).
    public var idleTimeout: TimeAmount
    /// How long an outbound TCP connect may take before the send fails. Default 10 seconds (RFC 3261's Timer B
    /// is 32 s; a failed connect should leave room to try the next target).
    public var connectTimeout: TimeAmount

    public init(
        maxConnections: Int = 10_000, maxConnectionsPerAddress: Int = 64, idleTimeout: TimeAmount = .seconds(300),
        connectTimeout: TimeAmount = .seconds(10)
    ) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
    }
}
