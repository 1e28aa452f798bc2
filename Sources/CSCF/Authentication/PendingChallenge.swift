import IMSInterfaces
import SIPMessage

/// A 401 the S-CSCF sent and has not yet seen answered (TS 24.229 §5.4.1.2.1, timer reg-await-auth): what it needs to
/// check the answer, kept by private identity and nonce.
///
/// An AKA challenge keeps the whole vector (XRES checks the answer, RAND pairs with an AUTS for resynchronisation);
/// a digest challenge keeps HA1 from the HSS, never a password.
struct PendingChallenge: Hashable, Sendable {
    enum Secret: Hashable, Sendable {
        case aka(AKAVector)
        case digest(DigestVector)
    }

    var privateIdentity: PrivateIdentity
    /// The identity the challenged REGISTER named; the answer must name the same one.
    var publicIdentity: PublicIdentity
    /// The `nonce` parameter as sent: base64(RAND ‖ AUTN) for AKA (RFC 3310 §3.2), random hex for digest.
    var nonce: String
    /// The `opaque` parameter as sent (RFC 7616 §3.3), random hex; a client returns it unchanged.
    var opaque: String
    /// The realm the challenge named, which the response's HA1 is computed with.
    var realm: String
    var secret: Secret
    var createdAt: Timestamp

    /// A challenge for one `SIP-Auth-Data-Item`: AKA vectors go to the UE as base64(RAND ‖ AUTN) in the realm of
    /// the S-CSCF's configuration; digest vectors carry HA1 bound to the subscriber's realm, so that realm is the
    /// one challenged with (any other would make every answer wrong).
    init(
        item: AuthenticationItem, privateIdentity: PrivateIdentity, publicIdentity: PublicIdentity, realm: String,
        randomNonce: String, opaque: String, createdAt: Timestamp
    ) {
        self.privateIdentity = privateIdentity
        self.publicIdentity = publicIdentity
        self.opaque = opaque
        self.createdAt = createdAt
        switch item {
        case .aka(let vector):
            nonce = Base64.encode(vector.rand + vector.autn)
            self.realm = realm
            secret = .aka(vector)
        case .digest(let vector):
            nonce = randomNonce
            self.realm = vector.realm
            secret = .digest(vector)
        }
    }

    var scheme: AuthenticationScheme {
        switch secret {
        case .aka: .akaV1MD5
        case .digest(let vector): vector.algorithm == .md5 ? .digestMD5 : .digestSHA256
        }
    }

    /// The hash the response is computed with: AKAv1-MD5 is digest MD5 with RES as the password (RFC 3310 §3.3).
    var hash: DigestHash {
        switch secret {
        case .aka: .md5
        case .digest(let vector): vector.algorithm
        }
    }

    /// True while an answer to it is accepted: `lifetime` seconds from when it was sent.
    func isUsable(at now: Timestamp, lifetime: Int) -> Bool {
        now < expiresAt(lifetime: lifetime)
    }

    func expiresAt(lifetime: Int) -> Timestamp { createdAt + Int64(lifetime) }

    /// The WWW-Authenticate value of this challenge (RFC 7616 §3.3, RFC 3310 §3.2): realm, nonce, algorithm,
    /// `qop="auth"`, opaque, and `stale=true` when it replaces a nonce the UE answered too late (§3.3: the UE then
    /// retries without asking its user). AKA challenges also carry `ik` and `ck` in hex (TS 24.229 §5.4.1.2.1,
    /// TS 33.203 §7.2): they are for the P-CSCF, which keys the IPsec security associations with them and removes
    /// both parameters before the 401 reaches the UE.
    func header(stale: Bool) -> Challenge {
        var challenge = Challenge(scheme: "Digest")
        challenge.realm = realm
        challenge.nonce = nonce
        challenge.algorithm = DigestAlgorithm(scheme.algorithmToken)
        challenge.qopOptions = ["auth"]
        challenge.opaque = opaque
        if stale { challenge.stale = true }
        if case .aka(let vector) = secret {
            challenge.ik = Hex.encode(vector.ik)
            challenge.ck = Hex.encode(vector.ck)
        }
        return challenge
    }
}
