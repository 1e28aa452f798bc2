/// The hash functions an `a=fingerprint` may name (RFC 8122 §5 and its IANA registry "Hash Function Textual
/// Names"), with the digest length each produces.
///
/// `Fingerprint` keeps the name as written, so an unknown one survives a round trip; this typed reading is what a
/// DTLS endpoint needs to recompute the digest of the certificate its peer presents and to reject a fingerprint
/// whose length cannot belong to the named function.
public enum FingerprintHashAlgorithm: String, Sendable, Hashable, CaseIterable, Comparable {
    case md2
    case md5
    case sha1 = "sha-1"
    case sha224 = "sha-224"
    case sha256 = "sha-256"
    case sha384 = "sha-384"
    case sha512 = "sha-512"

    /// Bytes in a digest of this function.
    public var digestLength: Int {
        switch self {
        case .md2, .md5: 16
        case .sha1: 20
        case .sha224: 28
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// Weakest first, so that `max()` of several is the one RFC 8122 §5 says to check ("the strongest hash
    /// function it supports").
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.strength < rhs.strength
    }

    private var strength: Int {
        switch self {
        case .md2: 0
        case .md5: 1
        default: digestLength
        }
    }
}

extension Fingerprint {
    /// The named hash function, read case-insensitively (RFC 8122 §5); nil for a name outside the registry.
    public var hashAlgorithm: FingerprintHashAlgorithm? {
        FingerprintHashAlgorithm(rawValue: hashFunction.lowercased())
    }

    /// A fingerprint whose hash function is known and whose digest has that function's length: one a DTLS
    /// endpoint can compare a certificate against. Nil otherwise (`sha-256 AB:CD` parses as SDP but can match no
    /// certificate).
    public var verifiableDigest: (algorithm: FingerprintHashAlgorithm, digest: [UInt8])? {
        guard let algorithm = hashAlgorithm, let digest, digest.count == algorithm.digestLength else { return nil }
        return (algorithm, digest)
    }
}
