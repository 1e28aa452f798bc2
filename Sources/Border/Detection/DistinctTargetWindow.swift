/// Counts the distinct targets each key reached in a sliding window: `record` reports when one key has reached
/// `threshold` different targets within any `window`-long stretch. A sweep is one source probing many
/// Request-URIs; enumeration is one source learning about many users.
///
/// A key keeps at most `threshold` targets (as hashes, with the instant each was last seen), and keys live in an
/// LRU table of `capacity` entries, so neither many targets nor many spoofed sources can grow it without bound.
/// Reaching the threshold forgets the key, so its count starts again.
public struct DistinctTargetWindow<Key: Hashable & Sendable>: Sendable {
    public let threshold: Int
    public let window: Duration
    private var keys: LRUTable<Key, Targets>

    private struct Target: Sendable {
        var hash: Int
        var seen: AdmissionInstant
    }

    private struct Targets: Sendable {
        var targets: [Target] = []

        mutating func forget(before start: AdmissionInstant) {
            targets.removeAll { $0.seen <= start }
        }
    }

    /// `threshold` must be 2 or more (callers validate their configuration first).
    public init(threshold: Int, window: Duration, capacity: Int) {
        self.threshold = max(2, threshold)
        self.window = window
        keys = LRUTable(capacity: max(1, capacity))
    }

    /// Records that `key` reached `target` at `now`; returns true if that makes `threshold` distinct targets within
    /// the window, and then forgets the key.
    public mutating func record(_ target: some Hashable, for key: Key, at now: AdmissionInstant) -> Bool {
        let hash = target.hashValue
        let threshold = threshold
        let start = now - window
        let reached = keys.withValue(for: key, insertingIfAbsent: Targets()) { entry in
            entry.forget(before: start)
            if let index = entry.targets.firstIndex(where: { $0.hash == hash }) {
                entry.targets[index].seen = now
            } else {
                entry.targets.append(Target(hash: hash, seen: now))
            }
            return entry.targets.count >= threshold
        }
        if reached { keys.removeValue(for: key) }
        return reached
    }

    /// The distinct targets `key` reached within the window ending at `now`.
    public func count(of key: Key, at now: AdmissionInstant) -> Int {
        let start = now - window
        return keys[key]?.targets.count { $0.seen > start } ?? 0
    }

    /// How many keys are tracked.
    public var trackedCount: Int { keys.count }

    /// Forgets keys with no target inside the window ending at `now`; returns how many went.
    @discardableResult
    public mutating func sweep(at now: AdmissionInstant) -> Int {
        let start = now - window
        return keys.sweep { _, entry in
            entry.forget(before: start)
            return !entry.targets.isEmpty
        }
    }
}
