/// `a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]`: SDES keying for SRTP (RFC 4568 §9.1).
///
/// A border controller that anchors SRTP replaces the keys on each side (`keyParameters[i].keySalt`, or a whole
/// new attribute), keeps the tag and suite the offerer chose so the answer can refer to them (RFC 4568 §5.1.2),
/// and relays session parameters it does not act on.
public struct CryptoAttribute: SDPAttributeValue {
    public static let attributeName = "crypto"

    /// `1*9DIGIT`; identifies this offer among several so the answer can pick one.
    public var tag: UInt32
    public var suite: CryptoSuite
    /// One or more `key-method ":" key-info`, separated by `;` on the wire (RFC 4568 §9.1).
    public var keyParameters: [KeyParameter]
    /// `UNENCRYPTED_SRTP`, `KDR=…`, `WSH=…`, … (RFC 4568 §6.3), as written.
    public var sessionParameters: [String]

    public init(tag: UInt32, suite: CryptoSuite, keyParameters: [KeyParameter], sessionParameters: [String] = []) {
        self.tag = tag
        self.suite = suite
        self.keyParameters = keyParameters
        self.sessionParameters = sessionParameters
    }

    /// A single inline key from raw key‖salt bytes.
    public init(tag: UInt32, suite: CryptoSuite, keySalt: [UInt8], sessionParameters: [String] = []) {
        self.init(
            tag: tag, suite: suite, keyParameters: [KeyParameter(keySaltBytes: keySalt)],
            sessionParameters: sessionParameters)
    }

    /// One key parameter: `inline:<base64 key||salt>[|<lifetime>][|<MKI>:<length>]` (RFC 4568 §6.1, §9.2).
    public struct KeyParameter: Hashable, Sendable {
        /// `inline` is the only method defined; for others `keySalt` holds the whole key-info.
        public var method: String
        /// Base64 of the master key followed by the master salt.
        public var keySalt: String
        /// `2^31` or a decimal count of packets, as written.
        public var lifetime: String?
        public var mki: MKI?

        public init(method: String = "inline", keySalt: String, lifetime: String? = nil, mki: MKI? = nil) {
            self.method = method
            self.keySalt = keySalt
            self.lifetime = lifetime
            self.mki = mki
        }

        public init(keySaltBytes: [UInt8], lifetime: String? = nil, mki: MKI? = nil) {
            self.init(keySalt: Base64.encode(keySaltBytes), lifetime: lifetime, mki: mki)
        }

        /// The decoded master key‖salt, or nil if `keySalt` is not base64.
        public var keySaltBytes: [UInt8]? { Base64.decode(keySalt) }

        /// The lifetime as a number of packets (`2^n` evaluated), or nil when absent or too large.
        public var lifetimePackets: UInt64? {
            guard let lifetime else { return nil }
            if lifetime.hasPrefix("2^") {
                guard let exponent = Lex.decimal(lifetime.utf8.dropFirst(2), as: UInt8.self), exponent < 64
                else { return nil }
                return 1 << UInt64(exponent)
            }
            return Lex.decimal(lifetime, as: UInt64.self)
        }

        var text: String {
            var text = "\(method):\(keySalt)"
            if let lifetime { text += "|\(lifetime)" }
            if let mki { text += "|\(mki.value):\(mki.length)" }
            return text
        }

        init?(text: String) {
            guard let (method, info) = Lex.splitOnce(text, at: Lex.colon), !method.isEmpty, !info.isEmpty else {
                return nil
            }
            guard method == "inline" else {
                self.init(method: method, keySalt: info)
                return
            }
            let parts = Lex.pieces(info, at: 0x7C)  // "|"
            guard parts.count <= 3, Base64.isBase64(parts[0]) else { return nil }
            var lifetime: String?
            var mki: MKI?
            for (index, part) in parts.enumerated().dropFirst() {
                if let (value, length) = Lex.splitOnce(part, at: Lex.colon) {
                    // The MKI comes last (RFC 4568 §9.2).
                    guard index == parts.count - 1, let value = Lex.decimal(value, as: UInt64.self),
                        let length = Lex.int(length), (1...128).contains(length)
                    else { return nil }
                    mki = MKI(value: value, length: length)
                } else {
                    guard lifetime == nil, index == 1, Self.isLifetime(part) else { return nil }
                    lifetime = part
                }
            }
            self.init(method: method, keySalt: parts[0], lifetime: lifetime, mki: mki)
        }

