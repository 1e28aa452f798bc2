/// Server-Assignment-Request (TS 29.228 §6.1.3): the S-CSCF tells the HSS it serves (or stops serving) a public
/// identity, and receives the user profile.
public struct ServerAssignmentRequest: Hashable, Sendable {
    /// TS 29.229 §6.3.15 `Server-Assignment-Type`.
    public enum AssignmentType: String, Hashable, Sendable {
        case registration
        case reRegistration = "re-registration"
        case unregisteredUser = "unregistered-user"
        case timeoutDeregistration = "timeout-deregistration"
        case userDeregistration = "user-deregistration"
        case administrativeDeregistration = "administrative-deregistration"
        case authenticationFailure = "authentication-failure"
        case authenticationTimeout = "authentication-timeout"

        /// The types after which the identity is no longer registered.
        public var deregisters: Bool {
            switch self {
            case .timeoutDeregistration, .userDeregistration, .administrativeDeregistration: true
            default: false
            }
        }
    }

    public var publicIdentity: PublicIdentity
    /// Present for registrations (the identity that authenticated).
    public var privateIdentity: PrivateIdentity?
    public var serverName: String
    public var type: AssignmentType

    public init(
        publicIdentity: PublicIdentity, privateIdentity: PrivateIdentity?, serverName: String, type: AssignmentType
    ) {
        self.publicIdentity = publicIdentity
        self.privateIdentity = privateIdentity
        self.serverName = serverName
        self.type = type
    }
}

/// Server-Assignment-Answer: the user profile for assignments.
public struct ServerAssignmentAnswer: Hashable, Sendable {
    public var result: CxResult
    public var profile: UserProfile?

    public init(result: CxResult, profile: UserProfile? = nil) {
        self.result = result
        self.profile = profile
    }
}

/// The user profile the HSS downloads to the S-CSCF (TS 29.228 Annex B `IMSSubscription`): the implicit
/// registration set of the identity, in order, and the service profile of each.
public struct UserProfile: Hashable, Sendable {
    public var privateIdentity: PrivateIdentity
    /// The implicit registration set, the requested identity first.
    public var implicitSet: [RegisteredIdentity]

    public struct RegisteredIdentity: Hashable, Sendable {
        public var identity: PublicIdentity
        public var isBarred: Bool
        public var serviceProfile: ServiceProfile?

        public init(identity: PublicIdentity, isBarred: Bool, serviceProfile: ServiceProfile?) {
            self.identity = identity
            self.isBarred = isBarred
            self.serviceProfile = serviceProfile
        }
    }

    public init(privateIdentity: PrivateIdentity, implicitSet: [RegisteredIdentity]) {
        self.privateIdentity = privateIdentity
        self.implicitSet = implicitSet
    }

    /// The identities of the set that are not barred, in order: what P-Associated-URI lists (TS 24.229 §5.4.1.2.2).
    public var associatedIdentities: [PublicIdentity] {
        implicitSet.filter { !$0.isBarred }.map(\.identity)
    }
}
