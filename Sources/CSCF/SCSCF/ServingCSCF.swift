import IMSInterfaces
import SIPMessage

/// The S-CSCF's registrar and authenticator (TS 24.229 §5.4.1, RFC 3261 §10.3): it challenges REGISTERs with
/// vectors from the HSS, checks the answers, keeps the contacts of each implicit registration set, and tells the
/// HSS (Server-Assignment) when a set is registered, refreshed or gone.
///
/// ```
///  REGISTER ─► read (400/403) ─► contact rules (400/423) ─► authenticate
///    ├─► no usable answer: MAR ─► 401 challenge (stale=true for a nonce unknown or too old)
///    ├─► AUTS: MAR resynchronisation ─► 401 with a fresh vector (403 when the HSS rejects the AUTS)
///    ├─► wrong response ─► 403 (SAR authentication-failure when not registered)
///    └─► right response, or a protected re-registration ─► bindings (500/403)
///          ├─► contacts left: SAR registration or re-registration ─► 200
///          └─► none left: SAR user-deregistration ─► 200
///  expire(now:)        bindings lapse ─► SAR timeout-deregistration for sets left empty
///                      challenges lapse ─► SAR authentication-timeout when the identity is not registered
///  deregister(_:now:)  network-initiated ─► SAR administrative-deregistration
/// ```
///
/// A value with no I/O of its own: time comes in as `now`, randomness through `random`, the HSS through the `CxServer`
/// (called synchronously: the assembly runs the S-CSCF on its own serial queue, off the event loops), and the
/// bindings go to the `RegistrarStore` after every change. A store that fails to write does not fail the REGISTER:
/// serving the UE matters more than the copy, the next write of the set replaces its rows whole, and
/// `persistenceFailures` counts what the assembly should report.
public struct ServingCSCF: Sendable {
    public let configuration: Configuration
    let cx: any CxServer
    let store: (any RegistrarStore)?
    let random: @Sendable (Int) -> [UInt8]

    /// Registered sets by the identity each was first registered with.
    var sets: [PublicIdentity: RegistrationSet] = [:]
    /// Every non-barred identity of every set, to the key of its set.
    var setKeys: [PublicIdentity: PublicIdentity] = [:]
    var challenges: PendingChallenges
    /// Sessions whose request is at an application server, by original dialog identifier (`+Sessions`).
    var originalDialogs = OriginalDialogTable()
    /// Writes to the store that threw.
    public internal(set) var persistenceFailures = 0

    /// `random(n)` returns `n` bytes from a cryptographically strong source (`SystemRandomNumberGenerator` in the
    /// assembly): digest nonces and opaque values are made from it, and a guessable nonce would let an attacker
    /// precompute answers. Tests inject a counter.
    public init(
        configuration: Configuration, cx: any CxServer, store: (any RegistrarStore)?,
        random: @escaping @Sendable (Int) -> [UInt8]
    ) {
        self.configuration = configuration
        self.cx = cx
        self.store = store
        self.random = random
        self.challenges = PendingChallenges(
            perIdentityLimit: configuration.maxChallengesPerIdentity, totalLimit: configuration.maxPendingChallenges)
    }

    /// The active bindings of the set `identity` belongs to (any identity of the set); empty when not registered.
    public func bindings(of identity: PublicIdentity) -> [ContactBinding] {
        registrationSet(containing: identity)?.bindings ?? []
    }

    /// The implicit registration set `identity` is registered in, `identity` first, then the set's other
    /// identities that are not barred; nil when it is not registered here.
    public func registeredSet(containing identity: PublicIdentity) -> [PublicIdentity]? {
        registrationSet(containing: identity)?.identities(first: identity)
    }

    /// The user profile the HSS gave for the set `identity` is registered in (its service profiles, for iFC
    /// evaluation); nil when it is not registered here.
    public func profile(of identity: PublicIdentity) -> UserProfile? {
        registrationSet(containing: identity)?.profile
    }

    /// The earliest instant `expire(now:)` has something to do: a binding or a pending challenge lapsing.
    public var nextExpiry: Timestamp? {
        let bindingExpiry = sets.values.compactMap(\.nextExpiry).min()
        let challengeExpiry = challenges.oldest?.expiresAt(lifetime: configuration.challengeLifetime)
        return [bindingExpiry, challengeExpiry].compactMap { $0 }.min()
    }

    public var registeredSetCount: Int { sets.count }

    /// Every active binding of every registered set (for operators' listings).
    public var allBindings: [ContactBinding] { sets.values.flatMap(\.bindings) }

    /// Challenges awaiting an answer (bounded by the configuration).
    public var pendingChallengeCount: Int { challenges.count }

    func registrationSet(containing identity: PublicIdentity) -> RegistrationSet? {
        setKeys[identity].flatMap { sets[$0] }
    }

    /// Keeps `set` (replacing the one of its key) and indexes its identities.
    mutating func commit(_ set: RegistrationSet) {
        if let previous = sets[set.registeredIdentity] {
            for identity in previous.identities() where setKeys[identity] == set.registeredIdentity {
                setKeys[identity] = nil
            }
        }
        sets[set.registeredIdentity] = set
        for identity in set.identities() { setKeys[identity] = set.registeredIdentity }
    }

    /// Forgets the set of this key and its index entries.
    mutating func removeSet(_ key: PublicIdentity) {
        guard let set = sets.removeValue(forKey: key) else { return }
        for identity in set.identities() where setKeys[identity] == key { setKeys[identity] = nil }
    }

    /// Writes the bindings of the set of `key` (none: its rows are removed).
    mutating func persist(_ key: PublicIdentity, _ bindings: [ContactBinding]) {
        guard let store else { return }
        do {
            try store.replaceBindings(of: key, with: bindings)
        } catch {
            persistenceFailures += 1
        }
    }

    /// Lower-case hex of `count` random bytes: nonces, opaque values, tags.
    func randomHex(_ count: Int) -> String { Hex.encode(random(count)) }
}
