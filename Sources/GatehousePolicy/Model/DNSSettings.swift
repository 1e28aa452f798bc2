/// The DNS servers the node asks when a next hop is a name (RFC 3263), and how patiently. Every field has the
/// default shown, used when the policy omits it.
public struct DNSSettings: Sendable, Hashable {
    /// A server: an IP literal (IPv6 without brackets) and a port.
    public struct Server: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int = 53) {
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// Asked in order, the next on a timeout or failure. Empty (the default): the `nameserver` lines of the
    /// system's `/etc/resolv.conf`, read when the node starts or reloads.
    public var servers: [Server]
    /// How long one query waits for its answer. Default 2 s.
    public var timeout: Duration
    /// How many times each query is sent to each server. Default 2.
    public var attempts: Int
    /// The longest a cached answer is kept, whatever its TTL. Default 1 h.
    public var maximumTTL: Duration

    public init(
        servers: [Server] = [], timeout: Duration = .seconds(2), attempts: Int = 2,
        maximumTTL: Duration = .seconds(3600)
    ) {
        self.servers = servers
        self.timeout = timeout
        self.attempts = attempts
        self.maximumTTL = maximumTTL
    }
}
