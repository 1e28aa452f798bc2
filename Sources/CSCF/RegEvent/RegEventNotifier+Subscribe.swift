import IMSInterfaces
import SIPMessage
import SIPStack

/// SUBSCRIBE requests for the reg event (RFC 6665 §4.2.1, RFC 3680 §4.6, TS 24.229 §5.4.2.1.1).
extension RegEventNotifier {
    /// 489 Bad Event (RFC 6665 §8.3.2).
    static let badEvent = SIPStatus(489, "Bad Event")

    /// A SUBSCRIBE with `Event: reg`.
    ///
    /// - Parameters:
    ///   - flow: where it came from (from a UE, through the P-CSCF); its NOTIFYs go back there.
    ///   - registration: the current state of the registration set its Request-URI names; nil when none.
    ///   - authorized: the assembly's verdict on the subscriber (TS 24.229 §5.4.2.1.1 step 1: the UE's own
    ///     identities, the P-CSCF on its Path, an AS of its filter criteria).
    ///
    /// A new subscription (To without tag), in the order TS 24.229 §5.4.2.1.1 checks: an Event other than `reg`,
    /// 489 (with `Allow-Events: reg`); a missing Contact or From tag, or a header that does not parse, 400; no
    /// registration of the Request-URI's identity, 480 (step 0); an unauthorized subscriber, 403 (step 1); a
    /// non-zero Expires below `minExpires`, 423 (with Min-Expires); more subscriptions than `maxSubscriptions`, 503.
    /// Accepted: 200 with the notifier's tag, Expires (at most `maxExpires`), Contact and the Record-Route, and a
    /// NOTIFY with the full state. `Expires: 0` fetches the state: 200 and a final NOTIFY, nothing kept.
    ///
    /// A refresh (To with tag) must match a subscription's Call-ID and tags (else 481) and come in CSeq order (else
    /// 500); it renews the expiry, and `Expires: 0` ends the subscription with a final NOTIFY (reason `timeout`).
    /// Without the registration or the authorization any more, the subscription ends with 480 or 403.
    public mutating func handleSubscribe(
        _ request: SIPMessage, from flow: UEFlow?, registration: RegistrationChange?, authorized: Bool,
        now: Timestamp
    ) -> SubscribeOutcome {
        let failureTag = makeTag()
        guard request.method == .subscribe else {
            return Self.rejecting(
                request, CSCFRejection(.methodNotAllowed, reason: "not-subscribe", "the request is no SUBSCRIBE"),
                toTag: failureTag)
        }
        guard let event = request.headers.first(.event).flatMap(EventHeaderValue.init(parsing:)),
            event.isRegistrationPackage
        else {
            var outcome = Self.rejecting(
                request, CSCFRejection(Self.badEvent, reason: "bad-event", "the Event is not reg"), toTag: failureTag)
            outcome.response.headers.append(.allowEvents, "reg")
            return outcome
        }
        let from: NameAddress
        let to: NameAddress
        let callID: String
        let requested: UInt32?
        let identity: PublicIdentity
        do {
            from = try request.from
            to = try request.to
            callID = try request.callID.value
            requested = try request.expires?.seconds
            guard let uri = try request.requestURI, let named = PublicIdentity(uri) else {
                return Self.rejecting(
                    request, CSCFRejection(.badRequest, reason: "bad-request-uri", "the Request-URI names no identity"),
                    toTag: failureTag)
            }
            identity = named
            guard try request.headers.first(.contact, as: ContactValue.self)?.uri != nil else {
                return Self.rejecting(
                    request, CSCFRejection(.badRequest, reason: "missing-contact", "the SUBSCRIBE has no Contact"),
                    toTag: failureTag)
            }
        } catch {
            return Self.rejecting(
                request, CSCFRejection(.badRequest, reason: "bad-header", "\(error)"), toTag: failureTag)
        }
        guard let remoteTag = from.tag, !remoteTag.isEmpty else {
            return Self.rejecting(
                request, CSCFRejection(.badRequest, reason: "missing-from-tag", "the From has no tag"),
                toTag: failureTag)
        }
        if let localTag = to.tag {
            return refresh(
                request, id: DialogID(callID: callID, localTag: localTag, remoteTag: remoteTag), eventID: event.id,
                requested: requested, registration: registration, authorized: authorized, now: now)
        }
        guard let registration, !registration.isTerminated, registration.publicIdentities.contains(identity) else {
            return Self.rejecting(
                request,
                CSCFRejection(.temporarilyUnavailable, reason: "not-registered", "\(identity) has no registration"),
                toTag: failureTag)
        }
        guard authorized else {
            return Self.rejecting(
                request,
                CSCFRejection(.forbidden, reason: "not-authorized", "the subscriber may not watch \(identity)"),
                toTag: failureTag)
        }
        let granted: UInt32
        switch grantedExpires(requested) {
        case .success(let seconds): granted = seconds
        case .failure(let rejection): return intervalTooBrief(request, rejection, toTag: failureTag)
        }
        let localTag = makeTag()
        var subscription: RegEventSubscription
        do {
            subscription = try RegEventSubscription(
                subscribe: request, localTag: localTag, identity: identity, eventID: event.id, flow: flow,
                state: registration, expiresAt: now + Int64(granted), order: nextOrder)
        } catch {
            return Self.rejecting(
                request, CSCFRejection(.badRequest, reason: "bad-header", "\(error)"), toTag: failureTag)
        }
        if granted > 0 {
            evictOldest(watching: identity)
            guard subscriptions.count < configuration.maxSubscriptions else {
                return Self.rejecting(
                    request,
                    CSCFRejection(
                        .serviceUnavailable, reason: "subscription-limit",
                        "\(configuration.maxSubscriptions) reg-event subscriptions are active"),
                    toTag: failureTag)
            }
        }
        nextOrder += 1
        let response = accepting(request, expires: granted, toTag: localTag)
        // RFC 6665 §4.4.1 / §4.2.1.4: a fetch (Expires: 0) is answered with the state and creates no subscription.
        let state: RegEventSubscription.State =
            granted == 0 ? .terminated(reason: "timeout") : .active(expires: Int64(granted))
        let notify = subscription.makeNotify(registration, state: state, contact: contact, now: now)
        if granted > 0 { subscriptions[subscription.id] = subscription }
        return SubscribeOutcome(response: response, notify: OutgoingNotify(request: notify, flow: flow))
    }

