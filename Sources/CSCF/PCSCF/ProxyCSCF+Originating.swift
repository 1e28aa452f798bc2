import IMSInterfaces
import SIPMessage

/// A UE's initial request for a session (an INVITE outside a dialog), on its way from the P-CSCF to the S-CSCF
/// (TS 24.229 §5.2.6.3).
///
/// ```
///   INVITE (UE's P-Asserted-Identity, P-Preferred-Identity, P-Charging-Vector …)
///     ├─ Request-URI urn:service:sos… ─► emergency: asserted when registered, passed when not (§5.2.10)
///     ├─ flow not registered (or lapsed) ─► 403
///     └─ P-Preferred-Identity one of P-Associated-URI? ─► asserted; otherwise the default identity
///   ─► INVITE with the network's P-Asserted-Identity and a fresh P-Charging-Vector (ICID), nothing of the UE's
/// ```
extension ProxyCSCF {
    /// What the P-CSCF found out about a UE's initial request: who the network asserts the caller is, the
    /// charging identity it created, and whether it is an emergency call.
    public struct OriginatingRequest: Hashable, Sendable {
        /// The flow the request came over.
        public var flow: UEFlow
        /// The identity the P-CSCF asserts (P-Asserted-Identity), with the UE's display name; nil for an
        /// emergency call from a UE that is not registered (there is nothing to assert).
        public var assertedIdentity: NameAddress?
        /// The registration of the flow; nil for an unregistered emergency call.
        public var registration: PCSCFRegistration?
        /// The charging vector the P-CSCF created: the ICID every leg of the session keeps.
        public var chargingVector: PChargingVector
        /// The emergency sub-service (`""` for plain `sos`), nil for any other request.
        public var emergencyService: String?

        /// The public identity asserted, nil when nothing is.
        public var servedIdentity: PublicIdentity? { assertedIdentity.flatMap { PublicIdentity($0.uri) } }
        public var isEmergency: Bool { emergencyService != nil }
    }

    /// Header fields of a UE's initial request that the P-CSCF removes before asserting its own (TS 24.229
    /// §5.2.6.3.1: P-Preferred-Identity is replaced by P-Asserted-Identity; a UE's P-Asserted-Identity or charging
    /// headers would claim what only the network may say, RFC 7315 §4).
    public static let headersRemovedFromUERequests: [HeaderName] = [
        UEFlow.headerName, .pAssertedIdentity, .pPreferredIdentity, .pChargingVector, .pChargingFunctionAddresses,
        .pVisitedNetworkID,
    ]

    /// Checks a UE's initial request against the flow's registration and decides the identity to assert.
    ///
    /// Refused: a request from a flow with no unexpired registration (403, TS 24.229 §5.2.6.3.1 — only an
    /// emergency request passes unregistered, §5.2.10.1), and headers that do not parse (400).
    public func originate(
        _ request: SIPMessage, from flow: UEFlow, now: Timestamp
    ) -> Result<OriginatingRequest, CSCFRejection> {
        let requestURI: URI?
        let from: NameAddress
        do {
            requestURI = try request.requestURI
            from = try request.from
        } catch {
            return .failure(CSCFRejection(.badRequest, reason: "malformed", "\(error)"))
        }
        let emergency = requestURI.flatMap(EmergencyService.subService(of:))
        let registration = registrations[flow].flatMap { now < $0.expiresAt ? $0.snapshot : nil }
        guard let registration, let defaultIdentity = registration.defaultIdentity else {
            if emergency != nil {
                return .success(
                    OriginatingRequest(
                        flow: flow, assertedIdentity: nil, registration: nil, chargingVector: chargingVector(),
                        emergencyService: emergency))
            }
            return .failure(
                CSCFRejection(.forbidden, reason: "not-registered", "no registration for the flow \(flow)"))
        }
        let preferred = (try? request.headers.first(.pPreferredIdentity, as: NameAddress.self)) ?? nil
        let identity = Self.assertedIdentity(preferred: preferred, registration: registration) ?? defaultIdentity
        guard let uri = identity.uri else {
            return .failure(
                CSCFRejection(.serverInternalError, reason: "bad-identity", "\(identity) is not a usable URI"))
        }
        let displayName = preferred?.displayName ?? from.displayName
        return .success(
            OriginatingRequest(
                flow: flow, assertedIdentity: NameAddress(displayName: displayName, uri: uri),
                registration: registration, chargingVector: chargingVector(), emergencyService: emergency))
    }

    /// The preferred identity when the UE may use it (one of its P-Associated-URI), else nil (TS 24.229
    /// §5.2.6.3.1: "if … does not match … the P-CSCF shall … insert … the default public user identity").
    static func assertedIdentity(preferred: NameAddress?, registration: PCSCFRegistration) -> PublicIdentity? {
        guard let preferred, let identity = PublicIdentity(preferred.uri), registration.mayAssert(identity) else {
            return nil
        }
        return identity
    }
}

extension ProxyCSCF.OriginatingRequest {
    /// Writes what the P-CSCF asserts into the request for the S-CSCF: the UE's trust-domain headers removed,
    /// P-Asserted-Identity and P-Charging-Vector set.
    public func apply(to request: inout SIPMessage) {
        for name in ProxyCSCF.headersRemovedFromUERequests { request.headers.remove(name) }
        if let assertedIdentity { request.headers.append(.pAssertedIdentity, assertedIdentity) }
        request.headers.append(.pChargingVector, chargingVector)
    }
}
