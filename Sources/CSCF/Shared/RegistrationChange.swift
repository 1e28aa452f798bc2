import IMSInterfaces

/// What changed in one registration (one implicit registration set), as the S-CSCF's registrar reports it: the
/// input of reg-event notifications (RFC 3680) and of the P-CSCF's view of who is registered.
public struct RegistrationChange: Hashable, Sendable {
    /// The implicit registration set, the identity the REGISTER named first.
    public var publicIdentities: [PublicIdentity]
    public var privateIdentity: PrivateIdentity
    /// Every contact of the set after the change, with what happened to each (unchanged ones included, so that a
    /// full reginfo document can be written from one change), and the ones removed by it.
    public var contacts: [ContactChange]

    public init(publicIdentities: [PublicIdentity], privateIdentity: PrivateIdentity, contacts: [ContactChange]) {
        self.publicIdentities = publicIdentities
        self.privateIdentity = privateIdentity
        self.contacts = contacts
    }

    /// True when no contact is left active: the set is no longer registered.
    public var isTerminated: Bool { !contacts.contains { $0.state == .active } }
}

/// One contact in a `RegistrationChange` (RFC 3680 §5.1: `state` and `event` of a `<contact>`).
public struct ContactChange: Hashable, Sendable {
    public enum State: String, Hashable, Sendable {
        case active
        case terminated
    }

    /// RFC 3680 §5.1 contact events.
    public enum Event: String, Hashable, Sendable {
        case registered
        case created
        case refreshed
        case shortened
        case expired
        case deactivated
        case probation
        case unregistered
        case rejected
    }

    public var binding: ContactBinding
    public var state: State
    /// What happened to it in this change; nil when it did not change.
    public var event: Event?

    public init(binding: ContactBinding, state: State, event: Event?) {
        self.binding = binding
        self.state = state
        self.event = event
    }
}
