import GatehousePolicy

/// Counts limit violations per source address in a sliding window and puts a source that reaches the threshold on
/// the blocklist.
///
/// The window is exact: a source is blocked when `threshold` violations fall within any `window`-long stretch, no
/// matter where fixed window boundaries would lie. Each source keeps the times of its last `threshold` violations
/// in a small ring; its count starts again after it is blocked. Sources live in an LRU table of `capacity`
/// entries, so spoofed floods cannot grow it.
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

    /// The instants of a source's most recent violations, at most `threshold` of them.
    private struct Violations: Sendable {
        var times: [AdmissionInstant]
        /// Once `times` is full: the index of the oldest, which the next violation overwrites.
        var oldest = 0

        mutating func record(_ now: AdmissionInstant, threshold: Int) {
            if times.count < threshold {
                times.append(now)
            } else {
                times[oldest] = now
                oldest = (oldest + 1) % threshold
            }
        }
    }

    public let configuration: Configuration
    private var sources: LRUTable<IPAddress, Violations>

    public init(_ configuration: Configuration = Configuration()) throws(AdmissionConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        sources = LRUTable(capacity: configuration.capacity)
    }

    /// Records a violation by `source`; returns true if it makes `threshold` within the window, and then forgets the
    /// source's violations so that the count starts again.
    public mutating func recordViolation(by source: IPAddress, at now: AdmissionInstant) -> Bool {
        let threshold = configuration.threshold
        let window = configuration.window
        let reached = sources.withValue(for: source, insertingIfAbsent: Violations(times: [])) { violations in
            violations.record(now, threshold: threshold)
            return violations.times.count == threshold && now - violations.times[violations.oldest] < window
        }
        if reached { sources.removeValue(for: source) }
        return reached
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
        guard let violations = sources[source] else { return 0 }
        return violations.times.count { now - $0 < configuration.window }
    }

    /// How many sources are tracked.
    public var trackedCount: Int { sources.count }

    /// Forgets sources with no violation inside the window ending at `now`; returns how many went.
    @discardableResult
    public mutating func sweep(at now: AdmissionInstant) -> Int {
        let window = configuration.window
        return sources.sweep { _, violations in violations.times.contains { now - $0 < window } }
    }
}
