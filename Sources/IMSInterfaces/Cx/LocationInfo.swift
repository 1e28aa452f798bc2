/// Location-Info-Request (TS 29.228 §6.1.4): the I-CSCF asks which S-CSCF serves a public identity, for
/// requests that terminate at it.
public struct LocationInfoRequest: Hashable, Sendable {
    public var publicIdentity: PublicIdentity
    /// Set when the I-CSCF may assign an S-CSCF for unregistered services.
    public var originatingRequest: Bool

    public init(publicIdentity: PublicIdentity, originatingRequest: Bool = false) {
        self.publicIdentity = publicIdentity
        self.originatingRequest = originatingRequest
    }
}

/// Location-Info-Answer.
public struct LocationInfoAnswer: Hashable, Sendable {
    public var result: CxResult
    public var serverName: String?
    public var capabilities: SCSCFCapabilities?
    /// The wildcard the identity fell under, when it did (TS 29.228 §6.1.4).
    public var wildcardedIdentity: String?

    public init(
        result: CxResult, serverName: String? = nil, capabilities: SCSCFCapabilities? = nil,
        wildcardedIdentity: String? = nil
    ) {
        self.result = result
        self.serverName = serverName
        self.capabilities = capabilities
        self.wildcardedIdentity = wildcardedIdentity
    }
}
