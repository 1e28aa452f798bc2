import IMSInterfaces
import SIPMessage
import SIPStack

/// One reg-event subscription at the notifier: the dialog the SUBSCRIBE created (RFC 6665 §4.1.2, RFC 3261 §12.1.1
/// as UAS) and what the notifications need.
///
/// ```
///   SUBSCRIBE ──200──► active ──NOTIFY active;expires=N (version 0, 1, …)──► …
///                        │ refresh (in-dialog SUBSCRIBE): new expiry, new remote target
///                        │ unsubscribe (Expires: 0) / expiry ─► NOTIFY terminated;reason=timeout ─► gone
///                        │ the registration set ends ────────► NOTIFY terminated;reason=noresource ─► gone
///                        └ NOTIFY answered 481, 408, … (RFC 6665 §4.2.2) ─────────────────────────► gone
/// ```
struct RegEventSubscription: Hashable, Sendable {
    /// What the NOTIFY's Subscription-State says (RFC 6665 §8.2.3).
    enum State: Hashable, Sendable {
        case active(expires: Int64)
        case terminated(reason: String)

        var headerValue: String {
            switch self {
            case .active(let expires): "active;expires=\(max(0, expires))"
            case .terminated(let reason): "terminated;reason=\(reason)"
            }
        }
    }

    /// Call-ID, the notifier's tag (the 200's To tag) and the subscriber's (its From tag).
    let id: DialogID
    /// The identity the Request-URI named.
    let identity: PublicIdentity
    /// The SUBSCRIBE's To without tag: the NOTIFY's From.
    let localAddress: NameAddress
    /// The SUBSCRIBE's From without tag: the NOTIFY's To.
    let remoteAddress: NameAddress
    /// The SUBSCRIBE's Contact; an in-dialog SUBSCRIBE may change it (a target refresh, RFC 6665 §4.1.2.2).
    private(set) var remoteTarget: URI
    /// The SUBSCRIBE's Record-Route, in order (RFC 3261 §12.1.1).
    let routeSet: [NameAddress]
    private(set) var remoteSequence: UInt32
    /// The CSeq of the last NOTIFY sent; the first is 1.
    private(set) var localSequence: UInt32 = 0
    /// The reginfo `version` of the next document (RFC 3680 §5: 0 first, then one more for each).
    private(set) var nextVersion = 0
    var expiresAt: Timestamp
    /// The SUBSCRIBE's Event `id`, which every NOTIFY repeats (RFC 6665 §8.2.1).
    let eventID: String?
    let flow: UEFlow?
    /// The registration as last notified, for the final NOTIFY of an expiry.
    var lastState: RegistrationChange
    /// Creation order, for a deterministic order of notifications and for eviction.
    let order: UInt64

    init(
        subscribe request: SIPMessage, localTag: String, identity: PublicIdentity, eventID: String?, flow: UEFlow?,
        state: RegistrationChange, expiresAt: Timestamp, order: UInt64
    ) throws(SIPParseError) {
        let from = try request.from
        let to = try request.to
        guard let target = try request.headers.first(.contact, as: ContactValue.self)?.uri else {
            throw SIPParseError(.missingHeader, "the SUBSCRIBE has no Contact")
        }
        id = DialogID(callID: try request.callID.value, localTag: localTag, remoteTag: from.tag ?? "")
        self.identity = identity
        var local = to
        local.tag = nil
        localAddress = local
        var remote = from
        remote.tag = nil
        remoteAddress = remote
        remoteTarget = target
        routeSet = try request.recordRoutes
        remoteSequence = try request.cseq.sequence
        self.expiresAt = expiresAt
        self.eventID = eventID
        self.flow = flow
        lastState = state
        self.order = order
    }

    /// An in-dialog SUBSCRIBE (RFC 6665 §4.2.1.2): checks its CSeq (RFC 3261 §12.2.2: a lower one is answered
    /// 500) and takes its Contact as the new remote target.
    mutating func refresh(with request: SIPMessage) throws(CSCFRejection) {
        let sequence: UInt32
        let target: URI?
        do {
            sequence = try request.cseq.sequence
            target = try request.headers.first(.contact, as: ContactValue.self)?.uri
        } catch {
            throw CSCFRejection(.badRequest, reason: "bad-header", "\(error)")
        }
        guard sequence > remoteSequence else {
            throw CSCFRejection(
                .serverInternalError, reason: "cseq-out-of-order",
                "CSeq \(sequence) is not above \(remoteSequence) (RFC 3261 §12.2.2)")
        }
        remoteSequence = sequence
        if let target { remoteTarget = target }
    }

    /// The next NOTIFY of the dialog (RFC 6665 §4.2.2, RFC 3261 §12.2.1.1): a full reginfo document of `change`
    /// with the next version, the next CSeq, and the Subscription-State `state`. Without Via.
    mutating func makeNotify(
        _ change: RegistrationChange, state: State, contact: NameAddress, now: Timestamp
    ) -> SIPMessage {
        localSequence += 1
        let body = ReginfoDocument.xml(version: nextVersion, full: true, change: change, now: now)
        nextVersion += 1
        lastState = change
        let (requestURI, routes) = requestTarget()
        var headers = SIPHeaders()
        for route in routes { headers.append(.route, route) }
        headers.append(.maxForwards, MaxForwards.recommended)
        var from = localAddress
        from.tag = id.localTag
        headers.append(.from, from)
        var to = remoteAddress
        to.tag = id.remoteTag.isEmpty ? nil : id.remoteTag
        headers.append(.to, to)
        headers.append(.callID, CallID(id.callID))
        headers.append(.cseq, CSeq(localSequence, .notify))
        headers.append(.event, eventID.map { "reg;id=\($0)" } ?? "reg")
        headers.append(.subscriptionState, state.headerValue)
        headers.append(.contact, contact)
        headers.append(.contentType, ReginfoDocument.contentType)
        return SIPMessage(
            startLine: .request(RequestLine(method: .notify, uri: requestURI)), headers: headers,
            body: body)
    }

    /// Request-URI and Route (RFC 3261 §12.2.1.1): the remote target and the route set when the first route is a
    /// loose router (or there is none); for a strict router, its URI, then the rest and the remote target.
    private func requestTarget() -> (URI, [NameAddress]) {
        guard let first = routeSet.first, !(first.uri.sipURI?.lr ?? false) else { return (remoteTarget, routeSet) }
        var uri = first.uri
        if case .sip(var sipURI) = uri {
            sipURI.removeParameter(named: "method")
            sipURI.headers = []
            uri = .sip(sipURI)
        }
        return (uri, Array(routeSet.dropFirst()) + [NameAddress(uri: remoteTarget)])
    }
}
