import SIPMessage

/// The IMS core that routes with `to: ims` hand requests to.
public struct IMSSettings: Sendable, Hashable {
    /// The home network domain of the IMS core (`ims.gatehouse.test`).
    public var domain: String
    /// Where requests for the core are sent (its P-CSCF or I-CSCF entry point).
    public var nextHop: SIPURI

    public init(domain: String, nextHop: SIPURI) {
        self.domain = domain
        self.nextHop = nextHop
    }
}
