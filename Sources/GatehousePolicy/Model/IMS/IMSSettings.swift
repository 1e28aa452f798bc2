import SIPMessage

/// The IMS core that routes with `to: ims` hand requests to: an external core reached through a next hop, or the
/// core embedded in this process.
public struct IMSSettings: Sendable, Hashable {
    /// The home network domain of the IMS core (`ims.gatehouse.test`).
    public var domain: String
    /// Which core serves the domain.
    public var core: IMSCore

    public init(domain: String, core: IMSCore) {
        self.domain = domain
        self.core = core
    }

    /// An external core, reached at `nextHop`.
    public init(domain: String, nextHop: SIPURI) {
        self.init(domain: domain, core: .external(nextHop))
    }

    /// Where requests for an external core are sent (its P-CSCF or I-CSCF entry point); nil for the embedded core,
    /// which is not reached over the network.
    public var nextHop: SIPURI? {
        if case .external(let uri) = core { uri } else { nil }
    }

    /// The embedded core's settings; nil for an external core.
    public var embedded: EmbeddedIMSSettings? {
        if case .embedded(let settings) = core { settings } else { nil }
    }
}

/// Which IMS core serves the domain: `ims.next_hop` or `ims.hss: embedded`, exactly one of them.
public enum IMSCore: Sendable, Hashable {
    /// A core elsewhere, reached at this SIP URI (`next_hop`).
    case external(SIPURI)
    /// The P-CSCF, I-CSCF, S-CSCF and HSS in this process (`hss: embedded`).
    case embedded(EmbeddedIMSSettings)
}
