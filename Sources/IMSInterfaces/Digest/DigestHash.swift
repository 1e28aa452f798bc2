import COpenSSL

/// The hash function of HTTP digest (RFC 7616 §3.2): MD5 for RFC 2617/3261 clients and AKAv1-MD5 (RFC 3310), SHA-256 for
/// RFC 8760 clients. Hashing goes through OpenSSL's EVP interface (the same libcrypto the node already links).
public enum DigestHash: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case md5 = "MD5"
    case sha256 = "SHA-256"

    /// The `algorithm` parameter's value (case-insensitive); nil for others.
    public init?(token: String) {
        guard let algorithm = Self.allCases.first(where: { $0.rawValue.lowercased() == token.lowercased() }) else {
            return nil
        }
        self = algorithm
    }

    /// Lower-case hex of the hash of `bytes`.
    public func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        let output = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { digest in
            var length: UInt32 = 0
            let type = self == .md5 ? EVP_md5() : EVP_sha256()
            let ok = input.withUnsafeBufferPointer { data in
                EVP_Digest(data.baseAddress, data.count, digest.baseAddress, &length, type, nil) == 1
            }
            // EVP_Digest over memory with a built-in algorithm fails only when libcrypto itself is broken.
            precondition(ok, "EVP_Digest(\(rawValue)) failed")
            return Array(digest.prefix(Int(length)))
        }
        return Hex.encode(output)
    }

    /// `hexDigest` of text joined by colons, the shape of every digest input (`a:b:c`).
    public func hexDigest(joining parts: [String]) -> String {
        hexDigest(Array(parts.joined(separator: ":").utf8))
    }

    public var description: String { rawValue }
}
