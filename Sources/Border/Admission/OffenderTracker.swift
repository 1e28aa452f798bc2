import GatehousePolicy

/// Counts limit violations per source address in a sliding window (`ViolationWindow`) and puts a source that
/// reaches the threshold on the blocklist; its count starts again after it is blocked.
public struct OffenderTracker: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// Violations within `window` that get a source blocked. Default: 20.
        public var threshold: Int
        /// The length of the sliding window. Default: 10 seconds.
        public var window: Duration
        /// The first block's length (the blocklist doubles it for repeats). Default: 60 seconds.
        public var blockDuration: Duration
        /// How many sources are tracked at once. Default: 16 384.
        public var capacity: Int

        public init(
            threshold: Int = 20, window: Duration = .seconds(10), blockDuration: Duration = .seconds(60),
            capacity: Int = 16_384
        ) {
            self.threshold = threshold
            self.window = window
            self.blockDuration = blockDuration
            self.capacity = capacity
        }

        /// The most a threshold may be: each tracked source keeps that many instants.
        public static let maximumThreshold = 10_000

        public func validate() throws(AdmissionConfigurationError) {
            guard (1...Self.maximumThreshold).contains(threshold), capacity > 0 else {
                throw AdmissionConfigurationError(
                    .invalidLimit, "offender threshold must be 1–\(Self.maximumThreshold) and capacity positive")
            }
            guard window > .zero, blockDuration > .zero else {
                throw AdmissionConfigurationError(.invalidDuration, "offender window and block must be positive")
            }
        }
    }

    public let configuration: Configuration
    private var sources: ViolationWindow<IPAddress>

    public init(_ configuration: Configuration = Configuration()) throws(AdmissionConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        sources = ViolationWindow(
            threshold: configuration.threshold, window: configuration.window, capacity: configuration.capacity)
    }

    /// Records a violation by `source`; returns true if it makes `threshold` within the window, and then forgets the
    /// source's violations so that the count starts again.
    public mutating func recordViolation(by source: IPAddress, at now: AdmissionInstant) -> Bool {
        sources.record(source, at: now)
    }

    /// Records a violation and, if it reaches the threshold, blocks the source for `blockDuration` (escalated by the
    /// blocklist for a repeat offender). Returns what the blocklist did, or nil if the threshold was not reached.
    public mutating func recordViolation(
        by source: IPAddress, at now: AdmissionInstant, blocklist: inout Blocklist
    ) -> Blocklist.AddOutcome? {
        guard recordViolation(by: source, at: now) else { return nil }
        return blocklist.add(source, for: configuration.blockDuration, reason: .repeatedOffender, at: now)
    }

    /// The violations `source` has within the window ending at `now`.
    public func violations(of source: IPAddress, at now: AdmissionInstant) -> Int {
        sources.count(of: source, at: now)
    }

    /// How many sources are tracked.
    public var trackedCount: Int { sources.trackedCount }

    /// Forgets sources with no violation inside the window ending at `now`; returns how many went.
    @discardableResult
    public mutating func sweep(at now: AdmissionInstant) -> Int {
        sources.sweep(at: now)
    }
}
