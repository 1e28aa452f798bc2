import IMSInterfaces

extension HomeSubscriberServer {
    /// UAR (TS 29.228 §6.1.1.1): the I-CSCF received a REGISTER.
    ///
    /// ```
    ///   1–2  IMPI and IMPU known and each other's          else USER_UNKNOWN / IDENTITIES_DONT_MATCH
    ///   3    (not for de-registration) a service identity, or a barred identity with no unbarred identity in
    ///        its implicit set, may not register            else AUTHORIZATION_REJECTED
    ///   5    REGISTRATION:        S-CSCF name stored?  SUBSEQUENT_REGISTRATION + name : FIRST_REGISTRATION + caps
    ///        REG_AND_CAPABILITIES (the assigned S-CSCF is unreachable)           FIRST_REGISTRATION + caps
    ///        DE_REGISTRATION:     registered/unregistered?  SUCCESS + name : IDENTITY_NOT_REGISTERED
    /// ```
    ///
    /// A barred identity alone is refused, but one whose set holds an unbarred identity registers with the set: the
    /// UE registering its barred temporary identity to obtain the others (TS 23.228 §4.3.3.5).
    public func userAuthorization(_ request: UserAuthorizationRequest) throws -> UserAuthorizationAnswer {
        let identity = request.publicIdentity
        let (subscriber, entry): (Subscriber, PublicIdentityEntry)
        switch try lookUp(identity, privateIdentity: request.privateIdentity) {
        case .failed(let result): return UserAuthorizationAnswer(result: result)
        case .found(let owner, let found): (subscriber, entry) = (owner, found)
        }

        if request.type != .deregistration {
            let hasUnbarredMate = subscriber.implicitRegistrationSet(of: identity).count > 1
            if entry.isServiceIdentity || (entry.isBarred && !hasUnbarredMate) {
                return UserAuthorizationAnswer(result: .authorizationRejected)
            }
        }

        let registration = try registration(of: identity, in: subscriber)
        switch request.type {
        case .registrationAndCapabilities:
            return UserAuthorizationAnswer(result: .firstRegistration, capabilities: subscriber.capabilities)
        case .registration:
            // A name is stored while registered, while serving unregistered services, and between a MAR and its
            // SAR (authentication pending): the REGISTER answering a challenge must reach the S-CSCF that sent it.
            if let server = registration.serverName {
                return UserAuthorizationAnswer(result: .subsequentRegistration, serverName: server)
            }
            return UserAuthorizationAnswer(result: .firstRegistration, capabilities: subscriber.capabilities)
        case .deregistration:
            guard registration.state != .notRegistered, let server = registration.serverName else {
                return UserAuthorizationAnswer(result: .identityNotRegistered)
            }
            return UserAuthorizationAnswer(result: .success, serverName: server)
        }
    }
}
