import IMSInterfaces
import SIPMessage

extension ServingCSCF {
    enum AuthenticationDecision {
        case authenticated
        /// Answer 401 with this WWW-Authenticate.
        case challenge(Challenge)
    }

    /// Decides whether a REGISTER is authenticated, must be challenged, or fails (TS 24.229 §5.4.1.2.1–§5.4.1.2.2,
    /// RFC 3310, RFC 7616), in this order:
    ///
    /// 1. Its nonce is a pending challenge of this private identity and public identity (consumed either way):
    ///    with `auts`, resynchronise (MAR with RAND ‖ AUTS, a new 401); else check the response: 200 path or 403.
    /// 2. `integrity-protected` is `yes`, `tls-yes` or `ip-assoc-yes` and this private identity holds a registration
    ///    of the identity with a contact not yet lapsed: accepted without a challenge. The P-CSCF sets these values
    ///    only for a REGISTER that came over the IPsec security association, TLS connection or IP association bound
    ///    to an existing registration of this private identity (TS 24.229 §5.2.2, §5.4.1.2.2), and removes any the
    ///    UE wrote itself; such a UE is already authenticated, and its re-registration carries the nonce of its
    ///    *last* challenge, long used. Every other value (`no`, `tls-pending`, `ip-assoc-pending`, `auth-done`,
    ///    none) vouches for nothing.
    /// 3. It carries a nonce this S-CSCF no longer holds (expired, answered, never made): a new challenge with
    ///    `stale=true`, so the UE retries without treating its credentials as wrong (RFC 7616 §3.3).
    /// 4. Otherwise (no Authorization, or the empty nonce of TS 24.229's initial REGISTER): a new challenge.
    mutating func authenticate(
        _ register: RegisterRequest, now: Timestamp
    ) throws(RegisterRefusal) -> AuthenticationDecision {
        let privateIdentity = register.privateIdentity
        let nonce = register.credentials?.nonce ?? ""
        if let credentials = register.credentials, !nonce.isEmpty,
            let pending = challenges.remove(privateIdentity, nonce: nonce),
            pending.isUsable(at: now, lifetime: configuration.challengeLifetime),
            pending.publicIdentity == register.publicIdentity
        {
            if let auts = credentials.auts {
                return .challenge(try resynchronize(pending, auts: auts, register: register, now: now))
            }
            try verify(credentials, against: pending, register: register)
            return .authenticated
        }
        if register.isIntegrityProtected, let set = registrationSet(containing: register.publicIdentity),
            set.privateIdentity == privateIdentity, set.bindings.contains(where: { $0.expiresAt > now })
        {
            return .authenticated
        }
        return .challenge(try challenge(register, now: now, stale: !nonce.isEmpty))
    }

    /// Multimedia-Auth for one vector (the scheme the UE asked for, else the subscriber's preferred) and a pending
    /// challenge made from it.
    mutating func challenge(
        _ register: RegisterRequest, now: Timestamp, stale: Bool
    ) throws(RegisterRefusal) -> Challenge {
        let request = MultimediaAuthRequest(
            privateIdentity: register.privateIdentity, publicIdentity: register.publicIdentity,
            scheme: register.requestedScheme, numberOfItems: 1, serverName: configuration.serverName)
        let item = try authenticationItem(request)
        return keepChallenge(item, for: register, now: now).header(stale: stale)
    }

    /// RFC 3310 §3.4, TS 33.203 §6.3.3: the UE found the sequence number of AUTN out of range and answered with
    /// AUTS; the HSS checks it against the RAND of that challenge, resets its SQN, and sends a fresh vector.
    /// An HSS that rejects the AUTS (AUTHORIZATION_REJECTED) makes this a 403.
    mutating func resynchronize(
        _ pending: PendingChallenge, auts text: String, register: RegisterRequest, now: Timestamp
    ) throws(RegisterRefusal) -> Challenge {
        guard case .aka(let vector) = pending.secret else {
            throw RegisterRefusal(.badAuthorization("auts answers an AKA challenge, and this one was digest"))
        }
        guard let auts = Base64.decode(text), auts.count == 14 else {
            throw RegisterRefusal(.badAuthorization("auts is not base64 of 14 bytes (RFC 3310 §3.4)"))
        }
        let request = MultimediaAuthRequest(
            privateIdentity: register.privateIdentity, publicIdentity: register.publicIdentity, scheme: .akaV1MD5,
            numberOfItems: 1, resynchronization: .init(rand: vector.rand, auts: auts),
            serverName: configuration.serverName)
        let item = try authenticationItem(request)
        return keepChallenge(item, for: register, now: now).header(stale: false)
    }

    /// Checks the answer; a wrong one is a 403 that counts as an authentication failure, reported to the HSS
    /// (SAR authentication-failure) when the identity is not registered — a registered UE that fails a
    /// re-authentication keeps its registration until it lapses.
    func verify(
        _ credentials: Credentials, against pending: PendingChallenge, register: RegisterRequest
    ) throws(RegisterRefusal) {
        switch DigestVerification.verify(
            credentials, against: pending, method: .register, requestURI: register.requestURI)
        {
        case .valid:
            return
        case .malformed(let rejection):
            throw RegisterRefusal(rejection)
        case .wrongResponse:
            if registrationSet(containing: register.publicIdentity)?.privateIdentity != register.privateIdentity {
                notifyHSS(register.publicIdentity, register.privateIdentity, .authenticationFailure)
            }
            throw RegisterRefusal(
                .wrongResponse("\(register.privateIdentity) answered the \(pending.scheme) challenge wrongly"),
                authenticationFailed: true)
        }
    }

    /// The first item of a Multimedia-Auth-Answer, or the refusal its failure maps to.
    func authenticationItem(_ request: MultimediaAuthRequest) throws(RegisterRefusal) -> AuthenticationItem {
        let answer: MultimediaAuthAnswer
        do {
            answer = try cx.multimediaAuth(request)
        } catch {
            throw RegisterRefusal(.hssUnavailable("Multimedia-Auth threw: \(error)"))
        }
        guard answer.result.isSuccess else { throw RegisterRefusal(.cx(answer.result, "Multimedia-Auth")) }
        guard let item = answer.items.first else {
            throw RegisterRefusal(.hssIncomplete("Multimedia-Auth returned no authentication vector"))
        }
        return item
    }

    /// Keeps a challenge for `item` (16 random bytes of nonce for digest, 8 of opaque) and returns it.
    mutating func keepChallenge(
        _ item: AuthenticationItem, for register: RegisterRequest, now: Timestamp
    ) -> PendingChallenge {
        let pending = PendingChallenge(
            item: item, privateIdentity: register.privateIdentity, publicIdentity: register.publicIdentity,
            realm: configuration.realm, randomNonce: randomHex(16), opaque: randomHex(8), createdAt: now)
        challenges.insert(pending)
        return pending
    }
}
