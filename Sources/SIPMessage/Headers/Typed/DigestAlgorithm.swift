/// The algorithm of a Digest challenge or response (RFC 7616 §3.3; RFC 3310 §3.1 and RFC 4169 for AKA).
/// Compared without regard to case.
public struct DigestAlgorithm: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String

    public init(_ name: String) { self.name = name }

    public init(stringLiteral value: String) { self.name = value }

    public static let md5: DigestAlgorithm = "MD5"
    public static let md5Session: DigestAlgorithm = "MD5-sess"
    public static let sha256: DigestAlgorithm = "SHA-256"
    public static let sha256Session: DigestAlgorithm = "SHA-256-sess"
    public static let sha512Truncated256: DigestAlgorithm = "SHA-512-256"
    /// IMS AKA (RFC 3310): the nonce is base64 of RAND || AUTN || server data.
    public static let akav1MD5: DigestAlgorithm = "AKAv1-MD5"
    /// AKAv2 (RFC 4169).
    public static let akav2MD5: DigestAlgorithm = "AKAv2-MD5"

    /// Whether this is an AKA algorithm (`AKAv1-…`, `AKAv2-…`).
    public var isAKA: Bool { name.uppercased().hasPrefix("AKAV") }

    public var description: String { name }

    public static func == (lhs: DigestAlgorithm, rhs: DigestAlgorithm) -> Bool {
        ContentType.equalsIgnoringCase(lhs.name, rhs.name)
    }

    public func hash(into hasher: inout Hasher) {
        for byte in name.utf8 { hasher.combine(ASCII.lowercased(byte)) }
    }
}
