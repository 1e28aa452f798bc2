import SIPMessage

/// Responses: what came back on one leg becomes the answer to the request received on the other.
extension CallLegs {
    /// The response for the caller, from one received on the outbound leg to the outbound INVITE or to a request
    /// Gatehouse forwarded there. The same as `mapResponse(_:receivedOn: .outbound, answering: inboundRequest)`.
    public mutating func mapResponseToInbound(
        _ response: SIPMessage, inboundRequest: SIPMessage
    ) throws(B2BUAError) -> SIPMessage {
        try mapResponse(response, receivedOn: .outbound, answering: inboundRequest)
    }

    /// The response to send on the other leg, and both dialogs updated.
    ///
    /// `response` arrived on `side`, answering a request Gatehouse sent there; `request` is the request received
    /// on the other leg that Gatehouse forwarded. The mapped response holds:
    /// - the status code and reason phrase of `response`;
    /// - Via, From, To, Call-ID and CSeq of `request`, as received; a To without tag (the initial INVITE) gets
    ///   the leg's tag, the same on every response of the call: all forks of the far leg map to this one tag;
    /// - for a 101–299 to the initial INVITE, `request`'s Record-Route (RFC 3261 §12.1.1: the UAS copies it);
    /// - for a 101–299 to a target-refresh method, Contact = Gatehouse's address on that leg; no other Contact
    ///   (a 3xx's Contacts name the far side and are dropped);
    /// - the headers the pass list allows, and the body with its Content-Type;
    /// - nothing else of the far leg: its Vias, Record-Route, Contact, Server, tags and Call-ID stay there.
    ///
    /// Dialogs: on `side` the response updates (or, for the outbound INVITE, creates) the dialog Gatehouse has as
    /// UAC; on the other leg the mapped response updates or creates the dialog Gatehouse has as UAS.
    ///
    /// - Throws: `.unknownLeg` (481) when `response` or `request` belong to another call or leg, `.badHeader`.
    public mutating func mapResponse(
        _ response: SIPMessage, receivedOn side: Side, answering request: SIPMessage
    ) throws(B2BUAError) -> SIPMessage {
        let other = side.other
        guard let statusLine = response.statusLine, let method = request.method else {
            throw B2BUAError(.unknownLeg, status: .serverInternalError, "need a response and the request it answers")
        }
        let code = statusLine.code
        let responseCallID = try legParse { () throws(SIPParseError) in try response.callID.value }
        let responseFromTag = try legParse { () throws(SIPParseError) in try response.from.tag }
        let responseCSeq = try legParse { () throws(SIPParseError) in try response.cseq }
        guard responseCallID == self[side].callID, responseFromTag == self[side].localTag else {
            throw B2BUAError(.unknownLeg, status: .callDoesNotExist, "the response belongs to no leg of this call")
        }
        let requestCallID = try legParse { () throws(SIPParseError) in try request.callID.value }
        var requestTo = try legParse { () throws(SIPParseError) in try request.to }
        guard requestCallID == self[other].callID else {
            throw B2BUAError(.unknownLeg, status: .callDoesNotExist, "the request belongs to no leg of this call")
        }
        let isInitialInvite = method == .invite && requestTo.tag == nil
        let isDialogResponse = (101...299).contains(code)

        var headers = SIPHeaders()
        for via in request.headers.fieldValues(.via) { headers.append(.via, via) }
        if isInitialInvite, isDialogResponse {
            for route in request.headers.fieldValues(.recordRoute) { headers.append(.recordRoute, route) }
        }
        for value in request.headers.fieldValues(.from) { headers.append(.from, value) }
        if requestTo.tag == nil, code != 100 {
            requestTo.tag = self[other].localTag
            headers.append(.to, requestTo)
        } else {
            for value in request.headers.fieldValues(.to) { headers.append(.to, value) }
        }
        for value in request.headers.fieldValues(.callID) { headers.append(.callID, value) }
        for value in request.headers.fieldValues(.cseq) { headers.append(.cseq, value) }
        if isDialogResponse, Dialog.targetRefreshMethods.contains(method) {
            headers.append(.contact, self[other].contact)
        }
        passList.copyPassing(
            from: response.headers, into: &headers, toward: other, hidingAddressesBehind: self[other].endpoint)
        Self.copyBody(from: response, into: &headers)
        var mapped = SIPMessage(startLine: .response(statusLine), headers: headers, body: response.body)
        if (200...299).contains(code), Self.isSessionRefresh(method) {
            sessionTimerAnswered(on: side, by: response)
            answerSessionTimer(on: other, request: request, response: &mapped)
            if isInitialInvite { self[side].peerAllowsUpdate = Self.allowsUpdate(response) }
        }
        if method == .invite, !isInitialInvite, code >= 200 {
            self[side].hasPendingOutgoingReinvite = false
            self[other].hasPendingIncomingReinvite = false
        }

        updateUACDialog(on: side, with: response, cseq: responseCSeq)
        updateUASDialog(on: other, sending: mapped, to: request, isInitialInvite: isInitialInvite)
        self[other].remember(sessionDescriptionOf: mapped)
        return mapped
    }

    /// The leg where the response arrived: Gatehouse is UAC there.
    private mutating func updateUACDialog(on side: Side, with response: SIPMessage, cseq: CSeq) {
        guard let code = response.statusCode else { return }
        let isOutboundInvite =
            side == .outbound && cseq.method == .invite && cseq.sequence == self[side].initialInviteSequence
        guard isOutboundInvite else {
            try? self[side].dialog?.receiveResponse(response)
            return
        }
        if code >= 200 { self[side].isInviteAnswered = true }
        guard (101...299).contains(code) else {
            try? self[side].dialog?.receiveResponse(response)
            return
        }
        let toTag = (try? response.to.tag) ?? ""
        guard let dialog = self[side].dialog else {
            self[side].dialog = try? Dialog(uac: self[side].initialInvite, response: response)
            return
        }
        if dialog.id.remoteTag == toTag {
            try? self[side].dialog?.receiveResponse(response)
        } else if code >= 200, dialog.state == .early {
            // Another fork answered: its dialog is the one that counts.
            self[side].dialog = (try? Dialog(uac: self[side].initialInvite, response: response)) ?? dialog
        }
    }

    /// The leg where the mapped response goes: Gatehouse is UAS there.
    private mutating func updateUASDialog(
        on side: Side, sending response: SIPMessage, to request: SIPMessage, isInitialInvite: Bool
    ) {
        guard let code = response.statusCode else { return }
        if isInitialInvite {
            if code >= 200 { self[side].isInviteAnswered = true }
            if self[side].dialog == nil, (101...299).contains(code) {
                self[side].dialog = try? Dialog(uas: request, response: response)
                return
            }
        }
        try? self[side].dialog?.willSendResponse(response, to: request)
    }
}
