import SIPMessage

/// A REGISTER relayed by a B2BUA: the UA's request rebuilt for the registrar, and the registrar's answer rebuilt
/// for the UA, with nothing of either side's addresses or identifiers crossing.
///
/// The registrar sees Gatehouse as the UA: Gatehouse's Via, Call-ID and From tag (fixed per registration, so
/// refreshes stay refreshes), and each Contact replaced by a URI of Gatehouse's own that the caller chose (the
/// NAT binding's token, `RegistrationTable`). The address-of-record (From, To), the Request-URI (the
/// registrar's domain), CSeq and the credentials pass unchanged, so a digest challenge (RFC 3261 §22) works
/// end to end: the `uri` it signs is the Request-URI.
public enum RegistrationRelay {
    /// What crosses besides the end-to-end headers: credentials toward the registrar, challenges and what a
    /// registrar grants toward the UA. Service-Route and Path name the core's and Gatehouse's hops and never
    /// cross: the UA's next hop is Gatehouse whatever they say.
    public static let passList = HeaderPassList(
        names: HeaderPassList.endToEnd.union([
            .authorization, .proxyAuthorization, .wwwAuthenticate, .proxyAuthenticate, .authenticationInfo,
            .minExpires, .date, .pAssociatedURI,
        ]))

    /// The REGISTER for the registrar.
    ///
    /// - Parameters:
    ///   - contacts: the Contact values to register (Gatehouse's URIs, with the UA's parameters), or `[.wildcard]`.
    ///   - callID, fromTag: the registration's identifiers toward the registrar.
    /// - Throws: `.tooManyHops` (483), `.badExtension` (420) for a Require Gatehouse cannot relay, `.badHeader`.
    public static func outgoingRegister(
        from inbound: SIPMessage, contacts: [ContactValue], callID: String, fromTag: String, egress: SIPEndpoint,
        branch: String, passList: HeaderPassList = RegistrationRelay.passList
    ) throws(B2BUAError) -> SIPMessage {
        let requestURI = try legParse { () throws(SIPParseError) in try inbound.requestURI }
        guard let requestURI, inbound.method == .register else {
            throw B2BUAError(.badHeader, status: .badRequest, "not a REGISTER")
        }
        let inboundFrom = try legParse { () throws(SIPParseError) in try inbound.from }
        let inboundTo = try legParse { () throws(SIPParseError) in try inbound.to }
        let cseq = try legParse { () throws(SIPParseError) in try inbound.cseq }
        let maxForwards = try CallLegs.forwardedMaxForwards(of: inbound)
        let unsupported = try passList.unsupportedRequirements(of: inbound)
        guard unsupported.isEmpty else {
            throw B2BUAError(
                .badExtension, status: .badExtension,
                "unsupported: \(unsupported.map(\.name).joined(separator: ", "))", unsupported: unsupported)
        }
        var from = NameAddress(displayName: inboundFrom.displayName, uri: inboundFrom.uri)
        from.tag = fromTag
        var headers = SIPHeaders()
        headers.append(.via, CallLeg.via(on: egress, branch: branch))
        headers.append(.maxForwards, maxForwards)
        headers.append(.from, from)
        headers.append(.to, NameAddress(displayName: inboundTo.displayName, uri: inboundTo.uri))
        headers.append(.callID, CallID(callID))
        headers.append(.cseq, CSeq(cseq.sequence, .register))
        for contact in contacts { headers.append(.contact, contact) }
        passList.copyPassing(
            from: inbound.headers, into: &headers, toward: .outbound, hidingAddressesBehind: egress)
        CallLegs.copyBody(from: inbound, into: &headers)
        return SIPMessage(
            startLine: .request(RequestLine(method: .register, uri: requestURI)), headers: headers,
            body: inbound.body)
    }

    /// The registrar's response rebuilt as the answer to the UA's REGISTER `inbound`: its status, the UA's own
    /// Via, From, To (with `toTag`), Call-ID and CSeq, `contacts` (the UA's own URIs for its bindings), and the
    /// headers that pass.
    public static func incomingResponse(
        _ response: SIPMessage, answering inbound: SIPMessage, toTag: String, contacts: [NameAddress],
        passList: HeaderPassList = RegistrationRelay.passList
    ) throws(B2BUAError) -> SIPMessage {
        guard case .response(let status) = response.startLine else {
            throw B2BUAError(.badHeader, status: .serverInternalError, "not a response")
        }
        var to = try legParse { () throws(SIPParseError) in try inbound.to }
        if status.code > 100 { to.tag = toTag }
        var headers = SIPHeaders()
        for value in inbound.headers.fieldValues(.via) { headers.append(.via, value) }
        for name in [HeaderName.from] {
            if let value = inbound.headers.first(name) { headers.append(name, value) }
        }
        headers.append(.to, to)
        for name in [HeaderName.callID, .cseq] {
            if let value = inbound.headers.first(name) { headers.append(name, value) }
        }
        for contact in contacts { headers.append(.contact, contact) }
        // No address of Gatehouse's toward the UA is at hand here: an identity header the registrar wrote with an
        // address as its host does not pass (the default pass list passes none).
        passList.copyPassing(from: response.headers, into: &headers, toward: .inbound, hidingAddressesBehind: nil)
        CallLegs.copyBody(from: response, into: &headers)
        return SIPMessage(startLine: .response(status), headers: headers, body: response.body)
    }
}
