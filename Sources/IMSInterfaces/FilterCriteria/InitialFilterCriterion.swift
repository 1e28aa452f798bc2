/// One initial filter criterion (TS 29.228 Annex B.2.2): when its trigger point matches a request, the S-CSCF routes
/// the request through the application server.
public struct InitialFilterCriterion: Hashable, Sendable {
    /// Lower values are evaluated first; unique within a profile.
    public var priority: Int
    /// Nil matches every request (an unconditional trigger).
    public var triggerPoint: TriggerPoint?
    public var applicationServer: ApplicationServer
    /// Whether the criterion applies while the identity is registered, unregistered, or always (nil).
    public var profilePart: ProfilePart?

    public enum ProfilePart: String, Hashable, Sendable {
        case registered
        case unregistered
    }

    public init(
        priority: Int, triggerPoint: TriggerPoint?, applicationServer: ApplicationServer,
        profilePart: ProfilePart? = nil
    ) {
        self.priority = priority
        self.triggerPoint = triggerPoint
        self.applicationServer = applicationServer
        self.profilePart = profilePart
    }
}

/// The application server an iFC sends requests through.
public struct ApplicationServer: Hashable, Sendable {
    /// A SIP URI.
    public var serverName: String
    /// What the S-CSCF does when the AS does not answer.
    public var defaultHandling: DefaultHandling
    /// Opaque text passed to the AS (TS 29.228 `ServiceInfo`).
    public var serviceInfo: String?

    public enum DefaultHandling: String, Hashable, Sendable {
        case sessionContinued = "continue"
        case sessionTerminated = "terminate"
    }

    public init(serverName: String, defaultHandling: DefaultHandling = .sessionContinued, serviceInfo: String? = nil) {
        self.serverName = serverName
        self.defaultHandling = defaultHandling
        self.serviceInfo = serviceInfo
    }
}
