/// SIP timer values (RFC 3261 §17, RFC 4028). Every field has the default shown, used when the policy omits it.
public struct TimerSettings: Sendable, Hashable {
    /// T1, the round-trip estimate that drives retransmissions. Default 500 ms (RFC 3261 §17.1.1.1).
    public var t1: Duration
    /// T2, the longest retransmit interval for non-INVITE requests and INVITE responses. Default 4 s.
    public var t2: Duration
    /// T4, how long a message may remain in the network. Default 5 s.
    public var t4: Duration
    /// How long an INVITE may wait for a final response before it is cancelled (Timer C). Default 180 s
    /// (RFC 3261 §16.6 asks for more than three minutes; 180 s is the usual setting).
    public var inviteTimeout: Duration
    /// The session interval asked for in Session-Expires. Default 1800 s (RFC 4028 §4).
    public var sessionExpires: Duration
    /// The smallest session interval accepted (Min-SE). Default 90 s, the RFC 4028 minimum.
    public var minSE: Duration

    public init() {
        t1 = .milliseconds(500)
        t2 = .seconds(4)
        t4 = .seconds(5)
        inviteTimeout = .seconds(180)
        sessionExpires = .seconds(1800)
        minSE = .seconds(90)
    }
}

/// Capacity limits of the node. Every field has the default shown, used when the policy omits it.
public struct NodeLimits: Sendable, Hashable {
    /// Calls in progress at once, over all realms; new INVITEs beyond it get 503. Default 10000.
    public var maxCalls: Int
    /// Open TCP/TLS connections at once, over all realms. Default 10000.
    public var maxConnections: Int
    /// Open TCP/TLS connections from one remote address. Default 64.
    public var maxConnectionsPerAddress: Int
    /// How long a TCP/TLS connection may stay idle before it is closed. Default 300 s.
    public var tcpIdleTimeout: Duration

    public init() {
        maxCalls = 10_000
        maxConnections = 10_000
        maxConnectionsPerAddress = 64
        tcpIdleTimeout = .seconds(300)
    }
}
