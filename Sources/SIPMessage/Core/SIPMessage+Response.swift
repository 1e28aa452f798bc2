extension SIPMessage {
    /// A response to `request` as RFC 3261 §8.2.6.2 builds one: the same Vias (in order), From, Call-ID and CSeq,
    /// and To with `toTag` added when it had no tag (responses above 100 only). `reason` replaces the status's
    /// reason phrase. The caller adds what else the response carries (Contact, Server, challenges).
    public static func response(
        to request: SIPMessage, status: SIPStatus, reason: String? = nil, toTag: String?
    ) -> SIPMessage {
        var headers = SIPHeaders()
        for value in request.headers.fieldValues(.via) { headers.append(.via, value) }
        if let from = request.headers.first(.from) { headers.append(.from, from) }
        if let to = request.headers.first(.to) {
            if status.code > 100, let toTag, var parsed = try? NameAddress(parsing: to), parsed.tag == nil {
                parsed.tag = toTag
                headers.append(.to, parsed)
            } else {
                headers.append(.to, to)
            }
        }
        for name in [HeaderName.callID, .cseq] {
            if let value = request.headers.first(name) { headers.append(name, value) }
        }
        return SIPMessage(
            startLine: .response(StatusLine(code: status.code, reason: reason ?? status.reason)), headers: headers)
    }
}
