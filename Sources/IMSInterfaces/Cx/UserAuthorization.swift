/// User-Authorization-Request (TS 29.228 §6.1.1): the I-CSCF asks whether a REGISTER may proceed and which
/// S-CSCF serves the user.
public struct UserAuthorizationRequest: Hashable, Sendable {
    public enum AuthorizationType: Hashable, Sendable {
        /// REGISTER with a non-zero expiry.
        case registration
        /// REGISTER with expiry zero.
        case deregistration
        /// The assigned S-CSCF did not answer: the HSS returns capabilities so that another can be chosen.
        case registrationAndCapabilities
    }

    public var publicIdentity: PublicIdentity
    public var privateIdentity: PrivateIdentity
    /// The P-Visited-Network-ID, when the P-CSCF set one.
    public var visitedNetwork: String?
    public var type: AuthorizationType

    public init(
        publicIdentity: PublicIdentity, privateIdentity: PrivateIdentity, visitedNetwork: String? = nil,
        type: AuthorizationType = .registration
    ) {
        self.publicIdentity = publicIdentity
        self.privateIdentity = privateIdentity
        self.visitedNetwork = visitedNetwork
        self.type = type
    }
}

/// User-Authorization-Answer: an assigned S-CSCF's name, or the capabilities to choose one by.
public struct UserAuthorizationAnswer: Hashable, Sendable {
    public var result: CxResult
    public var serverName: String?
    public var capabilities: SCSCFCapabilities?

    public init(result: CxResult, serverName: String? = nil, capabilities: SCSCFCapabilities? = nil) {
        self.result = result
        self.serverName = serverName
        self.capabilities = capabilities
    }
}
