import SIPMessage

/// The start of a call: the caller's INVITE becomes a new INVITE on the outbound leg.
extension CallLegs {
    /// A new INVITE for the outbound leg, built from scratch rather than edited from the inbound one, and the two
    /// legs of the call.
    ///
    /// What the outbound INVITE holds:
    /// - Request-URI `target`; one Via: Gatehouse's address on the egress realm with a fresh branch;
    /// - Max-Forwards: the inbound value minus one (70 when absent); an inbound 0 is refused with 483;
    /// - From: the inbound display name and URI (or `from`), without its parameters, with a fresh tag;
    /// - To: the inbound display name and URI, without tag or parameters;
    /// - a fresh Call-ID, CSeq `1 INVITE`, Contact: Gatehouse's address on the egress realm;
    /// - the headers `passList` lets through, in inbound order (Supported and Require filtered to the supported
    ///   option tags), and the body with its Content-Type, unchanged (the SDP is rewritten by the media layer);
    /// - nothing else: no Route, Record-Route, Path, Via or Contact of the inbound side, no User-Agent, no P-* or
    ///   X-* header unless the list names it.
    ///
    /// The inbound leg gets its tag here, once: every response Gatehouse sends to the caller carries it.
    ///
    /// - Throws: `.tooManyHops` (483), `.badExtension` (420, with the unsupported tags) when the INVITE requires
    ///   an extension Gatehouse does not relay (RFC 3261 §8.2.2.3), `.badHeader` (400, also for a missing Contact),
    ///   `.notInitialInvite`.
    public static func makeOutgoingInvite(
        from inbound: SIPMessage, target: URI, ingress: SIPEndpoint, egress: SIPEndpoint,
        passList: HeaderPassList = HeaderPassList(), sessionTimers: SessionTimerSettings? = nil,
        from newFrom: NameAddress? = nil, generator: inout some IdentifierGenerator
    ) throws(B2BUAError) -> (SIPMessage, CallLegs) {
        guard inbound.method == .invite else {
            throw B2BUAError(.notInitialInvite, status: .serverInternalError, "not an INVITE")
        }
        let inboundTo = try legParse { () throws(SIPParseError) in try inbound.to }
        guard inboundTo.tag == nil else {
            throw B2BUAError(.notInitialInvite, status: .serverInternalError, "the INVITE is within a dialog")
        }
        let inboundFrom = try legParse { () throws(SIPParseError) in try inbound.from }
        let inboundCallID = try legParse { () throws(SIPParseError) in try inbound.callID.value }
        let inboundCSeq = try legParse { () throws(SIPParseError) in try inbound.cseq }
        guard try legParse({ () throws(SIPParseError) in try inbound.contacts.first?.uri }) != nil else {
            // RFC 3261 §8.1.1.8: an INVITE must carry a Contact; the inbound dialog's remote target comes from it.
            throw B2BUAError(.badHeader, status: .badRequest, "the INVITE has no Contact")
        }
        let maxForwards = try Self.forwardedMaxForwards(of: inbound)
        let unsupported = try passList.unsupportedRequirements(of: inbound)
        guard unsupported.isEmpty else {
            throw B2BUAError(
                .badExtension, status: .badExtension,
                "unsupported: \(unsupported.map(\.name).joined(separator: ", "))", unsupported: unsupported)
        }
        if let sessionTimers { try LegSessionTimer.checkRequest(inbound, settings: sessionTimers) }

        let outboundCallID = generator.callID()
        let outboundTag = generator.tag()
        let inboundTag = generator.tag()
        let outboundSequence: UInt32 = 1
        // Topology hiding (ARCHITECTURE.md "Nothing internal leaks"): the caller's From keeps its user and display
        // name but takes the egress address as host; To is the callee as routed (the new Request-URI). Neither
        // carries a host of the inbound side. A tel URI has no host and passes as it is.
        var from = NameAddress(
            displayName: newFrom?.displayName ?? inboundFrom.displayName,
            uri: newFrom?.uri ?? Self.hidingHost(of: inboundFrom.uri, behind: egress))
        from.tag = outboundTag
        let to = NameAddress(displayName: inboundTo.displayName, uri: target)

        var headers = SIPHeaders()
        headers.append(.via, CallLeg.via(on: egress, branch: generator.branch()))
        headers.append(.maxForwards, maxForwards)
        headers.append(.from, from)
        headers.append(.to, to)
        headers.append(.callID, CallID(outboundCallID))
        headers.append(.cseq, CSeq(outboundSequence, .invite))
        headers.append(.contact, CallLeg.contact(on: egress))
        passList.copyPassing(
            from: inbound.headers, into: &headers, toward: .outbound, hidingAddressesBehind: egress)
        Self.copyBody(from: inbound, into: &headers)
        var invite = SIPMessage(
            startLine: .request(RequestLine(method: .invite, uri: target)), headers: headers,
            body: inbound.body)

        var inboundLeg = CallLeg(
            callID: inboundCallID, localTag: inboundTag, endpoint: ingress, initialInvite: inbound,
            sequence: inboundCSeq.sequence)
        inboundLeg.peerAllowsUpdate = Self.allowsUpdate(inbound)
        var outboundLeg = CallLeg(
            callID: outboundCallID, localTag: outboundTag, endpoint: egress, initialInvite: invite,
            sequence: outboundSequence)
        outboundLeg.remember(sessionDescriptionOf: invite)
        var legs = CallLegs(
            inbound: inboundLeg, outbound: outboundLeg, passList: passList, sessionTimers: sessionTimers)
        legs.addSessionTimerHeaders(toRequest: &invite, on: .outbound)
        legs.outbound.initialInvite = invite
        return (invite, legs)
    }

