import SIPMessage

/// Building requests within a dialog (RFC 3261 §12.2.1.1).
extension Dialog {
    /// The methods whose requests carry this end's Contact, because they may refresh the remote target (RFC 3261
    /// §12.2.1.1, RFC 3311, RFC 3265, RFC 3515).
    static let targetRefreshMethods: Set<SIPMethod> = [.invite, .update, .subscribe, .notify, .refer]

    /// A new request within the dialog, as UAC (RFC 3261 §12.2.1.1):
    ///
    /// - Request-URI and Route from the remote target and the route set: with an empty route set or a loose
    ///   router first (`;lr`), Request-URI = remote target and Route = route set; with a strict router first, the
    ///   Request-URI is that router's URI (stripped of `method` and URI headers) and Route holds the rest of the
    ///   route set followed by the remote target;
    /// - From = local URI with the local tag, To = remote URI with the remote tag, the dialog's Call-ID;
    /// - CSeq = the local sequence number plus one (1 when empty), which becomes the new local sequence number;
    ///   ACK and CANCEL reuse the number of the last INVITE instead (RFC 3261 §13.2.2.4, §9.1);
    /// - Max-Forwards (70 unless told), the given Via, and Contact for target-refresh methods (INVITE, UPDATE,
    ///   SUBSCRIBE, NOTIFY, REFER);
    /// - the body, with its Content-Type.
    ///
    /// The caller adds anything else (Supported, Session-Expires, RAck, …) to the returned message.
    public mutating func makeRequest(
        _ method: SIPMethod, via: Via, maxForwards: MaxForwards = .recommended,
        body: [UInt8] = [], contentType: ContentType? = nil
    ) -> SIPMessage {
        let sequence: UInt32
        if method == .ack || method == .cancel {
            sequence = localInviteSequence ?? localSequence ?? 1
        } else {
            sequence = localSequence.map { $0 &+ 1 } ?? 1
            setLocalSequence(sequence, isInvite: method == .invite)
        }
        let (requestURI, routes) = requestTarget()
        var headers = SIPHeaders()
        headers.append(.via, via)
        headers.append(.maxForwards, maxForwards)
        for route in routes { headers.append(.route, route) }
        var from = localAddress
        from.tag = id.localTag
        headers.append(.from, from)
        var to = remoteAddress
        to.tag = id.remoteTag.isEmpty ? nil : id.remoteTag
        headers.append(.to, to)
        headers.append(.callID, CallID(id.callID))
        headers.append(.cseq, CSeq(sequence, method))
        if Self.targetRefreshMethods.contains(method) {
            headers.append(.contact, localContact)
        }
        if let contentType, !body.isEmpty { headers.append(.contentType, contentType) }
        return SIPMessage(
            startLine: .request(RequestLine(method: method, uri: requestURI)), headers: headers, body: body)
    }

    /// The Request-URI and Route values for the next request (RFC 3261 §12.2.1.1).
    func requestTarget() -> (URI, [NameAddress]) {
        guard let first = routeSet.first else { return (remoteTarget, []) }
        if first.uri.sipURI?.lr ?? false { return (remoteTarget, routeSet) }
        // A strict router: it expects to find itself in the Request-URI.
        var uri = first.uri
        if case .sip(var sipURI) = uri {
            sipURI.removeParameter(named: "method")
            sipURI.headers = []
            uri = .sip(sipURI)
        }
        return (uri, Array(routeSet.dropFirst()) + [NameAddress(uri: remoteTarget)])
    }
}
