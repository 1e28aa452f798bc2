import IMSInterfaces
import SIPMessage

/// The P-CSCF's registration logic (3GPP TS 24.229 §5.2.2): the first IMS hop of a UE, between the border's access
/// realm and the I-CSCF.
///
/// ```
///   UE ──REGISTER──► P-CSCF ──REGISTER (+Path, +P-Charging-Vector, +integrity-protected, +flow)──► I-CSCF ─► S-CSCF
///   UE ◄──401 / 200── P-CSCF ◄──401 (ik, ck) / 200 (Service-Route, P-Associated-URI, Contact)──────────────┘
///                       │ 200: record identities, route and contacts for the flow
///                       ▼
///              registration(at: flow)  ◄── apply(RegistrationChange)  (its reg-event subscription, in process)
/// ```
///
/// A value with one `mutating func` per event: a REGISTER from a UE (`forwardRegister`), the final response to it
/// (`registerResponse`), a change from the registrar (`apply`) and the passing of time (`expire`). It sends nothing
/// and reads no clock; the assembly performs what it returns.
///
/// Access security: Gatehouse does no IPsec security agreement (RFC 3329, TS 33.203 §7). A UE is protected by TLS
/// or, over UDP and TCP, only by the IP association of its flow (TS 24.229 §5.2.2, SIP digest without TLS), and
/// the `integrity-protected` value it forwards says which. A REGISTER that requires `sec-agree` is refused with
/// 420 (RFC 3329 §2.3.1) rather than silently downgraded; `response(rejecting:with:toTag:)` adds the Unsupported
/// header that answer needs.
public struct ProxyCSCF: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// The P-CSCF's SIP URI, `sip:pcscf.ims.gatehouse.test`: the host of its Path entry
        /// `<sip:term@pcscf.ims.gatehouse.test;lr>`.
        public var uri: String
        /// The P-Visited-Network-ID to insert (TS 24.229 §5.2.2.1), when set.
        public var visitedNetworkID: String?
        /// The home network's domain, `ims.gatehouse.test`: the only Request-URI a REGISTER may name.
        public var domain: String

        public init(uri: String, visitedNetworkID: String? = nil, domain: String) {
            self.uri = uri
            self.visitedNetworkID = visitedNetworkID
            self.domain = domain
        }
    }

    public let configuration: Configuration
    let random: @Sendable (Int) -> [UInt8]
    /// The Path entry (`sip:term@host;lr`), nil when `configuration.uri` is not a SIP URI.
    let pathURI: SIPURI?
    var registrations: [UEFlow: FlowRegistration] = [:]

    /// - Parameter random: `count` random bytes (the ICIDs are made from them).
    public init(configuration: Configuration, random: @escaping @Sendable (Int) -> [UInt8]) {
        self.configuration = configuration
        self.random = random
        if case .sip(var uri) = try? URI(parsing: configuration.uri) {
            // TS 24.229 §5.2.2.1: the entry marks requests routed along it as terminating; Gatehouse says so
            // in the user part, which the P-CSCF reads back when a request arrives on its Path.
            uri.user = "term"
            uri.password = nil
            uri.headers = []
            uri.lr = true
            pathURI = uri
        } else {
            pathURI = nil
        }
    }

    /// What the P-CSCF knows of the UE registered over this flow, nil when none.
    public func registration(at flow: UEFlow) -> PCSCFRegistration? {
        registrations[flow]?.snapshot
    }

    /// The number of flows with a registration.
    public var registrationCount: Int { registrations.count }
}
