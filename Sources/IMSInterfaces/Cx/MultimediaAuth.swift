/// Multimedia-Auth-Request (TS 29.228 §6.1.8): the S-CSCF asks for authentication vectors, or hands the HSS a
/// resynchronisation request (RAND and AUTS from the UE).
public struct MultimediaAuthRequest: Hashable, Sendable {
    public var privateIdentity: PrivateIdentity
    public var publicIdentity: PublicIdentity
    /// Nil: the subscriber's preferred scheme.
    public var scheme: AuthenticationScheme?
    public var numberOfItems: Int
    public var resynchronization: Resynchronization?
    public var serverName: String

    /// RAND of the vector the UE rejected and the AUTS it answered with.
    public struct Resynchronization: Hashable, Sendable {
        public var rand: [UInt8]
        public var auts: [UInt8]

        public init(rand: [UInt8], auts: [UInt8]) {
            self.rand = rand
            self.auts = auts
        }
    }

    public init(
        privateIdentity: PrivateIdentity, publicIdentity: PublicIdentity, scheme: AuthenticationScheme? = nil,
        numberOfItems: Int = 1, resynchronization: Resynchronization? = nil, serverName: String
    ) {
        self.privateIdentity = privateIdentity
        self.publicIdentity = publicIdentity
        self.scheme = scheme
        self.numberOfItems = numberOfItems
        self.resynchronization = resynchronization
        self.serverName = serverName
    }
}

/// Multimedia-Auth-Answer: the scheme chosen and its items.
public struct MultimediaAuthAnswer: Hashable, Sendable {
    public var result: CxResult
    public var items: [AuthenticationItem]

    public init(result: CxResult, items: [AuthenticationItem] = []) {
        self.result = result
        self.items = items
    }
}

/// One `SIP-Auth-Data-Item`.
public enum AuthenticationItem: Hashable, Sendable {
    case aka(AKAVector)
    case digest(DigestVector)

    public var scheme: AuthenticationScheme {
        switch self {
        case .aka: .akaV1MD5
        case .digest(let vector): vector.algorithm == .md5 ? .digestMD5 : .digestSHA256
        }
    }
}

/// An AKA authentication vector as the S-CSCF uses it (TS 33.203 §6.1): RAND and AUTN go to the UE in the nonce,
/// XRES checks its answer, CK and IK would key IPsec security associations.
public struct AKAVector: Hashable, Sendable, CustomStringConvertible {
    public var rand: [UInt8]
    public var autn: [UInt8]
    public var xres: [UInt8]
    public var ck: [UInt8]
    public var ik: [UInt8]

    public init(rand: [UInt8], autn: [UInt8], xres: [UInt8], ck: [UInt8], ik: [UInt8]) {
        self.rand = rand
        self.autn = autn
        self.xres = xres
        self.ck = ck
        self.ik = ik
    }

    public var description: String { "AKAVector(redacted)" }
}

/// What the S-CSCF needs to challenge and check an HTTP digest client: HA1, never the password.
public struct DigestVector: Hashable, Sendable, CustomStringConvertible {
    public var realm: String
    public var algorithm: DigestHash
    public var ha1: String

    public init(realm: String, algorithm: DigestHash, ha1: String) {
        self.realm = realm
        self.algorithm = algorithm
        self.ha1 = ha1
    }

    public var description: String { "DigestVector(\(realm), \(algorithm), redacted)" }
}
