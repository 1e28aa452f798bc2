import IMSInterfaces
import SIPMessage

extension ServingCSCF {
    /// The 200 OK to a REGISTER (RFC 3261 §10.3 step 8, TS 24.229 §5.4.1.2.2):
    /// - `Contact`: every binding of the set, each with the seconds it has left as `expires`;
    /// - `Path`: the request's Path values, in order (RFC 3327 §5.3), and `Supported: path`;
    /// - `Service-Route: <sip:orig@<S-CSCF host>;lr>` (RFC 3608), which the UE's originating requests then carry,
    ///   so that the S-CSCF knows them as originating by the `orig` user part;
    /// - `P-Associated-URI`: the set's identities that are not barred, the registered one first (RFC 3455 §4.1).
    ///
    /// `set` is nil for a deregistration, or a REGISTER that registered nothing: no contacts, no routes.
    func okResponse(to register: RegisterRequest, set: RegistrationSet?, now: Timestamp, toTag: String) -> SIPMessage {
        var response = SIPMessage.response(to: register.message, status: .ok, toTag: toTag)
        for binding in set?.bindings ?? [] {
            guard var address = try? NameAddress(parsing: binding.contact) else { continue }
            address.expires = UInt32(clamping: max(0, now.seconds(until: binding.expiresAt)))
            response.headers.append(.contact, address)
        }
        for path in register.path { response.headers.append(.path, path) }
        response.headers.append(.supported, "path")
        guard let set else { return response }
        if let serviceRoute { response.headers.append(.serviceRoute, serviceRoute) }
        let associated = set.profile.associatedIdentities
        let ordered =
            associated.contains(register.publicIdentity)
            ? [register.publicIdentity] + associated.filter { $0 != register.publicIdentity } : associated
        for identity in ordered {
            guard let uri = identity.uri else { continue }
            response.headers.append(.pAssociatedURI, NameAddress(uri: uri))
        }
        return response
    }

    /// `<sip:orig@host[:port];lr>` from the configured server name; nil when that is not a SIP or SIPS URI.
    var serviceRoute: NameAddress? {
        guard let uri = try? URI(parsing: configuration.serverName), let server = uri.sipURI else { return nil }
        let route = SIPURI(
            isSecure: server.isSecure, user: "orig", host: server.host, port: server.port,
            parameters: [URIParameter(name: "lr")])
        return NameAddress(uri: .sip(route))
    }
}