    /// An in-dialog SUBSCRIBE: refresh or unsubscribe (RFC 6665 §4.2.1.2, §4.2.1.4).
    private mutating func refresh(
        _ request: SIPMessage, id: DialogID, eventID: String?, requested: UInt32?, registration: RegistrationChange?,
        authorized: Bool, now: Timestamp
    ) -> SubscribeOutcome {
        guard var subscription = subscriptions[id], subscription.eventID == eventID else {
            return Self.rejecting(
                request,
                CSCFRejection(.callDoesNotExist, reason: "no-subscription", "no reg-event subscription \(id)"),
                toTag: nil)
        }
        do {
            try subscription.refresh(with: request)
        } catch {
            return Self.rejecting(request, error, toTag: nil)
        }
        let identity = subscription.identity
        guard let registration, !registration.isTerminated, registration.publicIdentities.contains(identity) else {
            subscriptions[id] = nil
            return Self.rejecting(
                request,
                CSCFRejection(.temporarilyUnavailable, reason: "not-registered", "\(identity) has no registration"),
                toTag: nil)
        }
        guard authorized else {
            subscriptions[id] = nil
            return Self.rejecting(
                request,
                CSCFRejection(.forbidden, reason: "not-authorized", "the subscriber may not watch \(identity)"),
                toTag: nil)
        }
        let granted: UInt32
        switch grantedExpires(requested) {
        case .success(let seconds): granted = seconds
        case .failure(let rejection):
            subscriptions[id] = subscription
            return intervalTooBrief(request, rejection, toTag: nil)
        }
        let response = accepting(request, expires: granted, toTag: nil)
        if granted == 0 {
            subscriptions[id] = nil
            let notify = subscription.makeNotify(
                registration, state: .terminated(reason: "timeout"), contact: contact, now: now)
            return SubscribeOutcome(
                response: response, notify: OutgoingNotify(request: notify, flow: subscription.flow))
        }
        subscription.expiresAt = now + Int64(granted)
        // RFC 6665 §4.2.2: a refresh, like a new subscription, is followed by a NOTIFY with the current state.
        let notify = subscription.makeNotify(
            registration, state: .active(expires: Int64(granted)), contact: contact, now: now)
        subscriptions[id] = subscription
        return SubscribeOutcome(response: response, notify: OutgoingNotify(request: notify, flow: subscription.flow))
    }

    /// The duration to grant (RFC 6665 §4.2.1.1): the default when none is asked, at most `maxExpires`; a non-zero
    /// one below `minExpires` is refused.
    private func grantedExpires(_ requested: UInt32?) -> Result<UInt32, CSCFRejection> {
        let asked = requested ?? configuration.defaultExpires
        if asked > 0 && asked < configuration.minExpires {
            return .failure(
                CSCFRejection(
                    .intervalTooBrief, reason: "interval-too-brief",
                    "Expires \(asked) is below \(configuration.minExpires)"))
        }
        return .success(min(asked, configuration.maxExpires))
    }

    /// Makes room for one more subscription to `identity` by ending its oldest when the cap is reached.
    private mutating func evictOldest(watching identity: PublicIdentity) {
        let watching = subscriptions.values.filter { $0.identity == identity }
        guard watching.count >= configuration.maxSubscriptionsPerIdentity,
            let oldest = watching.min(by: { $0.order < $1.order })
        else { return }
        subscriptions[oldest.id] = nil
    }

    /// 200 OK to a SUBSCRIBE: Expires, the notifier's Contact, and the request's Record-Route (RFC 3261 §12.1.1).
    private func accepting(_ request: SIPMessage, expires: UInt32, toTag: String?) -> SIPMessage {
        var response = SIPMessage.response(to: request, status: .ok, toTag: toTag)
        for value in request.headers.fieldValues(.recordRoute) { response.headers.append(.recordRoute, value) }
        response.headers.append(.expires, Expires(expires))
        response.headers.append(.contact, contact)
        return response
    }

    private func intervalTooBrief(_ request: SIPMessage, _ rejection: CSCFRejection, toTag: String?) -> SubscribeOutcome
    {
        var outcome = Self.rejecting(request, rejection, toTag: toTag)
        outcome.response.headers.append(.minExpires, MinExpires(configuration.minExpires))
        return outcome
    }

    private static func rejecting(_ request: SIPMessage, _ rejection: CSCFRejection, toTag: String?) -> SubscribeOutcome
    {
        SubscribeOutcome(
            response: SIPMessage.response(to: request, status: rejection.status, toTag: toTag), failure: rejection)
    }
}
