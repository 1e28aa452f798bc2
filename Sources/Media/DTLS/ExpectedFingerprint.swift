import SDP

/// One `a=fingerprint` of the peer that a certificate can be checked against: a hash function OpenSSL computes
/// and a digest of that function's length.
struct ExpectedFingerprint: Hashable, Sendable {
    var algorithm: FingerprintHashAlgorithm
    var digest: [UInt8]

    /// The checkable ones among `fingerprints`: MD2 (gone from OpenSSL 3), unknown names and digests of the wrong
    /// length are left out.
    static func usable(_ fingerprints: [Fingerprint]) -> [ExpectedFingerprint] {
        fingerprints.compactMap { fingerprint in
            guard let (algorithm, digest) = fingerprint.verifiableDigest, algorithm != .md2 else { return nil }
            return ExpectedFingerprint(algorithm: algorithm, digest: digest)
        }
    }

    /// Whether `certificate` (`X509 *`) is the one the fingerprints describe. RFC 8122 §5: with several
    /// fingerprints, the strongest hash function among them is the one checked, and a match with any fingerprint
    /// of that function suffices (a peer may hold several certificates).
    static func matches(_ expected: [ExpectedFingerprint], certificate: OpaquePointer) -> Bool {
        guard let strongest = expected.map(\.algorithm).max(),
            let actual = DTLSCertificate.digest(of: certificate, strongest)
        else { return false }
        return expected.contains { $0.algorithm == strongest && $0.digest == actual }
    }
}
