import SIPMessage

/// Session timers per leg (RFC 4028): the headers Gatehouse writes on each leg, the timers it keeps, and the
/// refresh requests it sends itself where the peer on a leg will not.
extension CallLegs {
    /// The session-timer headers of a request Gatehouse sends on `side` (an INVITE or UPDATE): Supported: timer,
    /// Session-Expires with the leg's interval and refresher (before the leg has a timer: Gatehouse's own interval,
    /// no refresher, letting the peer choose) and Min-SE.
    func addSessionTimerHeaders(toRequest request: inout SIPMessage, on side: Side) {
        guard let settings = sessionTimers else { return }
        request.headers.append(.supported, OptionTag.timer)
        let sessionExpires = self[side].sessionTimer?.requestHeader ?? SessionExpires(seconds: settings.interval)
        request.headers.append(.sessionExpires, sessionExpires)
        request.headers.append(.minSE, MinSE(seconds: settings.minimum))
    }

    /// Settles the timer of the leg where Gatehouse answers the peer's `request` with the 2xx `response`, and
    /// writes it into the response: Session-Expires, and Require: timer when the peer supports timers.
    mutating func answerSessionTimer(on side: Side, request: SIPMessage, response: inout SIPMessage) {
        guard let settings = sessionTimers else { return }
        let timer = LegSessionTimer.answering(request, settings: settings, current: self[side].sessionTimer)
        self[side].sessionTimer = timer
        response.headers.append(.sessionExpires, timer.responseHeader)
        if timer.peerSupportsTimer { response.headers.append(.require, OptionTag.timer) }
    }

    /// Settles the timer of the leg where the peer answered Gatehouse's INVITE or UPDATE with the 2xx `response`.
    /// An interval below Gatehouse's minimum (which the peer may not grant, RFC 4028 §9) is raised to it, so a
    /// peer cannot make Gatehouse refresh every second.
    mutating func sessionTimerAnswered(on side: Side, by response: SIPMessage) {
        guard let settings = sessionTimers else { return }
        let asked = self[side].sessionTimer?.interval ?? settings.interval
        var timer = LegSessionTimer.answered(by: response, asked: asked)
        timer.interval = max(timer.interval, settings.minimum)
        self[side].sessionTimer = timer
    }

    /// Whether a request is one that refreshes the session when answered 2xx (RFC 4028 §1: INVITE or UPDATE).
    static func isSessionRefresh(_ method: SIPMethod) -> Bool {
        method == .invite || method == .update
    }

    /// The outbound INVITE again after the callee answered it 422 with a Min-SE above the interval Gatehouse
    /// asked for (RFC 4028 §7.4): same Call-ID, tags, To and body, the next CSeq, a new branch, Session-Expires
    /// and Min-SE raised to the callee's Min-SE. The caller never hears of it. Nil when there is nothing to retry:
    /// no session timers, a 422 without a usable Min-SE (above the asked interval, at most a day), or the INVITE
    /// was retried once already.
    public mutating func retryOutboundInvite(
        after response: SIPMessage, generator: inout some IdentifierGenerator
    ) -> SIPMessage? {
        guard sessionTimers != nil, response.statusCode == 422, !outbound.hasRetriedSessionInterval,
            let minSE = (try? response.headers.first(.minSE, as: MinSE.self)) ?? nil,
            let asked = (try? LegSessionTimer.sessionExpires(of: outbound.initialInvite)) ?? nil,
            minSE.seconds > asked.seconds, minSE.seconds <= 86_400
        else { return nil }
        outbound.hasRetriedSessionInterval = true
        return resendOutboundInvite(generator: &generator) { invite in
            invite.headers.set(.sessionExpires, SessionExpires(seconds: minSE.seconds))
            invite.headers.set(.minSE, MinSE(seconds: minSE.seconds))
        }
    }

    // MARK: Gatehouse's own refreshes

    /// The refresh Gatehouse sends on `side` when it is the leg's refresher and half the interval has passed
    /// (RFC 4028 §7.4, §10): UPDATE without a body when the peer allows UPDATE, else a re-INVITE offering the
    /// last session description Gatehouse sent on the leg, unchanged. Nil when the leg has no confirmed dialog or
    /// an INVITE is pending on it (its answer refreshes the session anyway).
    public mutating func makeSessionRefresh(
        on side: Side, generator: inout some IdentifierGenerator
    ) -> SIPMessage? {
        guard var dialog = self[side].dialog, dialog.state == .confirmed, self[side].sessionTimer != nil,
            !self[side].hasPendingOutgoingReinvite, !self[side].hasPendingIncomingReinvite
        else { return nil }
        let offer = self[side].lastSessionDescription
        let useUpdate = self[side].peerAllowsUpdate || offer == nil
        var request: SIPMessage
        if useUpdate {
            request = dialog.makeRequest(.update, via: self[side].via(branch: generator.branch()))
        } else {
            request = dialog.makeRequest(.invite, via: self[side].via(branch: generator.branch()))
            if let offer {
                request.headers.append(.contentType, offer.contentType)
                request.body = offer.body
            }
            self[side].hasPendingOutgoingReinvite = true
        }
        addSessionTimerHeaders(toRequest: &request, on: side)
        self[side].dialog = dialog
        return request
    }

    /// The peer's answer to Gatehouse's own refresh on `side`. A 2xx settles the leg's timer again; a re-INVITE's
    /// 2xx also needs the ACK this returns. Any final answer ends the pending re-INVITE. A 405 or 501 to UPDATE
    /// means the next refresh is a re-INVITE.
    public mutating func sessionRefreshAnswered(
        _ response: SIPMessage, on side: Side, generator: inout some IdentifierGenerator
    ) -> SIPMessage? {
        guard let code = response.statusCode, code >= 200, let cseq = try? response.cseq else { return nil }
        try? self[side].dialog?.receiveResponse(response)
        if cseq.method == .invite { self[side].hasPendingOutgoingReinvite = false }
        if cseq.method == .update, code == 405 || code == 501 { self[side].peerAllowsUpdate = false }
        guard (200...299).contains(code) else { return nil }
        sessionTimerAnswered(on: side, by: response)
        guard cseq.method == .invite, var dialog = self[side].dialog else { return nil }
        let ack = dialog.makeRequest(.ack, via: self[side].via(branch: generator.branch()))
        self[side].dialog = dialog
        return ack
    }

    // MARK: Hanging up

    /// A BYE Gatehouse sends on `side` to end the call there (session expired, a refresh failed, a forked answer
    /// nobody wants), with a Reason header (RFC 3326); the leg's dialog ends. Nil when the leg has no confirmed
    /// dialog: an unanswered leg is ended by a final response (inbound) or a CANCEL (outbound) instead.
    public mutating func makeBye(
        on side: Side, cause: Int, reason: String, generator: inout some IdentifierGenerator
    ) -> SIPMessage? {
        guard var dialog = self[side].dialog, dialog.state == .confirmed else { return nil }
        var bye = dialog.makeRequest(.bye, via: self[side].via(branch: generator.branch()))
        let text = reason.filter { $0 != "\"" && $0 != "\\" && !$0.isNewline }
        bye.headers.append(.reason, "SIP;cause=\(cause);text=\"\(text)\"")
        dialog.setState(.terminated)
        self[side].dialog = dialog
        return bye
    }

    /// A re-INVITE sent on `side` got no final response (timeout or transport failure): the leg is free for the
    /// next one.
    public mutating func reinviteFailed(sentOn side: Side) {
        self[side].hasPendingOutgoingReinvite = false
        self[side.other].hasPendingIncomingReinvite = false
    }
}
