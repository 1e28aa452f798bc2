/// Everything admission control is configured with, compiled from the policy's limits and checked as a whole
/// before it replaces a running configuration (STYLE rules 8 and 9).
public struct AdmissionConfiguration: Hashable, Sendable {
    /// Token-bucket limits. Default: none.
    public var rateLimits: RateLimiter.Configuration
    /// Concurrent-call limits. Default: none.
    public var calls: ConcurrencyLimiter.Configuration
    /// The overload guard; nil for none. Default: nil.
    public var overload: OverloadGuard.Configuration?
    /// The blocklist's capacity, escalation and allowlist. Default: `Blocklist.Configuration()`.
    public var blocklist: Blocklist.Configuration
    /// When limit violations get a source blocked; nil to never block automatically. Default:
    /// `OffenderTracker.Configuration()`.
    public var offenders: OffenderTracker.Configuration?

    public init(
        rateLimits: RateLimiter.Configuration = RateLimiter.Configuration(),
        calls: ConcurrencyLimiter.Configuration = ConcurrencyLimiter.Configuration(),
        overload: OverloadGuard.Configuration? = nil,
        blocklist: Blocklist.Configuration = Blocklist.Configuration(),
        offenders: OffenderTracker.Configuration? = OffenderTracker.Configuration()
    ) {
        self.rateLimits = rateLimits
        self.calls = calls
        self.overload = overload
        self.blocklist = blocklist
        self.offenders = offenders
    }

    /// Checks every part; throws the first problem found.
    public func validate() throws(AdmissionConfigurationError) {
        try rateLimits.validate()
        try calls.validate()
        try overload?.validate()
        try blocklist.validate()
        try offenders?.validate()
    }
}
