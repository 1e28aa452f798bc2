import SIPMessage

/// Requests after the initial INVITE: in-dialog requests in both directions, and the caller's CANCEL.
extension CallLegs {
    /// Maps a request that arrived on `side` to a new request on the other leg.
    ///
    /// In-dialog requests (BYE, re-INVITE, UPDATE, INFO, PRACK, ACK for a 2xx, …): the receiving leg's dialog
    /// checks Call-ID, tags and CSeq (RFC 3261 §12.2.2); the other leg's dialog builds the new request
    /// (§12.2.1.1: its remote target, route set, Call-ID, tags and next CSeq; ACK reuses its last INVITE's
    /// number); the Via is Gatehouse's on that leg with a fresh branch; Max-Forwards is one less than received;
    /// the pass list decides which other headers cross; the body crosses unchanged. A PRACK's RAck names the
    /// other leg's INVITE CSeq (RFC 3262 §7.2); its RSeq number is kept, as the reliable response crossed with its
    /// RSeq.
    ///
    /// CANCEL on the inbound leg for the pending initial INVITE becomes a CANCEL of the outbound INVITE: same
    /// Request-URI, Via (branch), Route, From, To, Call-ID and CSeq number (RFC 3261 §9.1). The 200 to the CANCEL
    /// and the 487 to the INVITE are not made here: the first is the server transaction's (§9.2), the second comes
    /// back from the outbound leg through `mapResponse`.
    ///
    /// Nothing changes unless the request is forwarded. Not relayed yet: a CANCEL of a re-INVITE (dropped).
    public mutating func mapRequest(
        _ request: SIPMessage, receivedOn side: Side, generator: inout some IdentifierGenerator
    ) -> RequestOutcome {
        do throws(B2BUAError) {
            if request.method == .cancel { return .forward(try cancelOutboundInvite(request, receivedOn: side)) }
            return .forward(try forwardInDialog(request, receivedOn: side, generator: &generator))
        } catch {
            // An ACK is never answered (RFC 3261 §17.2.3); nor is a CANCEL with nothing to cancel here.
            if request.method == .ack || error.code == .nothingToCancel { return .drop(error) }
            return .respond(error)
        }
    }

    private mutating func forwardInDialog(
        _ request: SIPMessage, receivedOn side: Side, generator: inout some IdentifierGenerator
    ) throws(B2BUAError) -> SIPMessage {
        let other = side.other
        guard let method = request.method else {
            throw B2BUAError(.unknownLeg, status: .serverInternalError, "not a request")
        }
        let callID = try legParse { () throws(SIPParseError) in try request.callID.value }
        let toTag = try legParse { () throws(SIPParseError) in try request.to.tag }
        guard callID == self[side].callID, toTag == self[side].localTag else {
            throw B2BUAError(.unknownLeg, status: .callDoesNotExist, "the request belongs to no dialog of this call")
        }
        guard var receiving = self[side].dialog else {
            throw B2BUAError(.noDialog, status: .callDoesNotExist, "no dialog on the receiving leg")
        }
        do {
            try receiving.receiveRequest(request)
        } catch {
            throw B2BUAError(dialog: error)
        }
        if method != .ack {
            let unsupported = try passList.unsupportedRequirements(of: request)
            guard unsupported.isEmpty else {
                throw B2BUAError(
                    .badExtension, status: .badExtension,
                    "unsupported: \(unsupported.map(\.name).joined(separator: ", "))", unsupported: unsupported)
            }
        }
        if method == .invite { try checkGlare(receivedOn: side) }
        if Self.isSessionRefresh(method), let sessionTimers {
            try LegSessionTimer.checkRequest(request, settings: sessionTimers)
        }
        let maxForwards = try Self.forwardedMaxForwards(of: request)
        guard var sending = self[other].dialog, sending.state != .terminated else {
            throw B2BUAError(.noDialog, status: .callDoesNotExist, "no dialog on the other leg")
        }
        let rack = method == .prack ? try Self.mappedRAck(of: request, from: receiving, to: sending) : nil

        var message = sending.makeRequest(
            method, via: self[other].via(branch: generator.branch()), maxForwards: maxForwards)
        if let rack { message.headers.append(.rack, rack) }
        passList.copyPassing(
            from: request.headers, into: &message.headers, toward: other, hidingAddressesBehind: self[other].endpoint)
        Self.copyBody(from: request, into: &message.headers)
        message.body = request.body
        if Self.isSessionRefresh(method) { addSessionTimerHeaders(toRequest: &message, on: other) }
        self[side].dialog = receiving
        self[other].dialog = sending
        self[other].remember(sessionDescriptionOf: message)
        if method == .invite {
            self[side].hasPendingIncomingReinvite = true
            self[other].hasPendingOutgoingReinvite = true
        }
        return message
    }

