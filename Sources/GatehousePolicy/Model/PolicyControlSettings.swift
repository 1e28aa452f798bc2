/// Policy control (`pcf:`): how the PCF turns a session's media into a QoS decision. Rules choose the QoS
/// parameters of each media flow by the leg's realm, peer or subscriber class and the flow's media type; the first
/// rule that matches a flow decides it, and whatever that rule leaves out comes from `default:`, then from the
/// built-in values per media type (`QoSParameters.builtIn`).
///
/// "Policy control" is the PCF's word (3GPP TS 23.503); the routing policy is the YAML file this is part of.
public struct PolicyControlSettings: Sendable, Hashable {
    /// In file order; the first whose `match` holds decides a flow.
    public var rules: [PolicyControlRule]
    /// What a flow gets where its rule is silent or no rule matches; `default.max_bandwidth` caps a whole session.
    public var defaults: QoSParameters
    /// Named groups of subscribers (`classes: { gold: ["+1555019", "sip:alice@…"] }`) that rules match by name.
    public var classes: [SubscriberClass]
    /// The bit rate assumed for a codec whose rate the SDP does not fix (opus without `maxaveragebitrate`, video
    /// without `b=AS`/`b=TIAS`), in bits per second at the codec (the IP/UDP/RTP overhead is added).
    public var variableBitrate: Int

    /// 64 kbit/s: opus's fullband voice range tops out there (RFC 7587 §7.1), so an allowance sized for G.711
    /// also admits it.
    public static let defaultVariableBitrate = 64_000

    public init(
        rules: [PolicyControlRule] = [], defaults: QoSParameters = QoSParameters(), classes: [SubscriberClass] = [],
        variableBitrate: Int = PolicyControlSettings.defaultVariableBitrate
    ) {
        self.rules = rules
        self.defaults = defaults
        self.classes = classes
        self.variableBitrate = variableBitrate
    }
}

/// One rule of `pcf.rules`: which flows it governs and the QoS it gives them.
public struct PolicyControlRule: Sendable, Hashable {
    /// `id`, or `rule-N` (1-based, file order) when the file gives none: decisions name the rule that made them.
    public var id: String
    public var match: Match
    public var qos: QoSParameters

    /// Every condition given must hold; an empty match holds for every flow.
    public struct Match: Sendable, Hashable {
        /// The realm the leg is on.
        public var realm: String?
        /// The peer at the leg's far end.
        public var peer: String?
        /// The subscriber class of the leg's party (`pcf.classes`).
        public var subscriberClass: String?
        /// The flow's media type (`audio`, `video`, …, as on the `m=` line).
        public var media: String?

        public init(realm: String? = nil, peer: String? = nil, subscriberClass: String? = nil, media: String? = nil) {
            self.realm = realm
            self.peer = peer
            self.subscriberClass = subscriberClass
            self.media = media
        }
    }

    public init(id: String, match: Match = Match(), qos: QoSParameters) {
        self.id = id
        self.match = match
        self.qos = qos
    }
}

/// The QoS a rule (or the default) gives; nil fields are left to the next level down.
public struct QoSParameters: Sendable, Hashable {
    /// The 5G QoS Identifier (TS 23.501 table 5.7.4-1): 1 conversational voice, 2 conversational video, …
    public var fiveQI: Int?
    /// The ARP priority level, 1 (highest) to 15 (TS 23.501 §5.7.2.2).
    public var arpPriority: Int?
    /// The DiffServ code point, 0–63, written on the relayed packets (`dscp: 46` or `dscp: ef`).
    public var dscp: Int?
    /// The most the flows this rule governs may take together, in bits per second at IP; more is refused 488.
    public var maxBandwidth: Int?

    public init(fiveQI: Int? = nil, arpPriority: Int? = nil, dscp: Int? = nil, maxBandwidth: Int? = nil) {
        self.fiveQI = fiveQI
        self.arpPriority = arpPriority
        self.dscp = dscp
        self.maxBandwidth = maxBandwidth
    }

    /// What a flow gets when neither a rule nor `default:` says: voice is 5QI 1 marked EF (46, RFC 3246), video
    /// 5QI 2 marked AF41 (34, RFC 2597; RFC 4594 §4.3 for interactive video), anything else best effort (5QI 9,
    /// DSCP 0); ARP priority 2 for voice and video (above default data traffic), 9 otherwise.
    public static func builtIn(media: String) -> QoSParameters {
        switch media.lowercased() {
        case "audio": QoSParameters(fiveQI: 1, arpPriority: 2, dscp: 46)
        case "video": QoSParameters(fiveQI: 2, arpPriority: 2, dscp: 34)
        default: QoSParameters(fiveQI: 9, arpPriority: 9, dscp: 0)
        }
    }

    /// These parameters with the gaps filled from `fallback`.
    public func filled(from fallback: QoSParameters) -> QoSParameters {
        QoSParameters(
            fiveQI: fiveQI ?? fallback.fiveQI, arpPriority: arpPriority ?? fallback.arpPriority,
            dscp: dscp ?? fallback.dscp, maxBandwidth: maxBandwidth ?? fallback.maxBandwidth)
    }

    /// DSCP names (RFC 2474 class selectors, RFC 2597 AF, RFC 3246 EF, RFC 5865 VOICE-ADMIT) → code points.
    public static let dscpNames: [String: Int] = {
        var names: [String: Int] = ["ef": 46, "va": 44, "be": 0, "default": 0]
        for selector in 0...7 { names["cs\(selector)"] = selector << 3 }
        for afClass in 1...4 {
            for dropPrecedence in 1...3 { names["af\(afClass)\(dropPrecedence)"] = afClass << 3 | dropPrecedence << 1 }
        }
        return names
    }()
}

/// A named group of subscribers: members are E.164 or national number prefixes (`+1555019`) or whole SIP/tel URIs.
public struct SubscriberClass: Sendable, Hashable {
    public var name: String
    public var members: [String]

    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
    }
}
