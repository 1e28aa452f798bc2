import IMSInterfaces

extension HomeSubscriberServer {
    /// SAR (TS 29.228 §6.1.2.1): the S-CSCF takes on, keeps or lets go of a public identity. Every identity of its
    /// implicit registration set changes state with it (TS 29.228 §6.5.1).
    ///
    /// ```
    ///   registration, re-registration       → registered, S-CSCF name stored     SUCCESS + user profile
    ///   unregistered-user (a call to it)    → unregistered, name stored           SUCCESS + user profile
    ///                                         (a registered identity stays registered)
    ///   timeout/user/administrative dereg.  → not registered, name cleared        SUCCESS
    ///   authentication failure/timeout      → name cleared where not registered   SUCCESS
    /// ```
    ///
    /// Bindings are the registrar's: deregistration leaves them to it.
    public func serverAssignment(_ request: ServerAssignmentRequest) throws -> ServerAssignmentAnswer {
        let identity = request.publicIdentity
        let subscriber: Subscriber
        switch try lookUp(identity, privateIdentity: request.privateIdentity) {
        case .failed(let result): return ServerAssignmentAnswer(result: result)
        case .found(let owner, _): subscriber = owner
        }
        let set = subscriber.implicitRegistrationSet(of: identity)

        switch request.type {
        case .registration, .reRegistration:
            try store.setRegistrations(
                set.map { IdentityRegistration(identity: $0, state: .registered, serverName: request.serverName) })
            return ServerAssignmentAnswer(result: .success, profile: userProfile(of: identity, subscriber))
        case .unregisteredUser:
            // An S-CSCF that lost a registration must not make the HSS forget it: LIR would stop finding the UE.
            if try registration(of: identity, in: subscriber).state != .registered {
                try store.setRegistrations(
                    set.map {
                        IdentityRegistration(identity: $0, state: .unregistered, serverName: request.serverName)
                    })
            }
            return ServerAssignmentAnswer(result: .success, profile: userProfile(of: identity, subscriber))
        case .timeoutDeregistration, .userDeregistration, .administrativeDeregistration:
            try store.setRegistrations(
                set.map { IdentityRegistration(identity: $0, state: .notRegistered, serverName: nil) })
            return ServerAssignmentAnswer(result: .success)
        case .authenticationFailure, .authenticationTimeout:
            var cleared: [IdentityRegistration] = []
            for member in set where try store.registration(of: member).state == .notRegistered {
                cleared.append(IdentityRegistration(identity: member, state: .notRegistered, serverName: nil))
            }
            try store.setRegistrations(cleared)
            return ServerAssignmentAnswer(result: .success)
        }
    }

    /// The profile downloaded with an assignment (TS 29.228 Annex B): the implicit registration set, the
    /// requested identity first, each with its barring and service profile.
    func userProfile(of identity: PublicIdentity, _ subscriber: Subscriber) -> UserProfile {
        UserProfile(
            privateIdentity: subscriber.privateIdentity,
            implicitSet: subscriber.implicitRegistrationSet(of: identity).map { member in
                UserProfile.RegisteredIdentity(
                    identity: member, isBarred: subscriber.entry(for: member)?.isBarred ?? false,
                    serviceProfile: subscriber.serviceProfile(for: member))
            })
    }
}
