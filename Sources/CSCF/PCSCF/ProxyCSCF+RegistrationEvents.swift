import IMSInterfaces
import SIPMessage

/// The registrar's changes and the passing of time (TS 24.229 §5.2.3: the P-CSCF subscribes to the reg event of
/// each registration and forgets what the notifications end; §5.2.2.1: it removes what expires).
extension ProxyCSCF {
    /// Applies a change as the P-CSCF's own reg-event subscription would deliver it (in process here).
    ///
    /// It concerns each flow whose identities share one with the changed set. There, a contact the change
    /// terminates is forgotten and an active one takes the change's expiry; contacts match by URI (RFC 3261
    /// §10.3 step 6) and, when the binding knows its flow, by flow, so that two UEs behind NATs registering the same
    /// private Contact stay apart. A terminated set, or a flow left without contacts, is forgotten
    /// (TS 24.229 §5.2.3: the P-CSCF removes the registration when the notification says it ended).
    public mutating func apply(_ change: RegistrationChange) {
        let changedIdentities = Set(change.publicIdentities)
        for flow in Array(registrations.keys) {
            guard var registration = registrations[flow],
                registration.associatedIdentities.contains(where: changedIdentities.contains)
            else { continue }
            if change.isTerminated {
                registrations[flow] = nil
                continue
            }
            for contactChange in change.contacts {
                let binding = contactChange.binding
                if let receivedFrom = binding.receivedFrom, UEFlow(parsing: receivedFrom) != flow { continue }
                guard let index = registration.contacts.firstIndex(where: { $0.matches(binding.contact) }) else {
                    continue
                }
                switch contactChange.state {
                case .terminated: registration.contacts.remove(at: index)
                case .active: registration.contacts[index].expiresAt = binding.expiresAt
                }
            }
            registrations[flow] = registration.contacts.isEmpty ? nil : registration
        }
    }

    /// Drops the contacts whose time is up at `now`, and the registrations left without any.
    public mutating func expire(now: Timestamp) {
        for flow in Array(registrations.keys) {
            guard var registration = registrations[flow] else { continue }
            registration.contacts.removeAll { $0.expiresAt <= now }
            registrations[flow] = registration.contacts.isEmpty ? nil : registration
        }
    }
}
