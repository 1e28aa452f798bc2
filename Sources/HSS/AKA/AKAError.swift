/// Why an AKA value was rejected or an AKA procedure failed.
///
/// One error type for Milenage and AKA, in the shape of STYLE rule 4: a `code` that tests and counters key on and a
/// human `detail` for the log line. There is no SIP status here: whether a bad `auts` is answered 403 or a broken
/// subscriber record 500 is the S-CSCF's call, not the HSS's. Codes are static lets on an open struct, so adding one
/// never breaks a caller's `switch`.
public struct AKAError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}

extension AKAError.Code {
    /// Text that should be hexadecimal holds another character.
    public static let invalidHex = Self(rawValue: "invalid-hex")
    /// Text that should be base64 (RFC 4648 §4) holds another character, or misplaced padding.
    public static let invalidBase64 = Self(rawValue: "invalid-base64")
    /// A value has the wrong number of bytes (or hex digits) for its field.
    public static let wrongLength = Self(rawValue: "wrong-length")
    /// A number does not fit its field (an SQN over 48 bits, a SEQ over 43, an IND over 5).
    public static let outOfRange = Self(rawValue: "out-of-range")
    /// MAC-S in an AUTS is not f1* of the SQN it carries: the resynchronisation request is not from the USIM that
    /// holds K (TS 33.102 §6.3.5).
    public static let resynchronisationMACMismatch = Self(rawValue: "mac-s-mismatch")
    /// OpenSSL refused to set up AES-128 (out of memory, or a library without the cipher).
    public static let cryptoFailure = Self(rawValue: "crypto-failure")
}