    /// RFC 3261 §14.2: a re-INVITE from the peer on `side` while Gatehouse's own re-INVITE on that leg waits for
    /// its final response is glare, answered 491 (both ends retry after a random pause); one while the peer's
    /// previous re-INVITE is still unanswered gets 500 with a Retry-After of 0–10 s, here 2 s.
    private func checkGlare(receivedOn side: Side) throws(B2BUAError) {
        if self[side].hasPendingOutgoingReinvite {
            throw B2BUAError(.pendingRequest, status: .requestPending, "a re-INVITE of ours is pending on this leg")
        }
        if self[side].hasPendingIncomingReinvite {
            throw B2BUAError(
                .pendingRequest, status: .serverInternalError, "your previous re-INVITE is still in progress",
                retryAfter: 2)
        }
    }

    /// RAck `response-num CSeq-num Method` (RFC 3262 §7.2) with the CSeq number of the INVITE received on this
    /// leg replaced by the number of the INVITE Gatehouse sent on the other.
    private static func mappedRAck(
        of request: SIPMessage, from receiving: Dialog, to sending: Dialog
    ) throws(B2BUAError) -> String {
        let fields = (request.headers.firstString(.rack) ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 3, let rseq = UInt32(fields[0]), let sequence = UInt32(fields[1]),
            SIPMethod(String(fields[2])) == .invite
        else {
            throw B2BUAError(.badRAck, status: .badRequest, "RAck is not 'response-num CSeq-num INVITE'")
        }
        guard sequence == receiving.remoteInviteSequence, let mapped = sending.localInviteSequence else {
            throw B2BUAError(.badRAck, status: .callDoesNotExist, "RAck names no INVITE of this dialog")
        }
        return "\(rseq) \(mapped) INVITE"
    }

    /// The outbound CANCEL for the caller's CANCEL of the initial INVITE (RFC 3261 §9.1).
    private mutating func cancelOutboundInvite(
        _ cancel: SIPMessage, receivedOn side: Side
    ) throws(B2BUAError) -> SIPMessage {
        let callID = try legParse { () throws(SIPParseError) in try cancel.callID.value }
        let toTag = try legParse { () throws(SIPParseError) in try cancel.to.tag }
        let cseq = try legParse { () throws(SIPParseError) in try cancel.cseq }
        guard side == .inbound, callID == inbound.callID else {
            throw B2BUAError(.unknownLeg, status: .callDoesNotExist, "the CANCEL belongs to no leg of this call")
        }
        guard toTag == nil, cseq.sequence == inbound.initialInviteSequence, !outbound.isInviteAnswered,
            let requestLine = outbound.initialInvite.requestLine
        else {
            throw B2BUAError(.nothingToCancel, status: .ok, "no pending initial INVITE to cancel")
        }
        let invite = outbound.initialInvite
        var headers = SIPHeaders()
        // RFC 3261 §9.1: the CANCEL's top Via matches the INVITE's (same branch); Route, From, To, Call-ID and the
        // CSeq number are the INVITE's.
        if let via = invite.headers.first(.via) { headers.append(.via, via) }
        headers.append(.maxForwards, MaxForwards.recommended)
        for route in invite.headers.fieldValues(.route) { headers.append(.route, route) }
        for name in [HeaderName.from, .to, .callID] {
            for value in invite.headers.fieldValues(name) { headers.append(name, value) }
        }
        headers.append(.cseq, CSeq(outbound.initialInviteSequence, .cancel))
        if passList.names.contains(.reason) {
            for reason in cancel.headers.fieldValues(.reason) { headers.append(.reason, reason) }
        }
        return SIPMessage(startLine: .request(RequestLine(method: .cancel, uri: requestLine.uri)), headers: headers)
    }
}
