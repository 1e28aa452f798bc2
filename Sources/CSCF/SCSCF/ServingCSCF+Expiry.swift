import IMSInterfaces

extension ServingCSCF {
    /// Removes the bindings whose time is up at `now` (RFC 3261 §10.3: a binding lapses unless refreshed), and
    /// the challenges no longer answerable.
    ///
    /// Returns one change per set that lost contacts: the lapsed ones terminated with event `expired`, the rest
    /// unchanged. A set left empty is deregistered and the HSS told (SAR timeout-deregistration, TS 24.229
    /// §5.4.1.5). A challenge that lapsed unanswered for an identity not registered by its private identity is
    /// reported to the HSS as SAR authentication-timeout (TS 24.229 §5.4.1.2.1, timer reg-await-auth).
    public mutating func expire(now: Timestamp) -> [RegistrationChange] {
        var changes: [RegistrationChange] = []
        for key in sets.keys.sorted() {
            guard var set = sets[key], let next = set.nextExpiry, next <= now else { continue }
            let lapsed = set.bindings.filter { $0.expiresAt <= now }
            set.bindings.removeAll { $0.expiresAt <= now }
            changes.append(set.change(set.contactChanges(removed: lapsed, event: .expired)))
            if set.bindings.isEmpty {
                notifyHSS(key, set.privateIdentity, .timeoutDeregistration)
                removeSet(key)
            } else {
                sets[key] = set
            }
            persist(key, set.bindings)
        }

        var reported: Set<String> = []
        for challenge in challenges.removeExpired(at: now, lifetime: configuration.challengeLifetime) {
            let registeredBy = registrationSet(containing: challenge.publicIdentity)?.privateIdentity
            guard registeredBy != challenge.privateIdentity,
                reported.insert("\(challenge.privateIdentity) \(challenge.publicIdentity)").inserted
            else { continue }
            notifyHSS(challenge.publicIdentity, challenge.privateIdentity, .authenticationTimeout)
        }
        return changes
    }

    /// Network-initiated deregistration of the set `identity` belongs to (an operator's command, or the
    /// subscriber removed from the HSS), TS 24.229 §5.4.1.5: every contact terminated with event `deactivated`
    /// (`expired` for one already past its time at `now`), the HSS told (SAR administrative-deregistration), the
    /// store cleared. Nil when the identity is not registered here.
    public mutating func deregister(_ identity: PublicIdentity, now: Timestamp) -> RegistrationChange? {
        guard var set = registrationSet(containing: identity) else { return nil }
        let key = set.registeredIdentity
        notifyHSS(identity, set.privateIdentity, .administrativeDeregistration)
        removeSet(key)
        persist(key, [])
        let removed = set.bindings
        set.bindings = []
        let contacts =
            removed.map {
                ContactChange(binding: $0, state: .terminated, event: $0.expiresAt <= now ? .expired : .deactivated)
            }
        return set.change(contacts, first: identity)
    }
}
