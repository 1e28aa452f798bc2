import IMSInterfaces

extension HomeSubscriberServer {
    /// MAR (TS 29.228 §6.3.1): the S-CSCF wants to challenge a REGISTER, or hands back a resynchronisation failure.
    ///
    /// ```
    ///   IMPI and IMPU known and each other's                 else USER_UNKNOWN / IDENTITIES_DONT_MATCH
    ///   scheme: the request's, else the subscriber's preferred; credentials able to serve it
    ///                                                        else AUTH_SCHEME_NOT_SUPPORTED
    ///   AKA:    RAND ‖ AUTS given → verify MAC-S, SEQ_HE := SEQ_MS  (bad MAC-S: AUTHORIZATION_REJECTED)
    ///           n vectors, each a fresh RAND and the next SQN (one transaction for all n)
    ///   digest: HA1 for the scheme's hash, from the password or as provisioned
    ///   identity not registered → store the S-CSCF name (authentication pending) for its set
    /// ```
    public func multimediaAuth(_ request: MultimediaAuthRequest) throws -> MultimediaAuthAnswer {
        let subscriber: Subscriber
        switch try lookUp(request.publicIdentity, privateIdentity: request.privateIdentity) {
        case .failed(let result): return MultimediaAuthAnswer(result: result)
        case .found(let owner, _): subscriber = owner
        }
        let credentials = subscriber.credentials
        let scheme = request.scheme ?? credentials.preferredScheme
        guard credentials.canServe(scheme) else { return MultimediaAuthAnswer(result: .authSchemeNotSupported) }

        let items: [AuthenticationItem]
        switch (scheme, credentials.aka, credentials.digest) {
        case (.akaV1MD5, let aka?, _):
            let count = min(max(request.numberOfItems, 1), Self.maximumVectorsPerRequest)
            switch try akaVectors(
                for: subscriber.privateIdentity, aka, count: count, resynchronization: request.resynchronization)
            {
            case .success(let vectors): items = vectors.map(AuthenticationItem.aka)
            case .failure(let refusal): return MultimediaAuthAnswer(result: refusal.result)
            }
        case (.digestMD5, _, let digest?), (.digestSHA256, _, let digest?):
            // Only a USIM answers a challenge with AUTS: a resynchronisation under digest is not from this UE.
            guard request.resynchronization == nil else {
                return MultimediaAuthAnswer(result: .authorizationRejected)
            }
            guard let vector = digestVector(for: subscriber.privateIdentity, digest, scheme: scheme) else {
                return MultimediaAuthAnswer(result: .authSchemeNotSupported)
            }
            items = [.digest(vector)]
        default:
            return MultimediaAuthAnswer(result: .authSchemeNotSupported)
        }

        try markAuthenticationPending(request.publicIdentity, of: subscriber, serverName: request.serverName)
        return MultimediaAuthAnswer(result: .success, items: items)
    }

    /// HA1 for the scheme's hash (RFC 7616 §3.4.2): H(IMPI ":" realm ":" password), the IMPI being the digest
    /// username (TS 24.229 §5.4.1.2.1); or the value provisioned for that hash. Nil when neither exists.
    func digestVector(
        for privateIdentity: PrivateIdentity, _ digest: DigestCredentials, scheme: AuthenticationScheme
    ) -> DigestVector? {
        let algorithm: DigestHash = scheme == .digestMD5 ? .md5 : .sha256
        let ha1: String
        switch digest.secret {
        case .password(let password):
            ha1 = DigestComputation.ha1(
                algorithm: algorithm, username: privateIdentity.value, realm: digest.realm, password: password.utf8)
        case .ha1(let values):
            guard let provisioned = values[algorithm] else { return nil }
            ha1 = provisioned
        }
        return DigestVector(realm: digest.realm, algorithm: algorithm, ha1: ha1)
    }

    /// Stores `serverName` for the identities of the set that are not registered, so that the REGISTER answering
    /// the challenge is routed by UAR to the S-CSCF holding the vectors (TS 29.228 §6.3.1). A failed or abandoned
    /// authentication (SAR `authenticationFailure`/`authenticationTimeout`) clears it again.
    private func markAuthenticationPending(
        _ identity: PublicIdentity, of subscriber: Subscriber, serverName: String
    ) throws {
        guard !serverName.isEmpty else { return }
        var pending: [IdentityRegistration] = []
        for member in subscriber.implicitRegistrationSet(of: identity) {
            let current = try store.registration(of: member)
            if current.state == .notRegistered && current.serverName != serverName {
                pending.append(IdentityRegistration(identity: member, state: .notRegistered, serverName: serverName))
            }
        }
        if !pending.isEmpty { try store.setRegistrations(pending) }
    }
}
