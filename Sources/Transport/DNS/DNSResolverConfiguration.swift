/// How a `DNSResolver` asks: which servers, how long it waits, how long it keeps what it learns.
///
/// The retry model is resolv.conf's: each of `attempts` rounds asks every server in turn, waiting `timeout` for
/// each, so a lookup that nobody answers fails after `attempts × servers.count × timeout`.
public struct DNSResolverConfiguration: Sendable, Hashable {
    /// A recursive DNS server: an IPv4 or IPv6 literal (IPv6 without brackets) and a port.
    public struct Server: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int = 53) {
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public var servers: [Server]
    /// How long one attempt waits for an answer from one server (default 2 s).
    public var timeout: Duration
    /// Rounds over the server list (default 2).
    public var attempts: Int
    /// The longest an answer is cached, whatever its TTL says (default 1 hour).
    public var maximumTTL: UInt32
    /// The longest a negative answer is cached, whatever its SOA says (default 15 minutes; RFC 2308 §5 suggests
    /// one to three hours as a ceiling, but a SIP peer that was just provisioned should not wait that long).
    public var maximumNegativeTTL: UInt32
    /// How many answers and negative answers the cache holds (default 4096).
    public var cacheCapacity: Int
    /// How many CNAMEs one lookup follows (default 8).
    public var maximumCNAMEs: Int
    /// The UDP payload size advertised with EDNS(0), or nil for plain 512-byte DNS (default 1232, the size
    /// DNS Flag Day 2020 settled on to avoid IP fragmentation).
    public var udpPayloadSize: UInt16?
    /// Whether a truncated UDP answer (TC set) is asked again over TCP (RFC 7766 §5), default true.
    public var tcpFallback: Bool

    public init(servers: [Server]) {
        self.servers = servers
        self.timeout = .seconds(2)
        self.attempts = 2
        self.maximumTTL = 3600
        self.maximumNegativeTTL = 900
        self.cacheCapacity = 4096
        self.maximumCNAMEs = 8
        self.udpPayloadSize = 1232
        self.tcpFallback = true
    }
}
