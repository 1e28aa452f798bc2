import SIPMessage

/// A known remote party (a PBX trunk, a carrier), identified by the addresses its requests come from, in one realm.
public struct Peer: Sendable, Hashable {
    public var name: String
    /// The realm the peer talks to.
    public var realm: String
    /// Where the peer's requests come from; a request's source address is matched against these, the longest
    /// prefix winning across all peers of the realm (`Policy.peer(for:realm:)`).
    public var addresses: [PeerAddress]
    /// The peer's signalling port where an address does not give one. Default 5060 (5061 for `tls`).
    public var port: Int
    /// How Gatehouse sends to the peer. Default `udp`.
    public var transport: SIPTransport
    /// Default `untrusted`.
    public var trust: PeerTrust
    /// Digest credentials shared with a trunk that registers or authenticates; nil for trunks known by address only.
    public var credentials: PeerCredentials?
    /// Where requests for this peer are sent, when not to its address (a proxy, a name resolved by RFC 3263).
    public var nextHop: SIPURI?
    /// Rate and call limits for the peer's traffic; empty for none.
    public var limits: TrafficLimits
    /// How the peer writes numbers; nil when its numbers are passed as they are.
    public var numbering: NumberingSettings?
    /// What the peer may see of the other side beyond the defaults.
    public var topology: TopologySettings
    /// Header manipulation for messages from and to the peer. Default: none.
    public var normalization: PeerNormalization
    /// The RTP payload formats (encoding names, upper case: `PCMA`, `TELEPHONE-EVENT`) the peer's media may use on
    /// an anchored call; nil for any.
    public var codecs: Set<String>?
    /// SDES-SRTP on the peer's legs when it differs from its realm's `media.srtp`; nil to follow the realm.
    public var srtp: SRTPPolicy?
    /// The sanity checks' action and turned-off checks for the peer's messages when they differ from its realm's
    /// and the node's; nil to follow them.
    public var sanity: SanityOverride?

    /// The signalling port used when neither an address nor `port` gives one.
    public static let defaultPort = 5060
    /// The default port for `transport: tls` (RFC 3261 §26.2.2).
    public static let defaultTLSPort = 5061

    public init(
        name: String, realm: String, addresses: [PeerAddress], port: Int? = nil, transport: SIPTransport = .udp,
        trust: PeerTrust = .untrusted, credentials: PeerCredentials? = nil, nextHop: SIPURI? = nil,
        limits: TrafficLimits = TrafficLimits(), numbering: NumberingSettings? = nil,
        topology: TopologySettings = TopologySettings(), normalization: PeerNormalization = PeerNormalization()
    ) {
        self.name = name
        self.realm = realm
        self.addresses = addresses
        self.port = port ?? (transport == .tls ? Self.defaultTLSPort : Self.defaultPort)
        self.transport = transport
        self.trust = trust
        self.credentials = credentials
        self.nextHop = nextHop
        self.limits = limits
        self.numbering = numbering
        self.topology = topology
        self.normalization = normalization
    }

    /// Where the peer can be reached directly: each single-address entry, with its own port or the peer's.
    public var signallingEndpoints: [SIPEndpoint] {
        addresses.filter(\.prefix.isSingleAddress).map {
            SIPEndpoint(transport: transport, host: $0.prefix.network.description, port: $0.port ?? port)
        }
    }

    /// Where calls to this peer go without DNS: its next hop when it has one and that names an IP address, else
    /// its first single address. Nil for a next hop that is a name (the signalling engine locates it by
    /// RFC 3263) and for a peer known only by its registration.
    public var destination: SIPEndpoint? {
        if let nextHop { return SIPEndpoint(nextHop: nextHop) }
        return signallingEndpoints.first
    }
}

extension SIPEndpoint {
    /// The endpoint a next hop written as a SIP URI with an IP host names (`sip:127.0.0.30:5060;transport=tcp`):
    /// the `transport` parameter or, without one, TLS for `sips:` and UDP otherwise; the transport's default port
    /// (RFC 3261 §19.1.2). Nil when the host is a name.
    public init?(nextHop uri: SIPURI) {
        let transport =
            uri.transport.flatMap { SIPTransport(rawValue: $0.lowercased()) } ?? (uri.isSecure ? .tls : .udp)
        let host: String
        switch uri.host {
        case .ipv4(let address): host = address.description
        case .ipv6(let address): host = address.description
        case .name: return nil
        }
        self.init(transport: transport, host: host, port: Int(uri.port ?? (transport == .tls ? 5061 : 5060)))
    }
}

/// One entry of a peer's `addresses`: a block (`198.51.100.0/24`), an address, or an address with its signalling
/// port (`127.0.0.2:5070`, `[2001:db8::5]:5060`). The port says where to send; matching uses the address only.
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
    public var prefix: IPPrefix
    public var port: Int?

    public init(prefix: IPPrefix, port: Int? = nil) {
        self.prefix = prefix
        self.port = port
    }

    public var description: String {
        guard let port else { return prefix.description }
        let host = prefix.network.description
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// How far the node believes what a peer asserts (identity headers, numbers, priority).
public enum PeerTrust: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Asserted identities are kept; the peer is inside the trust domain (RFC 3325).
    case trusted
    /// Asserted identities are removed on the way in; the default.
    case untrusted

    public var description: String { rawValue }
}

/// Digest credentials (RFC 3261 §22, RFC 8760) shared with a trunk: Gatehouse challenges the trunk's requests with
/// them, or answers the trunk's challenges with them, as the signalling engine decides for the peer's role.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    public var username: String
    public var secret: Secret
    /// The digest realm the credentials are for; required with `ha1`, which is bound to one realm.
    public var realm: String?

    public enum Secret: Sendable, Hashable {
        case password(String)
        /// `H(username:realm:password)` in hex: 32 digits for MD5, 64 for SHA-256.
        case ha1(String)
    }

    public init(username: String, secret: Secret, realm: String? = nil) {
        self.username = username
        self.secret = secret
        self.realm = realm
    }

    /// Never shows the secret, so a policy can be logged.
    public var description: String {
        let kind =
            switch secret {
            case .password: "password"
            case .ha1: "ha1"
            }
        return "\(username) (\(kind) hidden\(realm.map { ", realm \($0)" } ?? ""))"
    }
}
