/// ENUM (RFC 6116): where numbers routed `to: enum` are looked up, and what happens when DNS cannot say.
/// Every field has the default shown, used when the policy omits it.
public struct ENUMSettings: Sendable, Hashable {
    /// What a DNS failure (timeout, SERVFAIL, no server) leads to.
    public enum FailureHandling: String, Sendable, Hashable, CaseIterable {
        /// Use the static table as if DNS had no record (the default).
        case useStatic = "static"
        /// Answer 503: the call may be retried later.
        case reject
    }

    /// One static range and where it goes.
    public struct StaticEntry: Sendable, Hashable {
        /// `+1555123xxxx`: an E.164 prefix, then `x`s for a fixed length.
        public var pattern: String
        public var target: Target

        public init(pattern: String, target: Target) {
            self.pattern = pattern
            self.target = target
        }
    }

    /// Where a static entry or a DNS answer sends a call.
    public enum Target: Sendable, Hashable {
        case peer(String)
        case reject(Int)
    }

    /// DNS servers for ENUM, asked in order; empty (the default) for `dns.servers` (or the system's).
    public var servers: [DNSSettings.Server]
    /// The ENUM tree the number's domain is built under. Default `e164.arpa`.
    public var suffix: String
    /// How long one query waits. Default 1 s.
    public var timeout: Duration
    /// How many times each query goes to each server. Default 1.
    public var attempts: Int
    /// Whether DNS is asked at all; false for a static table only (labs, or a carrier with its own data).
    /// Default true.
    public var useDNS: Bool
    /// What a DNS failure leads to. Default `.useStatic`.
    public var onFailure: FailureHandling
    /// The status for a number neither DNS nor the table routes. Default 404.
    public var notFound: Int
    /// The static table, tried when DNS has no usable answer (or `use_dns: false`).
    public var staticEntries: [StaticEntry]

    public init(
        servers: [DNSSettings.Server] = [], suffix: String = "e164.arpa", timeout: Duration = .seconds(1),
        attempts: Int = 1, useDNS: Bool = true, onFailure: FailureHandling = .useStatic, notFound: Int = 404,
        staticEntries: [StaticEntry] = []
    ) {
        self.servers = servers
        self.suffix = suffix
        self.timeout = timeout
        self.attempts = attempts
        self.useDNS = useDNS
        self.onFailure = onFailure
        self.notFound = notFound
        self.staticEntries = staticEntries
    }

    /// The DNS settings ENUM queries use, given the policy's general ones.
    public func dnsSettings(general: DNSSettings) -> DNSSettings {
        DNSSettings(
            servers: servers.isEmpty ? general.servers : servers, timeout: timeout, attempts: attempts,
            maximumTTL: general.maximumTTL)
    }
}
