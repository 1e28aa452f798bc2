import IMSInterfaces

/// One implicit registration set as the registrar holds it (TS 23.228 §4.3.3.4, TS 24.229 §5.4.1.2.2): registered by
/// one private identity, reached at one list of contacts shared by every identity of the set.
///
/// A REGISTER naming any identity of a registered set refreshes this set; its bindings carry the identity the set
/// was first registered with (`registeredIdentity`), which is also the key the store keeps them under, so that one
/// set is one group of rows however its identities were named since.
struct RegistrationSet: Hashable, Sendable {
    /// The identity the set was first registered with.
    var registeredIdentity: PublicIdentity
    var privateIdentity: PrivateIdentity
    /// The user profile of the last Server-Assignment-Answer: the set's identities and service profiles.
    var profile: UserProfile
    /// Active bindings, in the order they were first registered.
    var bindings: [ContactBinding]

    /// The identities of the set: `first` (the identity a REGISTER named, else the registered one), then every
    /// other identity of the profile that is not barred (barred ones may not originate or be reached,
    /// TS 23.228 §4.3.3.5).
    func identities(first: PublicIdentity? = nil) -> [PublicIdentity] {
        let lead = first ?? registeredIdentity
        return [lead] + profile.associatedIdentities.filter { $0 != lead }
    }

    /// The earliest instant a binding lapses.
    var nextExpiry: Timestamp? { bindings.map(\.expiresAt).min() }

    /// The change describing `contacts`, with the identity a REGISTER named first.
    func change(_ contacts: [ContactChange], first: PublicIdentity? = nil) -> RegistrationChange {
        RegistrationChange(
            publicIdentities: identities(first: first), privateIdentity: privateIdentity, contacts: contacts)
    }

    /// Every binding unchanged and active, with `removed` appended as terminated by `event`.
    func contactChanges(removed: [ContactBinding], event: ContactChange.Event) -> [ContactChange] {
        bindings.map { ContactChange(binding: $0, state: .active, event: nil) }
            + removed.map { ContactChange(binding: $0, state: .terminated, event: event) }
    }
}
