/// One subscriber as written in `ims.subscribers` or in a file for `gatehouse hss import`: the plain, validated
/// values the assembly maps into the HSS's subscriber model (IMSInterfaces' `Subscriber`), which this module does
/// not import.
///
/// Secrets (AKA keys, digest passwords and HA1 values) never appear in `description`, in `String(reflecting:)`,
/// in `dump` or in a diagnostic, so a subscriber or a whole policy can be logged.
public struct ProvisionedSubscriber: Sendable, Hashable, CustomStringConvertible {
    /// The private identity (IMPI, TS 23.003 §13.3), such as `alice@ims.gatehouse.test`: non-empty, without
    /// whitespace or control characters.
    public var privateIdentity: String
    /// In the order written; the first is the default public identity. Never empty.
    public var publicIdentities: [PublicIdentity]
    /// IMS-AKA secrets; at least one of `aka` and `digest` is present.
    public var aka: AKA?
    /// Digest secrets.
    public var digest: Digest?
    /// The scheme the S-CSCF challenges with when the REGISTER does not ask for one the credentials allow.
    public var preferredScheme: AuthenticationScheme
    /// What an S-CSCF must offer to serve this subscriber. Default: nothing.
    public var capabilities: Capabilities
    /// The service profiles the public identities name, in the order written.
    public var serviceProfiles: [ServiceProfile]

    public init(
        privateIdentity: String, publicIdentities: [PublicIdentity], aka: AKA? = nil, digest: Digest? = nil,
        preferredScheme: AuthenticationScheme, capabilities: Capabilities = Capabilities(),
        serviceProfiles: [ServiceProfile] = []
    ) {
        self.privateIdentity = privateIdentity
        self.publicIdentities = publicIdentities
        self.aka = aka
        self.digest = digest
        self.preferredScheme = preferredScheme
        self.capabilities = capabilities
        self.serviceProfiles = serviceProfiles
    }

    /// The identities and schemes, never a secret.
    public var description: String {
        let identities = publicIdentities.map(\.identity).joined(separator: ", ")
        return "\(privateIdentity) [\(identities)] (\(preferredScheme))"
    }

    /// One public identity (IMPU or PSI, TS 23.003 §13.4) of the subscriber.
    public struct PublicIdentity: Sendable, Hashable {
        /// As written: `sip:alice@ims.gatehouse.test`, `tel:+15550100001`, or a wildcarded identity such as
        /// `tel:+1555019!.*!` (its variable part a regular expression between two `!`).
        public var identity: String
        /// Whether `identity` is wildcarded (`!…!`).
        public var isWildcard: Bool
        /// Identities of one set register and deregister together (TS 23.228 §4.3.3.4). Default `default`.
        public var implicitSet: String
        /// A barred identity registers with its set but may neither originate nor be reached. Default false.
        public var isBarred: Bool
        /// The service profile the identity uses: the one it names, else the subscriber's first; nil when the
        /// subscriber has none.
        public var serviceProfile: String?
        /// A public service identity (hosted by an application server), never registered. Default false.
        public var isServiceIdentity: Bool

        /// The implicit registration set an identity joins when it names none.
        public static let defaultImplicitSet = "default"

        public init(
            _ identity: String, isWildcard: Bool = false, implicitSet: String = PublicIdentity.defaultImplicitSet,
            isBarred: Bool = false, serviceProfile: String? = nil, isServiceIdentity: Bool = false
        ) {
            self.identity = identity
            self.isWildcard = isWildcard
            self.implicitSet = implicitSet
            self.isBarred = isBarred
            self.serviceProfile = serviceProfile
            self.isServiceIdentity = isServiceIdentity
        }
    }

    /// The scheme the S-CSCF challenges with (`authentication:`): `aka` needs AKA credentials, the digest ones
    /// digest credentials that allow their hash.
    public enum AuthenticationScheme: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// IMS-AKA carried in HTTP digest, AKAv1-MD5 (RFC 3310).
        case aka
        /// HTTP digest with MD5 (RFC 2617, RFC 3261 §22).
        case digestMD5 = "digest-md5"
        /// HTTP digest with SHA-256 (RFC 7616, RFC 8760).
        case digestSHA256 = "digest-sha256"

        public var description: String { rawValue }
    }

    /// S-CSCF capabilities the subscriber needs (TS 29.228 §6.7): an S-CSCF must have every mandatory one; the
    /// I-CSCF prefers one with more of the optional ones.
    public struct Capabilities: Sendable, Hashable {
        public var mandatory: [Int]
        public var optional: [Int]

        public init(mandatory: [Int] = [], optional: [Int] = []) {
            self.mandatory = mandatory
            self.optional = optional
        }
    }
}
