import IMSInterfaces
import SIPMessage

/// Checks an Authorization's answer to a pending challenge (RFC 7616 §3.4, RFC 2617 §3.2.2, RFC 3310 §3.3).
///
/// ```
/// HA1      = H(username ":" realm ":" password)   AKAv1-MD5: password = XRES, raw bytes (RFC 3310 §3.3);
///                                                 digest: HA1 from the HSS (it never hands out a password)
/// response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" H(method ":" uri))   with qop=auth
///          = H(HA1 ":" nonce ":" H(method ":" uri))                             without qop (RFC 2069)
/// ```
///
/// Parameters that contradict the challenge (realm, algorithm, opaque) make the request malformed: 400, and no
/// authentication failure is counted. Only a well-formed answer with the wrong `response` is a failed
/// authentication.
///
/// The `uri` parameter is taken as the client wrote it, even when it names something other than the
/// Request-URI (RFC 7616 §3.4.6 would have the server refuse that): clients behind an outbound proxy, and SIPp,
/// put the next hop's address there. The response still proves knowledge of the secret for that nonce, and nonces
/// here are single-use, so the check would add no protection against replay, only refusals of honest UEs.
enum DigestVerification {
    enum Verdict: Hashable, Sendable {
        case valid
        /// The UE computed another response: a wrong password, or RES from another vector.
        case wrongResponse
        /// The answer cannot be checked; the rejection says why (400).
        case malformed(CSCFRejection)
    }

    static func verify(
        _ credentials: Credentials, against challenge: PendingChallenge, method: SIPMethod, requestURI: String
    ) -> Verdict {
        guard let response = credentials.response, !response.isEmpty else {
            return .malformed(.badAuthorization("the Authorization answers a challenge but has no response"))
        }
        if let realm = credentials.realm, realm != challenge.realm {
            return .malformed(.badAuthorization("realm \"\(realm)\" is not the challenge's \"\(challenge.realm)\""))
        }
        if let algorithm = credentials.algorithm, algorithm != DigestAlgorithm(challenge.scheme.algorithmToken) {
            return .malformed(
                .badAuthorization("algorithm \(algorithm) is not the challenge's \(challenge.scheme.algorithmToken)"))
        }
        if let opaque = credentials.opaque, opaque != challenge.opaque {
            return .malformed(.badAuthorization("opaque is not the challenge's"))
        }
        // Absent (some UEs), the Request-URI is what the client hashed.
        let digestURI = credentials.uri ?? requestURI
        let qop = credentials.qop
        if let qop, qop.lowercased() != "auth" {
            return .malformed(.badAuthorization("qop \(qop) was not offered (only auth is)"))
        }
        if qop != nil, credentials.nonceCount == nil || credentials.cnonce == nil {
            return .malformed(.badAuthorization("qop=auth needs nc and cnonce"))
        }

        let username = credentials.username ?? challenge.privateIdentity.value
        let ha1: String
        switch challenge.secret {
        case .aka(let vector):
            ha1 = DigestComputation.ha1(
                algorithm: .md5, username: username, realm: challenge.realm, password: vector.xres)
        case .digest(let vector):
            ha1 = vector.ha1
        }
        let expected = DigestComputation.response(
            algorithm: challenge.hash, ha1: ha1, nonce: challenge.nonce, method: method.rawValue, uri: digestURI,
            qop: qop, nonceCount: credentials.nonceCount, clientNonce: credentials.cnonce)
        return constantTimeEqual(expected, response.lowercased()) ? .valid : .wrongResponse
    }

    /// Compares every byte whatever the first difference, so that the time taken says nothing about how much of a
    /// guessed response was right.
    private static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
