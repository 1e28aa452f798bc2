/// Counts events per key in an exact sliding window: `record` reports when `threshold` events of one key fall within
/// any `window`-long stretch, no matter where fixed window boundaries would lie.
///
/// Each key keeps the times of its last `threshold` events in a small ring, and keys live in an LRU table of
/// `capacity` entries, so a flood of spoofed sources or invented identities cannot grow it. Used for limit
/// violations per source (`OffenderTracker`) and for failed authentications per source and per identity
/// (`AuthenticationFailureTracker`).
public struct ViolationWindow<Key: Hashable & Sendable>: Sendable {
    public let threshold: Int
    public let window: Duration
    private var keys: LRUTable<Key, Violations>

    /// The instants of a key's most recent violations, at most `threshold` of them.
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

    /// `threshold` must be 1 or more (callers validate their configuration first).
    public init(threshold: Int, window: Duration, capacity: Int) {
        self.threshold = max(1, threshold)
        self.window = window
        keys = LRUTable(capacity: max(1, capacity))
    }

    /// Records an event of `key`; returns true if it makes `threshold` within the window, and then forgets the key's
    /// events so that its count starts again.
    public mutating func record(_ key: Key, at now: AdmissionInstant) -> Bool {
        let threshold = threshold
        let window = window
        let reached = keys.withValue(for: key, insertingIfAbsent: Violations(times: [])) { violations in
            violations.record(now, threshold: threshold)
            return violations.times.count == threshold && now - violations.times[violations.oldest] < window
        }
        if reached { keys.removeValue(for: key) }
        return reached
    }

    /// The events `key` has within the window ending at `now`.
    public func count(of key: Key, at now: AdmissionInstant) -> Int {
        guard let violations = keys[key] else { return 0 }
        return violations.times.count { now - $0 < window }
    }

    /// How many keys are tracked.
    public var trackedCount: Int { keys.count }

    /// Forgets keys with no event inside the window ending at `now`; returns how many went.
    @discardableResult
    public mutating func sweep(at now: AdmissionInstant) -> Int {
        let window = window
        return keys.sweep { _, violations in violations.times.contains { now - $0 < window } }
    }
}
