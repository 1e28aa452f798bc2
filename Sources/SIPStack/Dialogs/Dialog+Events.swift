import SIPMessage

/// The events that change a dialog after it was created.
extension Dialog {
    /// A request arrived within this dialog (RFC 3261 §12.2.2). Checks that it belongs here and is in order, then
    /// records its CSeq; a BYE terminates the dialog.
    ///
    /// - Throws: `.mismatchedDialog` or `.dialogTerminated` (481), `.cseqOutOfOrder` (500: the CSeq is lower than
    ///   the remote sequence number), `.badHeader` (400). An ACK that throws is dropped, never answered.
    public mutating func receiveRequest(_ request: SIPMessage) throws(DialogError) {
        guard let method = request.method else {
            throw DialogError(.mismatchedDialog, status: .serverInternalError, "not a request")
        }
        let callID = try dialogParse { () throws(SIPParseError) in try request.callID.value }
        let fromTag = try dialogParse { () throws(SIPParseError) in try request.from.tag } ?? ""
        let toTag = try dialogParse { () throws(SIPParseError) in try request.to.tag } ?? ""
        let cseq = try dialogParse { () throws(SIPParseError) in try request.cseq }
        guard callID == id.callID, fromTag == id.remoteTag, toTag == id.localTag else {
            throw DialogError(.mismatchedDialog, status: .callDoesNotExist, "Call-ID or tags do not match")
        }
        guard state != .terminated else {
            throw DialogError(.dialogTerminated, status: .callDoesNotExist, "the dialog is terminated")
        }
        // RFC 3261 §12.2.2: ACK and CANCEL carry the INVITE's number and leave the remote sequence alone.
        if method == .ack || method == .cancel { return }
        if let remoteSequence, cseq.sequence < remoteSequence {
            // RFC 3261 §12.2.2: "lower than the remote sequence number … MUST be rejected with a 500".
            throw DialogError(
                .cseqOutOfOrder, status: .serverInternalError,
                "CSeq \(cseq.sequence) is lower than the remote sequence number \(remoteSequence)")
        }
        setRemoteSequence(cseq.sequence, isInvite: method == .invite)
        // RFC 3261 §15.1.2: a BYE that matches the dialog ends it (the UAS answers 2xx).
        if method == .bye { setState(.terminated) }
    }

    /// This end is about to send `response` to `request`, a request received in the dialog (the UAS side of a
    /// transaction). A 2xx to a re-INVITE or UPDATE makes the request's Contact the remote target (RFC 3261
    /// §12.2.2, RFC 3311 §5.2); a 2xx to the INVITE confirms an early dialog; a 3xx–6xx to it ends an early dialog.
    public mutating func willSendResponse(_ response: SIPMessage, to request: SIPMessage) throws(DialogError) {
        guard let code = response.statusCode, let method = request.method, state != .terminated else { return }
        if (200...299).contains(code), method == .invite || method == .update {
            if let target = try dialogParse({ () throws(SIPParseError) in try Self.contactURI(of: request) }) {
                setRemoteTarget(target)
            }
        }
        guard method == .invite, state == .early else { return }
        if (200...299).contains(code) {
            setState(.confirmed)
        } else if code >= 300 {
            // RFC 3261 §12.3: a non-2xx final response to the INVITE ends its early dialogs.
            setState(.terminated)
        }
    }

    /// A response arrived to a request this end sent in the dialog (RFC 3261 §12.2.1.2).
    ///
    /// - 2xx to INVITE on an early dialog: confirmed; route set and remote target recomputed from the 2xx
    ///   (RFC 3261 §13.2.2.4);
    /// - 2xx to a re-INVITE or UPDATE: the response's Contact becomes the remote target (RFC 3311 §5.1);
    /// - 3xx–6xx to the INVITE of an early dialog: terminated (§12.3);
    /// - 481 or 408 to any request: terminated (§12.2.1.2);
    /// - a final response to BYE other than 401/407: terminated (§15.1.1).
    ///
    /// - Throws: `.mismatchedDialog` when Call-ID or the To tag belong to another dialog (another fork); `.badHeader`.
    public mutating func receiveResponse(_ response: SIPMessage) throws(DialogError) {
        guard let code = response.statusCode, state != .terminated else { return }
        let callID = try dialogParse { () throws(SIPParseError) in try response.callID.value }
        let toTag = try dialogParse { () throws(SIPParseError) in try response.to.tag } ?? ""
        let method = try dialogParse { () throws(SIPParseError) in try response.cseq.method }
        guard callID == id.callID, toTag == id.remoteTag || (toTag.isEmpty && code < 200) else {
            throw DialogError(.mismatchedDialog, status: .callDoesNotExist, "Call-ID or To tag do not match")
        }
        if code == 481 || code == 408 {
            setState(.terminated)
            return
        }
        if method == .bye, code >= 200, code != 401, code != 407 {
            setState(.terminated)
            return
        }
        let isSuccess = (200...299).contains(code)
        if method == .invite, state == .early {
            if isSuccess {
                setState(.confirmed)
                let routes = try dialogParse { () throws(SIPParseError) in try response.recordRoutes }
                setRouteSet(routes.reversed())
            } else if code >= 300 {
                setState(.terminated)
                return
            }
        }
        if isSuccess, method == .invite || method == .update,
            let target = try dialogParse({ () throws(SIPParseError) in try Self.contactURI(of: response) })
        {
            setRemoteTarget(target)
        }
    }
}