    /// Notes the outbound INVITE as it finally leaves, after what `makeOutgoingInvite` built was rewritten on its
    /// way out (the border's egress stages toward the peer, the media layer's anchored SDP): it becomes the leg's
    /// initial INVITE, so that its CANCEL (RFC 3261 §9.1), ACK, resends (`resendOutboundInvite`) and dialog
    /// (§12.1.2: local and remote URI from its From and To) copy what the callee received, not the draft.
    public mutating func outboundInviteSent(_ invite: SIPMessage) {
        outbound.initialInvite = invite
    }

    /// The outbound INVITE again, as a new transaction: the same Call-ID, tags, To, Request-URI and body, a new
    /// branch and the next CSeq (RFC 3263 §4.3 when the next server is tried, RFC 4028 §7.4 after a 422);
    /// `change` edits it further. It becomes the leg's initial INVITE (its ACK and CANCEL follow it).
    public mutating func resendOutboundInvite(
        generator: inout some IdentifierGenerator, change: (inout SIPMessage) -> Void = { _ in }
    ) -> SIPMessage {
        var invite = outbound.initialInvite
        let sequence = outbound.initialInviteSequence + 1
        invite.headers.set(.via, outbound.via(branch: generator.branch()))
        invite.headers.set(.cseq, CSeq(sequence, .invite))
        change(&invite)
        outbound.initialInvite = invite
        outbound.initialInviteSequence = sequence
        return invite
    }

    /// Max-Forwards for the forwarded request: one less than received, 70 when absent (RFC 3261 §8.1.1.6,
    /// §16.6 step 3).
    ///
    /// - Throws: `.tooManyHops` (483) when it was 0, `.badHeader` when malformed.
    static func forwardedMaxForwards(of request: SIPMessage) throws(B2BUAError) -> MaxForwards {
        guard let received = try legParse({ () throws(SIPParseError) in try request.maxForwards }) else {
            return .recommended
        }
        guard let decremented = received.decremented else {
            throw B2BUAError(.tooManyHops, status: .tooManyHops, "Max-Forwards is 0")
        }
        return decremented
    }

    /// Whether a message's Allow lists UPDATE (RFC 3311 §5.1).
    static func allowsUpdate(_ message: SIPMessage) -> Bool {
        ((try? message.headers.all(.allow, as: SIPMethod.self)) ?? []).contains(.update)
    }

    /// The body's Content-Type, when there is a body (the serializer writes Content-Length).
    static func copyBody(from source: SIPMessage, into headers: inout SIPHeaders) {
        guard !source.body.isEmpty, let contentType = source.headers.first(.contentType) else { return }
        headers.append(.contentType, contentType)
    }

    /// `uri` with the host (and port and parameters) of `endpoint`: the user part stays, nothing of the original
    /// host does.
    static func hidingHost(of uri: URI, behind endpoint: SIPEndpoint) -> URI {
        guard case .sip(let sipURI) = uri else { return uri }
        return .sip(SIPURI(isSecure: sipURI.isSecure, user: sipURI.user, host: endpoint.uriHost))
    }
}
