extension ProvisionedSubscriber {
    /// IMS-AKA secrets (TS 33.203, Milenage of TS 35.206): K, OP or OPc, AMF, and optionally where the sequence
    /// number starts. Prints and reflects as `AKA(redacted)`.
    public struct AKA: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// The operator key as provisioned.
        public enum OperatorKey: Sendable, Hashable {
            /// OP, the operator variant algorithm configuration field; OPc is derived from it and K.
            case op([UInt8])
            /// OPc, already derived for this subscriber's K.
            case opc([UInt8])
        }

        /// K, 16 bytes.
        public var key: [UInt8]
        /// 16 bytes.
        public var operatorKey: OperatorKey
        /// The authentication management field, 2 bytes.
        public var amf: [UInt8]
        /// The first SQN (48 bits) for a subscriber the HSS does not know yet; nil to start from zero. An existing
        /// subscriber's counter is state, and provisioning never moves it.
        public var sequenceNumber: UInt64?

        public init(key: [UInt8], operatorKey: OperatorKey, amf: [UInt8], sequenceNumber: UInt64? = nil) {
            self.key = key
            self.operatorKey = operatorKey
            self.amf = amf
            self.sequenceNumber = sequenceNumber
        }

        public var description: String { "AKA(redacted)" }
        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: [:]) }
    }

    /// HTTP digest secrets (RFC 7616, RFC 8760): the password, or HA1 = H(username:realm:password) per hash, which
    /// lets an operator provision without storing a password. Prints and reflects without the secret.
    public struct Digest: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        public enum Secret: Sendable, Hashable {
            case password(String)
            /// Lower-case hex HA1 values, at least one.
            case ha1([Hash: String])
        }

        /// The hash functions of HTTP digest.
        public enum Hash: String, Sendable, Hashable, CaseIterable {
            case md5
            case sha256

            /// Hex digits of an HA1 made with this hash: 32 for MD5, 64 for SHA-256.
            public var hexLength: Int { self == .md5 ? 32 : 64 }
        }

        /// The realm the challenge names, which HA1 values are bound to: as written, or by default the IMS domain
        /// (in a policy) or the private identity's realm (in a subscriber file).
        public var realm: String
        public var secret: Secret

        public init(realm: String, secret: Secret) {
            self.realm = realm
            self.secret = secret
        }

        /// The hashes these credentials can verify: both for a password, those provisioned for HA1 values.
        public var hashes: Set<Hash> {
            switch secret {
            case .password: Set(Hash.allCases)
            case .ha1(let values): Set(values.keys)
            }
        }

        public var description: String { "Digest(realm: \(realm), redacted)" }
        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["realm": realm]) }
    }

    /// The schemes the credentials allow, in the order a default is picked: AKA, then digest SHA-256, then MD5.
    public var allowedSchemes: [AuthenticationScheme] { Self.allowedSchemes(aka: aka, digest: digest) }

    /// The schemes credentials allow, in the order a default is picked.
    public static func allowedSchemes(aka: AKA?, digest: Digest?) -> [AuthenticationScheme] {
        var schemes: [AuthenticationScheme] = []
        if aka != nil { schemes.append(.aka) }
        if let digest {
            if digest.hashes.contains(.sha256) { schemes.append(.digestSHA256) }
            if digest.hashes.contains(.md5) { schemes.append(.digestMD5) }
        }
        return schemes
    }
}
