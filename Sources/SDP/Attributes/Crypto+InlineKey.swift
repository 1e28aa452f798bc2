/// Why an `a=crypto` line's key cannot be used (RFC 4568 §6.1, §6.3). A border controller that terminates SDES
/// takes only lines it can key exactly as written; anything else is skipped, and an offer left with none is
/// refused.
public struct CryptoKeyError: Error, Hashable, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }
        /// The suite's key length is not known here (an unregistered suite name).
        public static let unknownSuite = Code(name: "unknown-suite")
        /// Not exactly one key parameter: several keys need MKIs to tell them apart, which are not taken.
        public static let keyCount = Code(name: "key-count")
        /// A key method other than `inline`.
        public static let keyMethod = Code(name: "key-method")
        /// The key is not base64, or decodes to another length than the suite's key‖salt.
        public static let keyLength = Code(name: "key-length")
        /// The key carries a master key identifier (`|MKI:length`), which is not taken.
        public static let masterKeyIdentifier = Code(name: "master-key-identifier")
        /// A session parameter that changes how SRTP runs (`UNENCRYPTED_SRTP`, `KDR`, `FEC_ORDER`, …); only the
        /// replay window hint `WSH` is taken (RFC 4568 §6.3.7 makes it advisory).
        public static let sessionParameter = Code(name: "session-parameter")
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }
}

extension CryptoAttribute {
    /// The single inline master key‖salt of the line, checked against the suite's length; throws when the line
    /// asks for anything beyond one plain inline key.
    public func inlineKeySalt() throws(CryptoKeyError) -> [UInt8] {
        guard let length = suite.keySaltLength else {
            throw CryptoKeyError(.unknownSuite, detail: "no key length known for \(suite)")
        }
        guard keyParameters.count == 1, let key = keyParameters.first else {
            throw CryptoKeyError(.keyCount, detail: "\(keyParameters.count) keys; one is taken")
        }
        guard key.method == "inline" else {
            throw CryptoKeyError(.keyMethod, detail: "key method '\(key.method)'")
        }
        guard key.mki == nil else {
            throw CryptoKeyError(.masterKeyIdentifier, detail: "keys with an MKI are not taken")
        }
        guard let bytes = key.keySaltBytes, bytes.count == length else {
            throw CryptoKeyError(
                .keyLength,
                detail: "\(suite) needs \(length) bytes of key and salt, not \(key.keySaltBytes?.count ?? 0)")
        }
        for parameter in sessionParameters where !parameter.uppercased().hasPrefix("WSH=") {
            throw CryptoKeyError(.sessionParameter, detail: "session parameter \(parameter)")
        }
        return bytes
    }
}