        private static func isLifetime(_ text: String) -> Bool {
            let digits = text.hasPrefix("2^") ? Array(text.utf8.dropFirst(2)) : Array(text.utf8)
            return !digits.isEmpty && digits.allSatisfy(Lex.isDigit)
        }
    }

    /// Master key identifier and its length in bytes (RFC 4568 §6.1).
    public struct MKI: Hashable, Sendable {
        public var value: UInt64
        /// 1–128.
        public var length: Int

        public init(value: UInt64, length: Int) {
            self.value = value
            self.length = length
        }
    }

    public init?(attributeValue: String) {
        let fields = Lex.fields(attributeValue)
        guard fields.count >= 3, fields[0].utf8.count <= 9, let tag = Lex.decimal(fields[0], as: UInt32.self)
        else { return nil }
        var keys: [KeyParameter] = []
        for text in Lex.pieces(fields[2], at: Lex.semicolon) {
            guard let key = KeyParameter(text: text) else { return nil }
            keys.append(key)
        }
        self.init(
            tag: tag, suite: CryptoSuite(rawValue: fields[1]), keyParameters: keys,
            sessionParameters: Array(fields[3...]))
    }

    public var attributeValue: String {
        ([String(tag), suite.rawValue, keyParameters.map(\.text).joined(separator: ";")] + sessionParameters)
            .joined(separator: " ")
    }
}

/// An SRTP crypto suite name (RFC 4568 §6.2, RFC 6188, RFC 7714). Unknown names are kept.
public struct CryptoSuite: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let aesCM128HMACSHA1Tag80 = Self(rawValue: "AES_CM_128_HMAC_SHA1_80")
    public static let aesCM128HMACSHA1Tag32 = Self(rawValue: "AES_CM_128_HMAC_SHA1_32")
    public static let f8128HMACSHA1Tag80 = Self(rawValue: "F8_128_HMAC_SHA1_80")
    public static let aes192CMHMACSHA1Tag80 = Self(rawValue: "AES_192_CM_HMAC_SHA1_80")
    public static let aes192CMHMACSHA1Tag32 = Self(rawValue: "AES_192_CM_HMAC_SHA1_32")
    public static let aes256CMHMACSHA1Tag80 = Self(rawValue: "AES_256_CM_HMAC_SHA1_80")
    public static let aes256CMHMACSHA1Tag32 = Self(rawValue: "AES_256_CM_HMAC_SHA1_32")
    public static let aeadAES128GCM = Self(rawValue: "AEAD_AES_128_GCM")
    public static let aeadAES256GCM = Self(rawValue: "AEAD_AES_256_GCM")

    /// Bytes of master key plus master salt an inline key must decode to, for the suites above; nil otherwise.
    /// AES-CM and F8 use a 112-bit salt (RFC 3711 §8.2), AEAD-GCM a 96-bit one (RFC 7714 §12).
    public var keySaltLength: Int? {
        switch self {
        case .aesCM128HMACSHA1Tag80, .aesCM128HMACSHA1Tag32, .f8128HMACSHA1Tag80: 30
        case .aes192CMHMACSHA1Tag80, .aes192CMHMACSHA1Tag32: 38
        case .aes256CMHMACSHA1Tag80, .aes256CMHMACSHA1Tag32: 46
        case .aeadAES128GCM: 28
        case .aeadAES256GCM: 44
        default: nil
        }
    }
}

extension SDPAttributes {
    /// Every `a=crypto` in order of preference. Setting replaces them all where the first stood.
    public var crypto: [CryptoAttribute] {
        get { all(CryptoAttribute.self) }
        set { replaceAll(with: newValue) }
    }
}
