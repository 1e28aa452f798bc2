/// How a subscriber proves its identity: IMS-AKA (3GPP TS 33.203), HTTP digest (RFC 7616 / RFC 8760), or both,
/// with the scheme the S-CSCF challenges with when the UE does not ask for one.
public struct SubscriberCredentials: Hashable, Sendable {
    public var aka: AKACredentials?
    public var digest: DigestCredentials?
    /// The scheme used when the REGISTER does not name one the subscriber has.
    public var preferredScheme: AuthenticationScheme

    public init(aka: AKACredentials? = nil, digest: DigestCredentials? = nil, preferredScheme: AuthenticationScheme) {
        self.aka = aka
        self.digest = digest
        self.preferredScheme = preferredScheme
    }

    /// The schemes these credentials allow, the preferred one first.
    public var schemes: [AuthenticationScheme] {
        var all: [AuthenticationScheme] = []
        if aka != nil { all.append(.akaV1MD5) }
        if digest != nil { all += [.digestSHA256, .digestMD5] }
        return [preferredScheme] + all.filter { $0 != preferredScheme }
    }
}

/// The subscriber's AKA secrets, as provisioned: K, OP or OPc, AMF. SQN is state, kept by the HSS apart.
public struct AKACredentials: Hashable, Sendable, CustomStringConvertible {
    public enum OperatorKey: Hashable, Sendable {
        /// The operator variant algorithm configuration field; OPc is derived per subscriber.
        case op([UInt8])
        /// Already derived for this subscriber's K.
        case opc([UInt8])
    }

    /// 16 bytes.
    public var key: [UInt8]
    public var operatorKey: OperatorKey
    /// 2 bytes.
    public var amf: [UInt8]

    public init(key: [UInt8], operatorKey: OperatorKey, amf: [UInt8]) {
        self.key = key
        self.operatorKey = operatorKey
        self.amf = amf
    }

    /// Never prints a secret.
    public var description: String { "AKACredentials(redacted)" }
}

/// Digest secrets: the password itself, or HA1 = H(username ":" realm ":" password) per algorithm, which lets
/// an operator provision without ever storing a password.
public struct DigestCredentials: Hashable, Sendable, CustomStringConvertible {
    public enum Secret: Hashable, Sendable {
        case password(String)
        /// Lower-case hex HA1 values by algorithm; a challenge uses only algorithms provisioned here.
        case ha1([DigestHash: String])
    }

    /// The realm the challenge names; HA1 values are bound to it.
    public var realm: String
    public var secret: Secret

    public init(realm: String, secret: Secret) {
        self.realm = realm
        self.secret = secret
    }

    /// The algorithms these credentials can verify.
    public var algorithms: [DigestHash] {
        switch secret {
        case .password: [.sha256, .md5]
        case .ha1(let values): DigestHash.allCases.filter { values[$0] != nil }
        }
    }

    public var description: String { "DigestCredentials(realm: \(realm), redacted)" }
}

/// The authentication schemes the S-CSCF challenges with (TS 29.228 §6.3.2 `SIP-Authentication-Scheme`).
public enum AuthenticationScheme: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// IMS-AKA carried in HTTP digest (RFC 3310).
    case akaV1MD5 = "Digest-AKAv1-MD5"
    /// HTTP digest with SHA-256 (RFC 7616, RFC 8760 for SIP).
    case digestSHA256 = "SIP Digest SHA-256"
    /// HTTP digest with MD5 (RFC 2617 / RFC 3261).
    case digestMD5 = "SIP Digest"

    /// The digest `algorithm` parameter value.
    public var algorithmToken: String {
        switch self {
        case .akaV1MD5: "AKAv1-MD5"
        case .digestSHA256: "SHA-256"
        case .digestMD5: "MD5"
        }
    }

    /// The scheme an `algorithm` parameter names (case-insensitive); nil for unknown ones.
    public init?(algorithmToken: String) {
        guard let scheme = Self.allCases.first(where: { $0.algorithmToken.lowercased() == algorithmToken.lowercased() })
        else { return nil }
        self = scheme
    }

    public var description: String { rawValue }
}
