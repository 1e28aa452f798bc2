/// Where Call-IDs, tags and branches come from (STYLE rule 10: identifiers are injected).
///
/// Every function of the dialog and B2BUA models that needs a fresh identifier takes one of these, so tests and
/// replay get the same bytes on every run (`SeededIdentifierGenerator`) and the live node gets unguessable ones
/// (`RandomIdentifierGenerator`).
///
/// Requirements on a conforming type:
/// - every value is made of URL-safe token characters (`A–Z a–z 0–9 - _`), which are legal in a Call-ID word, a
///   tag and a branch (RFC 3261 §25.1), and hold no address or host name of the node (nothing internal leaks);
/// - a tag carries at least 64 random bits, a Call-ID and a branch at least 96 (RFC 3261 §8.1.1.4, §19.3
///   ask for global uniqueness; these are the margins Gatehouse keeps);
/// - a branch starts with the RFC 3261 magic cookie `z9hG4bK` (RFC 3261 §8.1.1.7).
public protocol IdentifierGenerator {
    /// A new Call-ID (RFC 3261 §8.1.1.4).
    mutating func callID() -> String
    /// A new From or To tag (RFC 3261 §19.3).
    mutating func tag() -> String
    /// A new Via branch, starting with `z9hG4bK` (RFC 3261 §8.1.1.7).
    mutating func branch() -> String
}

/// The encoding both generators share: random bits written as base64url characters (6 bits each).
enum IdentifierAlphabet {
    /// The RFC 3261 §8.1.1.7 magic cookie.
    static let magicCookie = "z9hG4bK"
    /// Characters for a tag: 16 × 6 = 96 bits (the protocol asks for at least 64).
    static let tagLength = 16
    /// Characters for a Call-ID: 24 × 6 = 144 bits (at least 96).
    static let callIDLength = 24
    /// Characters after the cookie in a branch: 20 × 6 = 120 bits (at least 96).
    static let branchLength = 20

    private static let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// `count` characters, each drawn from 6 fresh random bits.
    static func token(_ count: Int, using random: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var pool: UInt64 = 0
        var bitsLeft = 0
        for _ in 0..<count {
            if bitsLeft < 6 {
                pool = random.next()
                bitsLeft = 64
            }
            bytes.append(characters[Int(pool & 0x3F)])
            pool >>= 6
            bitsLeft -= 6
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Identifiers from the system's cryptographically secure generator: what the live node uses.
public struct RandomIdentifierGenerator: IdentifierGenerator, Sendable {
    private var random = SystemRandomNumberGenerator()

    public init() {}

    public mutating func callID() -> String {
        IdentifierAlphabet.token(IdentifierAlphabet.callIDLength, using: &random)
    }

    public mutating func tag() -> String {
        IdentifierAlphabet.token(IdentifierAlphabet.tagLength, using: &random)
    }

    public mutating func branch() -> String {
        IdentifierAlphabet.magicCookie + IdentifierAlphabet.token(IdentifierAlphabet.branchLength, using: &random)
    }
}

/// Identifiers from a fixed seed (SplitMix64): the same seed gives the same sequence on every run and platform.
/// For tests and replay only; its values are predictable by design.
public struct SeededIdentifierGenerator: IdentifierGenerator, Sendable {
    /// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and good enough to look random in a test.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private var random: SplitMix64

    public init(seed: UInt64) {
        random = SplitMix64(state: seed)
    }

    public mutating func callID() -> String {
        IdentifierAlphabet.token(IdentifierAlphabet.callIDLength, using: &random)
    }

    public mutating func tag() -> String {
        IdentifierAlphabet.token(IdentifierAlphabet.tagLength, using: &random)
    }

    public mutating func branch() -> String {
        IdentifierAlphabet.magicCookie + IdentifierAlphabet.token(IdentifierAlphabet.branchLength, using: &random)
    }
}
