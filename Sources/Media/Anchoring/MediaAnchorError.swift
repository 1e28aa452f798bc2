/// Why a call's media cannot be anchored, with the SIP status the engine answers (the Media module does not know
/// SIP's types, so the status is a number).
public struct MediaAnchorError: Error, Hashable, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }
        /// A realm's port pool has no free pair, or no free pair could be bound: 503.
        public static let portsExhausted = Code(name: "ports-exhausted")
        /// Every stream lost all its formats to codec filtering: 488.
        public static let noAcceptableCodec = Code(name: "no-acceptable-codec")
        /// The session description could not be parsed: 488.
        public static let unreadableSDP = Code(name: "unreadable-sdp")
        /// An SRTP-only offer (`RTP/SAVP`) from a leg whose SRTP is `off`: 488.
        public static let srtpNotAllowed = Code(name: "srtp-not-allowed")
        /// Plain RTP from a leg whose SRTP is `required`: 488.
        public static let srtpRequired = Code(name: "srtp-required")
        /// SRTP without an `a=crypto` line Gatehouse can key (suite, key, parameters): 488.
        public static let noAcceptableCrypto = Code(name: "no-acceptable-crypto")
        /// A DTLS-SRTP offer (`UDP/TLS/RTP/SAVP`) from a leg that does not allow DTLS, or an answer adding it: 488.
        public static let dtlsNotAllowed = Code(name: "dtls-not-allowed")
        /// DTLS-SRTP whose `a=setup` roles cannot form an association, or without an `a=fingerprint` Gatehouse can
        /// check: 488.
        public static let dtlsSetupRefused = Code(name: "dtls-setup-refused")
        /// No DTLS association could be made for a leg (OpenSSL refused it): 500.
        public static let dtlsUnavailable = Code(name: "dtls-unavailable")
        /// libsrtp refused a key (it should not: keys are checked first): 500.
        public static let srtpUnavailable = Code(name: "srtp-unavailable")
        /// Policy control refuses the session (more bandwidth than its allowance): 488.
        public static let refusedByPolicyControl = Code(name: "refused-by-policy-control")
    }

    public var code: Code
    /// 503 Service Unavailable, 488 Not Acceptable Here, …
    public var status: Int
    public var detail: String

    public init(_ code: Code, status: Int, detail: String) {
        self.code = code
        self.status = status
        self.detail = detail
    }
}
