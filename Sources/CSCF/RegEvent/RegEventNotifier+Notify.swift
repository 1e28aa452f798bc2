import IMSInterfaces
import SIPMessage

/// NOTIFY requests for changes, expiry, and the subscriber's answers (RFC 6665 §4.2.2, TS 24.229 §5.4.2.1.2).
extension RegEventNotifier {
    /// A NOTIFY for every subscription watching an identity of the changed set, in the order they were made: the
    /// full state with the next version and CSeq. When the set is no longer registered the NOTIFY ends the
    /// subscription, `terminated;reason=noresource` (RFC 6665 §4.1.3: the watched state no longer exists; TS 24.229
    /// §5.4.2.1.2 ends the subscriptions with the registration). Subscriptions whose time is up are left to
    /// `expire(now:)`.
    public mutating func notifications(for change: RegistrationChange, now: Timestamp) -> [OutgoingNotify] {
        let identities = Set(change.publicIdentities)
        var notifies: [OutgoingNotify] = []
        for var subscription in subscriptionsInOrder
        where identities.contains(subscription.identity) && now < subscription.expiresAt {
            let state: RegEventSubscription.State =
                change.isTerminated
                ? .terminated(reason: "noresource") : .active(expires: now.seconds(until: subscription.expiresAt))
            let request = subscription.makeNotify(change, state: state, contact: contact, now: now)
            subscriptions[subscription.id] = change.isTerminated ? nil : subscription
            notifies.append(OutgoingNotify(request: request, flow: subscription.flow))
        }
        return notifies
    }

    /// A final NOTIFY, `terminated;reason=timeout` with the state last notified, for each subscription not
    /// refreshed in time (RFC 6665 §4.2.2); the subscriptions are removed.
    public mutating func expire(now: Timestamp) -> [OutgoingNotify] {
        var notifies: [OutgoingNotify] = []
        for var subscription in subscriptionsInOrder where subscription.expiresAt <= now {
            let request = subscription.makeNotify(
                subscription.lastState, state: .terminated(reason: "timeout"), contact: contact, now: now)
            subscriptions[subscription.id] = nil
            notifies.append(OutgoingNotify(request: request, flow: subscription.flow))
        }
        return notifies
    }

    /// Final responses to a NOTIFY that end its subscription (RFC 6665 §4.2.2): the subscriber no longer has it
    /// (481 and its kin), cannot be reached (408, the transaction timing out), or never will take it.
    static let subscriptionEndingStatuses: Set<Int> = [
        404, 405, 408, 410, 416, 480, 481, 482, 483, 484, 485, 489, 501, 604,
    ]

    /// The subscriber answered a NOTIFY of the dialog with this Call-ID: a status that ends the subscription
    /// removes it; others (2xx, a passing 500) change nothing.
    public mutating func notifyAnswered(callID: String, status: Int) {
        guard Self.subscriptionEndingStatuses.contains(status) else { return }
        for id in subscriptions.keys where id.callID == callID {
            subscriptions[id] = nil
        }
    }
}
