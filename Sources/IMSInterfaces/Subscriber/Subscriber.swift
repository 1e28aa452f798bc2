/// One subscription as the HSS holds it (3GPP TS 23.008 §3, TS 29.228 §6.6): a private identity that
/// authenticates, the public identities it registers and is reached at, its credentials and its service profiles.
///
/// A subscriber has exactly one private identity here (an IMS subscription may hold several; each would be its own
/// `Subscriber` sharing public identities, which Gatehouse does not support).
public struct Subscriber: Hashable, Sendable {
    public var privateIdentity: PrivateIdentity
    /// In provisioning order; the first is the default public identity (the one P-Associated-URI lists first
    /// when the registered identity is not itself in a set).
    public var publicIdentities: [PublicIdentityEntry]
    public var credentials: SubscriberCredentials
    /// Service profiles by name; each public identity names the one it uses.
    public var serviceProfiles: [ServiceProfile]
    /// What an S-CSCF must offer to serve this subscriber (the I-CSCF picks one by these).
    public var capabilities: SCSCFCapabilities

    public init(
        privateIdentity: PrivateIdentity, publicIdentities: [PublicIdentityEntry], credentials: SubscriberCredentials,
        serviceProfiles: [ServiceProfile] = [], capabilities: SCSCFCapabilities = .none
    ) {
        self.privateIdentity = privateIdentity
        self.publicIdentities = publicIdentities
        self.credentials = credentials
        self.serviceProfiles = serviceProfiles
        self.capabilities = capabilities
    }

    /// The entry for an identity: a distinct one equal to it, else the first wildcard it falls under.
    public func entry(for identity: PublicIdentity) -> PublicIdentityEntry? {
        publicIdentities.first { $0.identity == .distinct(identity) }
            ?? publicIdentities.first { entry in
                if case .wildcarded(let wildcard) = entry.identity { wildcard.matches(identity) } else { false }
            }
    }

    /// The implicit registration set an identity belongs to (TS 23.228 §4.3.3.4): every distinct, unbarred
    /// identity of the same set, the given one first. A wildcarded identity stands for itself and the set's
    /// distinct identities.
    public func implicitRegistrationSet(of identity: PublicIdentity) -> [PublicIdentity] {
        guard let entry = entry(for: identity) else { return [] }
        let others = publicIdentities.compactMap { other -> PublicIdentity? in
            guard other.implicitSet == entry.implicitSet, !other.isBarred,
                case .distinct(let distinct) = other.identity, distinct != identity
            else { return nil }
            return distinct
        }
        return [identity] + others
    }

    /// The service profile a public identity uses (by its entry), if provisioned.
    public func serviceProfile(for identity: PublicIdentity) -> ServiceProfile? {
        guard let name = entry(for: identity)?.serviceProfile else { return nil }
        return serviceProfiles.first { $0.name == name }
    }
}

/// One public identity of a subscriber.
public struct PublicIdentityEntry: Hashable, Sendable {
    public enum Identity: Hashable, Sendable, CustomStringConvertible {
        /// One identity, such as `sip:alice@ims.example.net` or `tel:+15550100001`.
        case distinct(PublicIdentity)
        /// A block of identities (a PBX's numbers, a PSI range).
        case wildcarded(WildcardedIdentity)

        public var description: String {
            switch self {
            case .distinct(let identity): identity.description
            case .wildcarded(let wildcard): wildcard.description
            }
        }
    }

    public var identity: Identity
    /// Identities with the same set name are registered and deregistered together.
    public var implicitSet: String
    /// A barred identity is registered with its set but may not originate or be reached (TS 23.228 §4.3.3.5).
    public var isBarred: Bool
    /// The name of the service profile (initial filter criteria) this identity uses.
    public var serviceProfile: String?
    /// A public service identity (an AS or MRF hosts it) rather than a user's identity: never registered.
    public var isServiceIdentity: Bool

    public init(
        _ identity: Identity, implicitSet: String = "default", isBarred: Bool = false, serviceProfile: String? = nil,
        isServiceIdentity: Bool = false
    ) {
        self.identity = identity
        self.implicitSet = implicitSet
        self.isBarred = isBarred
        self.serviceProfile = serviceProfile
        self.isServiceIdentity = isServiceIdentity
    }
}

/// S-CSCF capabilities (TS 29.228 §6.7): numbers whose meaning the operator defines. The I-CSCF picks an S-CSCF
/// that has every mandatory capability of the subscriber, preferring one with the most optional ones.
public struct SCSCFCapabilities: Hashable, Sendable {
    public var mandatory: [Int]
    public var optional: [Int]

    public init(mandatory: [Int] = [], optional: [Int] = []) {
        self.mandatory = mandatory
        self.optional = optional
    }

    public static let none = SCSCFCapabilities()
}
