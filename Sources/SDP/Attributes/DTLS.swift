/// `a=fingerprint:<hash-func> <fingerprint>` (RFC 8122 §5, used by DTLS-SRTP per RFC 5763 §5).
///
/// The certificate hash a DTLS peer must present. An anchoring SBC terminates DTLS on each side and so replaces
/// it with its own.
public struct Fingerprint: SDPAttributeValue {
    public static let attributeName = "fingerprint"

    /// `sha-256`, `sha-1`, … as written; compare case-insensitively (RFC 8122 §5).
    public var hashFunction: String
    /// Upper-case hex pairs separated by `:`, as written.
    public var value: String

    public init(hashFunction: String, value: String) {
        self.hashFunction = hashFunction
        self.value = value
    }

    /// A fingerprint from the raw digest, written as upper-case hex pairs (RFC 8122 §5).
    public init(hashFunction: String, digest: some Collection<UInt8>) {
        let hex = Array("0123456789ABCDEF".utf8)
        let pairs = digest.map { String(decoding: [hex[Int($0 >> 4)], hex[Int($0 & 0x0F)]], as: UTF8.self) }
        self.init(hashFunction: hashFunction, value: pairs.joined(separator: ":"))
    }

    /// The digest bytes, or nil if `value` is not hex pairs separated by `:`.
    public var digest: [UInt8]? {
        var bytes: [UInt8] = []
        for pair in Lex.pieces(value, at: Lex.colon) {
            let utf8 = Array(pair.utf8)
            guard utf8.count == 2, Lex.isHexDigit(utf8[0]), Lex.isHexDigit(utf8[1]) else { return nil }
            bytes.append(Self.nibble(utf8[0]) << 4 | Self.nibble(utf8[1]))
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        Lex.isDigit(byte) ? byte - 0x30 : (byte | 0x20) - 0x61 + 10
    }

    public init?(attributeValue: String) {
        let fields = Lex.fields(attributeValue)
        guard fields.count == 2 else { return nil }
        self.init(hashFunction: fields[0], value: fields[1])
        guard digest != nil else { return nil }
    }

    public var attributeValue: String { "\(hashFunction) \(value)" }
}

/// `a=setup` (RFC 4145 §4, RFC 5763 §5): which side opens the DTLS (or TCP) connection.
public enum SetupRole: String, SDPAttributeValue, CaseIterable {
    case active
    case passive
    /// Offerer lets the answerer choose; the answerer should then pick `active` (RFC 5763 §5).
    case actpass
    case holdconn

    public static let attributeName = "setup"

    public init?(attributeValue: String) {
        self.init(rawValue: Lex.trimmingSpaces(attributeValue).lowercased())
    }

    public var attributeValue: String { rawValue }
}

extension SDPAttributes {
    public var fingerprints: [Fingerprint] {
        get { all(Fingerprint.self) }
        set { replaceAll(with: newValue) }
    }

    public var setup: SetupRole? {
        get { first(SetupRole.self) }
        set {
            if let newValue { set(newValue) } else { removeAll(named: SetupRole.attributeName) }
        }
    }
}
