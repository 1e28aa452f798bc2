import IMSInterfaces
import SIPMessage

/// The S-CSCF's final answer to a REGISTER, on its way to the UE (TS 24.229 §5.2.2.1).
extension ProxyCSCF {
    /// Header fields that stay inside the trust domain (RFC 7315 §4: charging correlation and addresses; the flow
    /// header is Gatehouse's own).
    static let headersUEMustNotSee: [HeaderName] = [UEFlow.headerName, .pChargingVector, .pChargingFunctionAddresses]

    /// The registration lifetime when neither the Contact nor the response says (RFC 3261 §10.2.1.1: one hour).
    static let defaultExpires: UInt32 = 3600

    /// Returns the response to send to the UE.
    ///
    /// Every response loses the `ik` and `ck` of its challenges (TS 24.229 §5.2.2.1, TS 33.203 §7.1: the keys are
    /// for the P-CSCF, which would key IPsec with them; Gatehouse does not, so it only removes them; a challenge
    /// that does not parse is removed whole rather than risk passing the keys on) and the trust domain's headers.
    ///
    /// A 2xx records the registration of `flow` (TS 24.229 §5.2.2.1): the Service-Route in order, the
    /// P-Associated-URI identities (default first; the To identity when the header is missing), and those of the
    /// 200's contacts that belong to the UE (named by this REGISTER or registered over the flow before), with
    /// their expiry. Contacts with expiry 0 are dropped; a REGISTER with `Contact: *`, or one after which none of
    /// the UE's contacts is left, forgets the flow's registration. A REGISTER without Contact only queried the
    /// bindings and changes nothing. A re-registration replaces the identities and the Service-Route; a second,
    /// separate set the same UE registers over the flow adds its identities after the first set's.
    public mutating func registerResponse(
        _ response: SIPMessage, answering request: SIPMessage, from flow: UEFlow, now: Timestamp
    ) -> SIPMessage {
        var response = response
        for name in Self.headersUEMustNotSee { response.headers.remove(name) }
        for name in [HeaderName.wwwAuthenticate, .proxyAuthenticate] {
            Self.removeAccessKeys(from: name, in: &response)
        }
        if let code = response.statusCode, (200...299).contains(code) {
            record(response, answering: request, from: flow, now: now)
        }
        return response
    }

    /// Removes `ik` and `ck` from every challenge of this header.
    private static func removeAccessKeys(from name: HeaderName, in response: inout SIPMessage) {
        for index in response.headers.indices(of: name).reversed() {
            guard var challenge = try? Challenge(parsing: response.headers.value(at: index)) else {
                response.headers.remove(at: index)
                continue
            }
            guard challenge.ik != nil || challenge.ck != nil else { continue }
            challenge.ik = nil
            challenge.ck = nil
            response.headers.replaceValue(at: index, with: challenge.serialized)
        }
    }

    private mutating func record(
        _ response: SIPMessage, answering request: SIPMessage, from flow: UEFlow, now: Timestamp
    ) {
        guard let requested = try? request.contacts, !requested.isEmpty else { return }
        if requested.contains(where: \.isWildcard) {
            registrations[flow] = nil
            return
        }
        let previous = registrations[flow]
        let credentials = try? request.headers.first(.authorization, as: Credentials.self)
        // A REGISTER without credentials (a refresh the S-CSCF did not challenge) is still the UE that registered.
        let privateIdentity = credentials?.username.flatMap(PrivateIdentity.init) ?? previous?.privateIdentity
        let sameUE = previous != nil && previous?.privateIdentity == privateIdentity
        // The UE's contacts: those this REGISTER names, and those it registered over the flow before; the 200
        // lists every binding of the identity, other devices' too.
        var ownURIs = requested.compactMap(\.uri)
        if sameUE { ownURIs += previous?.contacts.compactMap(\.parsed) ?? [] }
        let defaultExpires =
            (try? response.expires)?.seconds ?? (try? request.expires)?.seconds ?? Self.defaultExpires
        var contacts: [FlowRegistration.Contact] = []
        for contact in (try? response.contacts) ?? [] {
            guard let address = contact.nameAddress, ownURIs.contains(where: { $0.isEquivalent(to: address.uri) })
            else { continue }
            let expires = address.expires ?? defaultExpires
            guard expires > 0 else { continue }
            contacts.append(FlowRegistration.Contact(uri: address.uriText, expiresAt: now + Int64(expires)))
        }
        guard !contacts.isEmpty else {
            registrations[flow] = nil
            return
        }
        var identities = ((try? response.headers.all(.pAssociatedURI, as: NameAddress.self)) ?? [])
            .compactMap { PublicIdentity($0.uri) }
        if identities.isEmpty, let to = try? request.to, let identity = PublicIdentity(to.uri) {
            identities = [identity]
        }
        // A second, separate set registered by the same UE over the flow adds its identities; a re-registration
        // of the same set replaces them (an identity barred since is no longer asserted).
        if sameUE, let previous, !previous.associatedIdentities.contains(where: identities.contains) {
            identities = previous.associatedIdentities + identities
        }
        registrations[flow] = FlowRegistration(
            flow: flow, privateIdentity: privateIdentity, associatedIdentities: identities,
            serviceRoute: ((try? response.serviceRoutes) ?? []).map(\.serializedString), contacts: contacts)
    }
}
