import IMSInterfaces
import SIPMessage

extension ServingCSCF {
    /// Handles a REGISTER as the I-CSCF forwards it (the P-CSCF's Path and its `integrity-protected` Authorization
    /// parameter already in it) and returns the final response to send back, with what changed.
    ///
    /// Statuses: 200 (registered, refreshed, queried or deregistered); 401 (a challenge: fresh, `stale=true` for a
    /// nonce unknown or too old, or after AKA resynchronisation); 400 (headers that do not parse, a `*` misused,
    /// an answer that contradicts its challenge or the Request-URI); 403 (no identities to work with, a wrong
    /// response, a subscriber the HSS refuses, more contacts than a set holds); 423 with Min-Expires; 500 (an
    /// out-of-order CSeq, or an HSS that throws or fails).
    public mutating func handleRegister(_ request: SIPMessage, now: Timestamp) -> RegisterOutcome {
        let toTag = randomHex(8)
        var privateIdentity: PrivateIdentity?
        do {
            let register = try RegisterRequest(parsing: request, realm: configuration.realm)
            privateIdentity = register.privateIdentity
            let contacts = try RequestedContacts(register, configuration: configuration)
            switch try authenticate(register, now: now) {
            case .challenge(let challenge):
                var response = SIPMessage.response(to: request, status: .unauthorized, toTag: toTag)
                response.headers.append(.wwwAuthenticate, challenge)
                return RegisterOutcome(response: response, privateIdentity: register.privateIdentity)
            case .authenticated:
                return try applyRegistration(register, contacts, now: now, toTag: toTag)
            }
        } catch {
            var response = SIPMessage.response(to: request, status: error.rejection.status, toTag: toTag)
            if let minExpires = error.minExpires {
                response.headers.append(.minExpires, MinExpires(UInt32(clamping: minExpires)))
            }
            return RegisterOutcome(
                response: response, failure: error.rejection, authenticationFailed: error.authenticationFailed,
                privateIdentity: privateIdentity)
        }
    }

    /// The registrar's half, once the REGISTER is authenticated (RFC 3261 §10.3 steps 6–8, TS 24.229 §5.4.1.2.2
    /// and §5.4.1.4): update the bindings, tell the HSS, answer 200 with every binding of the set.
    ///
    /// A REGISTER that leaves its set without contacts is a user deregistration: the set is forgotten and the HSS
    /// told (SAR user-deregistration) even if the HSS then fails, because the UE has left either way and the next
    /// registration reassigns it. A REGISTER for an identity not registered that leaves nothing registered (a
    /// query, a `*`, only zero expiries) is answered 200 without touching the HSS.
    mutating func applyRegistration(
        _ register: RegisterRequest, _ requested: RequestedContacts, now: Timestamp, toTag: String
    ) throws(RegisterRefusal) -> RegisterOutcome {
        let existing = registrationSet(containing: register.publicIdentity)
        if let existing, existing.privateIdentity != register.privateIdentity {
            throw RegisterRefusal(
                .registeredByOther("\(register.publicIdentity) is registered by \(existing.privateIdentity)"))
        }
        let key = existing?.registeredIdentity ?? register.publicIdentity
        var update = BindingUpdate(current: existing?.bindings ?? [], now: now)
        try update.apply(
            requested, of: register, registeredIdentity: key, now: now, maxContacts: configuration.maxContactsPerSet)

        guard !update.bindings.isEmpty else {
            guard let existing else {
                return RegisterOutcome(
                    response: okResponse(to: register, set: nil, now: now, toTag: toTag),
                    privateIdentity: register.privateIdentity)
            }
            // TS 24.229 §5.4.1.4: the UE deregistered; or its last contacts had lapsed before this REGISTER came.
            let deregisteredByUE = update.entries.contains { $0.event == .unregistered }
            notifyHSS(
                register.publicIdentity, register.privateIdentity,
                deregisteredByUE ? .userDeregistration : .timeoutDeregistration)
            removeSet(key)
            persist(key, [])
            return RegisterOutcome(
                response: okResponse(to: register, set: nil, now: now, toTag: toTag),
                changes: [existing.change(update.entries, first: register.publicIdentity)],
                privateIdentity: register.privateIdentity)
        }

        var set: RegistrationSet
        if case .query = requested, let existing {
            // RFC 3261 §10.2.3: a query changes nothing the HSS needs to hear about.
            set = existing
        } else {
            // TS 24.229 §5.4.1.2.2: SAR registration for a set not registered, re-registration for one that is.
            let profile = try assignServer(
                register.publicIdentity, register.privateIdentity, existing == nil ? .registration : .reRegistration)
            set = RegistrationSet(
                registeredIdentity: key, privateIdentity: register.privateIdentity, profile: profile, bindings: [])
        }
        set.bindings = update.bindings
        commit(set)
        var changes: [RegistrationChange] = []
        if update.hasChanges {
            persist(key, set.bindings)
            changes.append(set.change(update.entries, first: register.publicIdentity))
        }
        return RegisterOutcome(
            response: okResponse(to: register, set: set, now: now, toTag: toTag), changes: changes,
            privateIdentity: register.privateIdentity)
    }

    /// Server-Assignment for a registration: the user profile, or the refusal its failure maps to.
    func assignServer(
        _ identity: PublicIdentity, _ privateIdentity: PrivateIdentity,
        _ type: ServerAssignmentRequest.AssignmentType
    ) throws(RegisterRefusal) -> UserProfile {
        let request = ServerAssignmentRequest(
            publicIdentity: identity, privateIdentity: privateIdentity, serverName: configuration.serverName,
            type: type)
        let answer: ServerAssignmentAnswer
        do {
            answer = try cx.serverAssignment(request)
        } catch {
            throw RegisterRefusal(.hssUnavailable("Server-Assignment (\(type.rawValue)) threw: \(error)"))
        }
        guard answer.result.isSuccess else {
            throw RegisterRefusal(.cx(answer.result, "Server-Assignment (\(type.rawValue))"))
        }
        guard let profile = answer.profile else {
            throw RegisterRefusal(.hssIncomplete("Server-Assignment (\(type.rawValue)) returned no user profile"))
        }
        return profile
    }

    /// A Server-Assignment whose answer changes nothing here (deregistrations, authentication failures and
    /// timeouts): the S-CSCF has already decided, and an HSS that fails to hear it corrects itself at the
    /// identity's next registration.
    func notifyHSS(
        _ identity: PublicIdentity, _ privateIdentity: PrivateIdentity?, _ type: ServerAssignmentRequest.AssignmentType
    ) {
        _ = try? cx.serverAssignment(
            ServerAssignmentRequest(
                publicIdentity: identity, privateIdentity: privateIdentity, serverName: configuration.serverName,
                type: type))
    }
}
