import IMSInterfaces

extension ServingCSCF {
    /// Loads the bindings the store kept (a restart), grouped into their sets by the identity each set was
    /// registered with, and drops those already lapsed at `now`.
    ///
    /// The store keeps bindings, not user profiles, so each set that still has contacts asks the HSS for its
    /// profile again with SAR re-registration (the HSS still holds the identity as registered here); an HSS that
    /// answers it with IN_ASSIGNMENT_TYPE or IDENTITY_NOT_REGISTERED (its own state was reset) is asked with SAR
    /// registration instead. That rebuilds the implicit set, so that `registeredSet(containing:)` finds every
    /// identity of it again. A set whose subscriber the HSS now refuses is dropped (contacts terminated, event
    /// `rejected`); a set whose contacts all lapsed while the node was down is deregistered (SAR
    /// timeout-deregistration, event `expired`).
    ///
    /// Returns one change per set: restored ones with their contacts active and unchanged (and lapsed ones
    /// terminated), so that the P-CSCF and reg-event can rebuild their view; dropped ones terminated.
    ///
    /// Throws what the store or the HSS throws, and then keeps nothing of what it loaded: a registrar restored
    /// halfway would answer for some UEs and not others.
    public mutating func restore(now: Timestamp) throws -> [RegistrationChange] {
        guard let store else { return [] }
        let groups = Dictionary(grouping: try store.loadBindings(), by: \.publicIdentity)
        var restored: [RegistrationSet] = []
        var dropped: [PublicIdentity] = []
        var changes: [RegistrationChange] = []
        for key in groups.keys.sorted() {
            let bindings = (groups[key] ?? []).sorted { $0.registeredAt < $1.registeredAt }
            guard let first = bindings.first else { continue }
            let active = bindings.filter { $0.expiresAt > now }
            let lapsed = bindings.filter { $0.expiresAt <= now }
            let privateIdentity = active.first?.privateIdentity ?? first.privateIdentity
            guard !active.isEmpty else {
                notifyHSS(key, privateIdentity, .timeoutDeregistration)
                dropped.append(key)
                changes.append(Self.terminated(key, privateIdentity, lapsed, event: .expired))
                continue
            }
            guard let profile = try restoredProfile(key, privateIdentity) else {
                dropped.append(key)
                changes.append(Self.terminated(key, privateIdentity, bindings, event: .rejected))
                continue
            }
            let set = RegistrationSet(
                registeredIdentity: key, privateIdentity: privateIdentity, profile: profile, bindings: active)
            restored.append(set)
            changes.append(set.change(set.contactChanges(removed: lapsed, event: .expired)))
        }
        for set in restored {
            commit(set)
            if set.bindings.count != groups[set.registeredIdentity]?.count {
                persist(set.registeredIdentity, set.bindings)
            }
        }
        for key in dropped { persist(key, []) }
        return changes
    }

    /// The profile for a restored set, or nil when the HSS refuses the subscriber now.
    private func restoredProfile(_ key: PublicIdentity, _ privateIdentity: PrivateIdentity) throws -> UserProfile? {
        var answer = try cx.serverAssignment(
            ServerAssignmentRequest(
                publicIdentity: key, privateIdentity: privateIdentity, serverName: configuration.serverName,
                type: .reRegistration))
        if answer.result == .inAssignmentType || answer.result == .identityNotRegistered {
            answer = try cx.serverAssignment(
                ServerAssignmentRequest(
                    publicIdentity: key, privateIdentity: privateIdentity, serverName: configuration.serverName,
                    type: .registration))
        }
        guard answer.result.isSuccess else { return nil }
        return answer.profile
    }

    private static func terminated(
        _ key: PublicIdentity, _ privateIdentity: PrivateIdentity, _ bindings: [ContactBinding],
        event: ContactChange.Event
    ) -> RegistrationChange {
        RegistrationChange(
            publicIdentities: [key], privateIdentity: privateIdentity,
            contacts: bindings.map { ContactChange(binding: $0, state: .terminated, event: event) })
    }
}
