/// Admission control as a whole: limits per source address, what excess gets, the overload guard, and when a
/// sender is blocked. Per-peer and per-realm limits live with the peer and the realm (`TrafficLimits`).
/// Every field has the default shown, used when the policy omits it.
public struct AdmissionSettings: Sendable, Hashable {
    /// Limits that apply to each source address separately. Default: none.
    public var perSource: TrafficLimits
    /// What excess gets where a scope does not say. Default: `.reject` (503 with Retry-After).
    public var onExcess: ExcessHandling
    /// The Retry-After of a 503 for excess; nil (the default) for the time until the exceeded bucket has a token
    /// again, rounded up to whole seconds.
    public var retryAfter: Duration?
    /// The overload guard; nil (the default) for none.
    public var overload: OverloadSettings?
    /// When offenders are blocked; nil to never block automatically. Default: `BlockSettings()`.
    public var block: BlockSettings?
    /// Addresses never blocked, in addition to every trusted peer's addresses. Default: none.
    public var allowlist: [IPPrefix]

    public init(
        perSource: TrafficLimits = TrafficLimits(), onExcess: ExcessHandling = .reject, retryAfter: Duration? = nil,
        overload: OverloadSettings? = nil, block: BlockSettings? = BlockSettings(), allowlist: [IPPrefix] = []
    ) {
        self.perSource = perSource
        self.onExcess = onExcess
        self.retryAfter = retryAfter
        self.overload = overload
        self.block = block
        self.allowlist = allowlist
    }
}

/// The global overload guard: new calls are refused while more than `high` transactions are in progress, until
/// the count falls to `low` (hysteresis, so the guard does not flap).
public struct OverloadSettings: Sendable, Hashable {
    public var high: Int
    public var low: Int
    /// The Retry-After of the 503 new calls get while overloaded. Default 10 s.
    public var retryAfter: Duration

    public init(high: Int, low: Int, retryAfter: Duration = .seconds(10)) {
        self.high = high
        self.low = low
        self.retryAfter = retryAfter
    }
}

/// When a sender goes onto the blocklist, and for how long.
public struct BlockSettings: Sendable, Hashable {
    /// Limit violations that get a source blocked… Default 20.
    public var violations: Int
    /// …within this window. Default 10 s.
    public var window: Duration
    /// The first block's length; a repeat within an hour of the last block ends lasts twice as long, and so on.
    /// Default 60 s.
    public var duration: Duration
    /// The longest an escalated block lasts. Default 24 h.
    public var maximumDuration: Duration

    public init(
        violations: Int = 20, window: Duration = .seconds(10), duration: Duration = .seconds(60),
        maximumDuration: Duration = .seconds(86_400)
    ) {
        self.violations = violations
        self.window = window
        self.duration = duration
        self.maximumDuration = maximumDuration
    }
}
