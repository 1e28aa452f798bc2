/// The registration state the HSS keeps per public identity (TS 29.228 §6.1.2 `IMS-User-State`), with the S-CSCF
/// that serves it.
public enum RegistrationState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// No S-CSCF holds the identity.
    case notRegistered = "not-registered"
    /// Registered through an S-CSCF.
    case registered
    /// Not registered, but an S-CSCF serves it for unregistered services (terminating calls to voicemail, say).
    case unregistered

    public var description: String { rawValue }
}

/// What the HSS holds for one public identity's registration.
public struct IdentityRegistration: Hashable, Sendable {
    public var identity: PublicIdentity
    public var state: RegistrationState
    /// The S-CSCF assigned, while registered or unregistered.
    public var serverName: String?

    public init(identity: PublicIdentity, state: RegistrationState, serverName: String?) {
        self.identity = identity
        self.state = state
        self.serverName = serverName
    }
}
