import SIPMessage

/// The messages a transaction builds itself, and the checks it makes on the ones it is given.
///
/// Built messages copy header fields byte for byte from the messages they answer; the serializer adds
/// Content-Length. Nothing here throws: a builder returns nil when a header it must copy is missing.
enum TransactionMessages {
    /// What a response is to a transaction: RFC 3261 §17 only tells 1xx, 2xx and 300–699 apart.
    enum ResponseClass {
        case provisional
        case success
        case failure
    }

    /// The class of `response` if it is a response with a status from 100 to 699 and the CSeq of the request
    /// (number and method, §17.1.3); nil for anything else, which the machines ignore.
    static func responseClass(_ response: SIPMessage, answering cseq: CSeq) -> ResponseClass? {
        guard let code = response.statusCode, (100...699).contains(code),
            let responseCSeq = try? response.cseq, responseCSeq == cseq
        else { return nil }
        switch code {
        case 100...199: return .provisional
        case 200...299: return .success
        default: return .failure
        }
    }

    /// Whether `request` is a request with this method and the CSeq number of the transaction's request.
    static func isRequest(_ request: SIPMessage, method: SIPMethod, sequence: UInt32) -> Bool {
        guard request.method == method, let cseq = try? request.cseq else { return false }
        return cseq.sequence == sequence && cseq.method == method
    }

    /// `INVITE`, `ACK`, `200`: a message in one word, for descriptions.
    static func summary(_ message: SIPMessage) -> String {
        switch message.startLine {
        case .request(let line): line.method.rawValue
        case .response(let line): String(line.code)
        }
    }

    // MARK: Building

    /// The 100 (Trying) an INVITE server transaction sends on its own (RFC 3261 §17.2.1, built as §8.2.6.1 asks:
    /// Via, From, To, Call-ID, CSeq and Timestamp copied, no To tag added).
    static func trying(answering request: SIPMessage) -> SIPMessage {
        var headers = SIPHeaders()
        for name in [HeaderName.via, .from, .to, .callID, .cseq, .timestamp] {
            for value in request.headers.fieldValues(name) { headers.append(name, value) }
        }
        return SIPMessage(startLine: .response(StatusLine(.trying)), headers: headers)
    }

    /// The ACK for a non-2xx final response to `invite` (RFC 3261 §17.1.1.3): the Request-URI, Call-ID, From and
    /// CSeq number of the INVITE, method ACK, the To of the response (with its tag), one Via (the INVITE's top
    /// Via), and the INVITE's Route header fields. Nil when the INVITE or the response lacks one of them.
    static func ack(for invite: SIPMessage, response: SIPMessage) -> SIPMessage? {
        guard let to = response.headers.first(.to) else { return nil }
        return derivedRequest(from: invite, method: .ack, to: to)
    }

    /// The CANCEL for a pending `invite` (RFC 3261 §9.1): the Request-URI, Call-ID, To, From and CSeq number of
    /// the INVITE, method CANCEL, one Via (the INVITE's top Via), and the INVITE's Route header fields.
    static func cancel(for invite: SIPMessage) -> SIPMessage? {
        guard let to = invite.headers.first(.to) else { return nil }
        return derivedRequest(from: invite, method: .cancel, to: to)
    }

    /// What ACK (§17.1.1.3) and CANCEL (§9.1) share: same Request-URI, top Via only, Route set, Max-Forwards
    /// (copied, or 70 as §8.1.1.6 recommends), From, Call-ID, and the CSeq number with the new method.
    private static func derivedRequest(
        from invite: SIPMessage, method: SIPMethod, to: ArraySlice<UInt8>
    ) -> SIPMessage? {
        guard let requestLine = invite.requestLine,
            let topVia = (try? invite.headers.values(.via))?.first,
            let from = invite.headers.first(.from),
            let callID = invite.headers.first(.callID),
            let cseq = try? invite.cseq
        else { return nil }
        var headers = SIPHeaders()
        headers.append(.via, topVia)
        for route in invite.headers.fieldValues(.route) { headers.append(.route, route) }
        headers.append(.maxForwards, invite.headers.first(.maxForwards) ?? Array("70".utf8)[...])
        headers.append(.from, from)
        headers.append(.to, to)
        headers.append(.callID, callID)
        headers.append(.cseq, CSeq(cseq.sequence, method))
        return SIPMessage(
            startLine: .request(RequestLine(method: method, uri: requestLine.uri, version: requestLine.version)),
            headers: headers)
    }
}
