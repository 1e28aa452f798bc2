import SIPMessage

/// A validated routing policy: everything a node needs to know about itself, its realms and its limits.
///
/// Values of this type exist only after the whole file was checked (`PolicyLoader`): a `Policy` is always usable,
/// so a reload can swap it in atomically and a bad file never reaches a running call.
public struct Policy: Sendable, Hashable {
    /// The schema version the file was written for. Only 1 exists.
    public var version: Int
    public var node: NodeSettings
    public var admin: AdminSettings?
    /// Message size limits applied to every SIP message the node parses.
    public var sipLimits: SIPLimits
    /// The listening sides of the node, in the order the file gives them.
    public var realms: [Realm]
    /// The known remote parties, in the order the file gives them.
    public var peers: [Peer]
    /// Where initial requests go; the first matching route decides.
    public var routes: RouteTable
    /// The IMS core that `to: ims` routes reach; present whenever a route targets it.
    public var ims: IMSSettings?
    /// SIP timer values, each with its default.
    public var timers: TimerSettings
    /// Capacity limits of the node, each with its default.
    public var limits: NodeLimits
    /// Where named next hops are resolved.
    public var dns: DNSSettings
    /// Admission control beyond the per-peer and per-realm limits.
    public var admission: AdmissionSettings
    /// Where `to: enum` routes look numbers up.
    public var enumSettings: ENUMSettings
    /// What malformed messages and known scanners get at the border.
    public var sanity: SanitySettings
    /// The kernel blocklist (nftables); nil (the section absent) for the userspace blocklist only.
    public var firewall: FirewallSettings?
    /// What scanners, sweeps, enumeration and malformed-message storms get.
    public var detection: DetectionSettings
    /// Live SIP capture to rotating pcap files and/or a HEPv3 collector; nil: none.
    public var capture: CaptureSettings?
    /// The media resource function: announcements, tones, menus, conferences (`mrf:`); nil when absent.
    public var mrf: MRFSettings?
    /// Policy control: the QoS each session's media gets, and the bandwidth it may take (`pcf:`).
    public var policyControl: PolicyControlSettings
    /// Call detail records (`cdr:`); written by default.
    public var cdr: CDRSettings

    public init(
        version: Int = 1, node: NodeSettings, admin: AdminSettings? = nil, sipLimits: SIPLimits = SIPLimits(),
        realms: [Realm], peers: [Peer] = [], routes: RouteTable = RouteTable(), ims: IMSSettings? = nil,
        timers: TimerSettings = TimerSettings(), limits: NodeLimits = NodeLimits(), dns: DNSSettings = DNSSettings(),
        admission: AdmissionSettings = AdmissionSettings(), enumSettings: ENUMSettings = ENUMSettings(),
        sanity: SanitySettings = SanitySettings(), firewall: FirewallSettings? = nil,
        detection: DetectionSettings = DetectionSettings(), capture: CaptureSettings? = nil, mrf: MRFSettings? = nil,
        policyControl: PolicyControlSettings = PolicyControlSettings(), cdr: CDRSettings = CDRSettings()
    ) {
        self.version = version
        self.node = node
        self.admin = admin
        self.sipLimits = sipLimits
        self.realms = realms
        self.peers = peers
        self.routes = routes
        self.ims = ims
        self.timers = timers
        self.limits = limits
        self.dns = dns
        self.admission = admission
        self.enumSettings = enumSettings
        self.sanity = sanity
        self.firewall = firewall
        self.detection = detection
        self.capture = capture
        self.mrf = mrf
        self.policyControl = policyControl
        self.cdr = cdr
    }

    public func realm(named name: String) -> Realm? { realms.first { $0.name == name } }
}

/// Who this node is and where it keeps state.
public struct NodeSettings: Sendable, Hashable {
    /// A short name for logs and metrics (`edge-1`).
    public var name: String
    /// Where persistent state lives: `sqlite:PATH` (the embedded default) or, later, a PostgreSQL URL.
    public var state: String

    /// The least severe log level written (`--log-level` on the command line overrides it). A reload applies a
    /// new level at once.
    public var logLevel: LogLevel
    /// How long a stopping node (SIGTERM, `systemctl stop`) lets calls in progress go on while it refuses new
    /// ones with 503; calls still up then are hung up.
    public var drainTimeout: Duration

    /// The embedded default state location.
    public static let defaultState = "sqlite:/var/lib/gatehouse/state.db"
    public static let defaultDrainTimeout = Duration.seconds(30)

    public init(
        name: String, state: String = NodeSettings.defaultState, logLevel: LogLevel = .info,
        drainTimeout: Duration = NodeSettings.defaultDrainTimeout
    ) {
        self.name = name
        self.state = state
        self.logLevel = logLevel
        self.drainTimeout = drainTimeout
    }

    /// swift-log's levels, by the names the policy file uses.
    public enum LogLevel: String, Sendable, Hashable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }
}

/// The operators' HTTP listener (admin API, metrics, status page).
public struct AdminSettings: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// A listening side of the node: its SIP listeners, its TLS settings and its media addresses.
public struct Realm: Sendable, Hashable {
    public var name: String
    public var listeners: [SIPEndpoint]
    public var media: MediaSettings?
    /// Present exactly when a listener is `tls://`.
    public var tls: RealmTLSSettings?
    /// Rate limits for all traffic arriving on the realm; empty for none.
    public var limits: TrafficLimits
    /// How user agents behind NAT are reached and kept reachable.
    public var nat: NATSettings
    /// The sanity checks' action and turned-off checks for messages arriving on the realm when they differ from
    /// the node's; nil to follow the node's. A peer's own setting wins.
    public var sanity: SanityOverride?

    public init(
        name: String, listeners: [SIPEndpoint], media: MediaSettings? = nil, tls: RealmTLSSettings? = nil,
        limits: TrafficLimits = TrafficLimits(), nat: NATSettings = NATSettings()
    ) {
        self.name = name
        self.listeners = listeners
        self.media = media
        self.tls = tls
        self.limits = limits
        self.nat = nat
    }
}

/// Where a realm's media is anchored: the address written into SDP and the UDP port pool.
public struct MediaSettings: Sendable, Hashable {
    /// Which packets may teach the relay where a leg's far end is (symmetric latching).
    public enum Latching: String, Sendable, Hashable {
        /// The first valid RTP/RTCP packet from any source: endpoints behind NAT send from another address than
        /// their SDP names.
        case any
        /// Only packets from the host the SDP names (any port): no NAT traversal, but nobody else can take over
        /// the stream.
        case signalled
    }

    public var address: String
    public var ports: ClosedRange<Int>
    /// How long a call's media may stay silent on both legs before the call is ended (`timeout`, default 60 s).
    public var timeout: Duration
    /// `latching`, default `any`.
    public var latching: Latching
    /// `srtp`, default `off`: SDES-SRTP on this realm's legs (a peer's own `srtp` overrides it).
    public var srtp: SRTPPolicy

    public init(
        address: String, ports: ClosedRange<Int>, timeout: Duration = .seconds(60), latching: Latching = .any,
        srtp: SRTPPolicy = SRTPPolicy()
    ) {
        self.address = address
        self.ports = ports
        self.timeout = timeout
        self.latching = latching
        self.srtp = srtp
    }
}
