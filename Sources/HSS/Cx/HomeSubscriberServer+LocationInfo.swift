import IMSInterfaces

extension HomeSubscriberServer {
    /// LIR (TS 29.228 §6.1.4.1): the I-CSCF routes a request to a public identity.
    ///
    /// ```
    ///   unknown identity                                        USER_UNKNOWN
    ///   registered                                              SUCCESS + S-CSCF name
    ///   unregistered (an S-CSCF serves unregistered services)   UNREGISTERED_SERVICE + S-CSCF name
    ///   not registered                                          UNREGISTERED_SERVICE + capabilities
    /// ```
    ///
    /// Every subscriber here gets unregistered services (the S-CSCF answers a call to an absent user itself, or
    /// hands it to an AS by its iFCs), so a not-registered identity always leads the I-CSCF to pick an S-CSCF. An
    /// identity found through a wildcard names the wildcard as it was provisioned.
    public func locationInfo(_ request: LocationInfoRequest) throws -> LocationInfoAnswer {
        let identity = request.publicIdentity
        let subscriber: Subscriber
        let entry: PublicIdentityEntry
        switch try lookUp(identity, privateIdentity: nil) {
        case .failed(let result): return LocationInfoAnswer(result: result)
        case .found(let owner, let found): (subscriber, entry) = (owner, found)
        }
        let wildcard: String? =
            if case .wildcarded(let pattern) = entry.identity { pattern.pattern } else { nil }

        let registration = try registration(of: identity, in: subscriber)
        switch (registration.state, registration.serverName) {
        case (.registered, let server?):
            return LocationInfoAnswer(result: .success, serverName: server, wildcardedIdentity: wildcard)
        case (.unregistered, let server?):
            return LocationInfoAnswer(result: .unregisteredService, serverName: server, wildcardedIdentity: wildcard)
        default:
            return LocationInfoAnswer(
                result: .unregisteredService, capabilities: subscriber.capabilities, wildcardedIdentity: wildcard)
        }
    }
}
