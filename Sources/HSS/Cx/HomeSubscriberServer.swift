import IMSInterfaces

/// The HSS's Cx side (TS 29.228 §6, TS 29.229): the four exchanges the I-CSCF and S-CSCF make, answered from a
/// `SubscriberStore`.
///
/// ```
///   I-CSCF ── UAR ──► may this REGISTER proceed, and which S-CSCF?         userAuthorization   §6.1.1
///   S-CSCF ── MAR ──► authentication vectors (AKA or digest), resync       multimediaAuth      §6.3
///   S-CSCF ── SAR ──► I serve (or stop serving) this identity; its profile  serverAssignment    §6.1.2
///   I-CSCF ── LIR ──► which S-CSCF serves this identity for a call?        locationInfo        §6.1.4
/// ```
///
/// The server holds no state of its own: registration state, the S-CSCF assigned and the SQN counters live in the
/// store, so two nodes on one PostgreSQL store answer alike. Answers about the subscriber are `CxResult`s; a
/// store that fails, or a record the store hands back that cannot be served (a K of the wrong length), is thrown.
///
/// Not modelled: roaming restrictions (UAR's visited network is accepted as is), the `…_STORE_SERVER_NAME`
/// deregistration types, and push of profile changes to the S-CSCF (PPR/RTR).
public final class HomeSubscriberServer: CxServer, Sendable {
    public let store: any SubscriberStore
    /// `count` unpredictable bytes: RANDs are drawn from it (STYLE rule 10: tests inject a fixed one).
    let random: @Sendable (Int) -> [UInt8]

    /// The most AKA vectors one MAR receives, whatever its `numberOfItems` asks: each one advances the SQN, and a
    /// burst of unused vectors only pushes the counter ahead of the USIM.
    public static let maximumVectorsPerRequest = 5

    public init(
        store: any SubscriberStore,
        random: @escaping @Sendable (Int) -> [UInt8] = { HomeSubscriberServer.systemRandom($0) }
    ) {
        self.store = store
        self.random = random
    }

    /// Bytes from the system's CSPRNG (`SystemRandomNumberGenerator`: getrandom(2) on Linux).
    public static func systemRandom(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    // MARK: Shared by the exchanges

    /// The subscriber a request is about, and the entry the public identity falls under.
    enum Lookup {
        case found(Subscriber, PublicIdentityEntry)
        case failed(CxResult)
    }

    /// Finds the owner of `identity` and checks it is `privateIdentity`'s, when one is given: TS 29.228 §6.1.1.1
    /// steps 1 and 2 (and the same checks in MAR and SAR). `.userUnknown` when either identity is unknown,
    /// `.identitiesDontMatch` when both are known but belong to different subscribers.
    func lookUp(_ identity: PublicIdentity, privateIdentity: PrivateIdentity?) throws -> Lookup {
        guard let owner = try store.subscriber(owning: identity), let entry = owner.entry(for: identity) else {
            return .failed(.userUnknown)
        }
        if let privateIdentity, owner.privateIdentity != privateIdentity {
            return .failed(try store.subscriber(privateIdentity) == nil ? .userUnknown : .identitiesDontMatch)
        }
        return .found(owner, entry)
    }

    /// The registration `identity` is in. An identity that falls under a wildcard has no row of its own unless it
    /// registered itself; it shares the state of its implicit registration set (TS 23.228 §4.3.3.4), so the set's
    /// distinct identities answer for it: a PBX registered with its main identity is reached on every number of
    /// its block.
    func registration(of identity: PublicIdentity, in subscriber: Subscriber) throws -> IdentityRegistration {
        let own = try store.registration(of: identity)
        guard own.state == .notRegistered, own.serverName == nil, let entry = subscriber.entry(for: identity),
            case .wildcarded = entry.identity
        else { return own }
        for mate in subscriber.implicitRegistrationSet(of: identity).dropFirst() {
            let shared = try store.registration(of: mate)
            if shared.state != .notRegistered || shared.serverName != nil {
                return IdentityRegistration(identity: identity, state: shared.state, serverName: shared.serverName)
            }
        }
        return own
    }
}
