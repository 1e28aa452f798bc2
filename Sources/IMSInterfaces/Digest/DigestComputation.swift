/// The digest values of RFC 7616 §3.4.1 (and RFC 2617 without `qop`), shared by the HSS (which derives HA1 from a
/// password) and the S-CSCF (which checks a response against HA1).
public enum DigestComputation {
    /// HA1 = H(username ":" realm ":" password). The password is bytes: for AKAv1-MD5 it is RES itself, binary
    /// (RFC 3310 §3.4), which need not be UTF-8.
    public static func ha1(
        algorithm: DigestHash, username: String, realm: String, password: some Collection<UInt8>
    ) -> String {
        algorithm.hexDigest(Array("\(username):\(realm):".utf8) + Array(password))
    }

    /// The `response` a client computes for a request (qop `auth` or none; `auth-int` is not offered).
    public static func response(
        algorithm: DigestHash, ha1: String, nonce: String, method: String, uri: String,
        qop: String?, nonceCount: String?, clientNonce: String?
    ) -> String {
        let ha2 = algorithm.hexDigest(joining: [method, uri])
        if let qop, let nonceCount, let clientNonce {
            return algorithm.hexDigest(joining: [ha1, nonce, nonceCount, clientNonce, qop, ha2])
        }
        return algorithm.hexDigest(joining: [ha1, nonce, ha2])
    }
}
