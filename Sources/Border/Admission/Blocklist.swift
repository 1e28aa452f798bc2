import GatehousePolicy

/// The userspace blocklist: source addresses whose messages are dropped until their block expires.
///
/// Repeat offenders get longer blocks: a block added while the address is still blocked, or within
/// `escalationWindow` after its previous block ended, lasts twice as long as the one asked for, then four times, and
/// so on up to `maximumDuration`. Addresses in the allowlist (the peers' own prefixes, the operators' networks) are
/// never blocked, whoever asks.
///
/// An address's record outlives its block by the escalation window, to remember the repeat; `sweep(at:)` reports
/// blocks that have ended (for a kernel enforcer to mirror) and forgets records whose window has passed. All records
/// live in an LRU table of `capacity` entries, so a flood of offenders from spoofed addresses cannot grow it.
public struct Blocklist: BlocklistEnforcer, Sendable {
    public struct Configuration: Hashable, Sendable {
        /// How many addresses (blocked, or remembered for escalation) are kept at once. Default: 65 536.
        public var capacity: Int
        /// How long after a block ends a new one for the same address counts as a repeat. Default: 1 hour.
        public var escalationWindow: Duration
        /// The longest an escalated block lasts. Default: 24 hours.
        public var maximumDuration: Duration
        /// Addresses never blocked. Default: none.
        public var allowlist: [IPPrefix]

        public init(
            capacity: Int = 65_536, escalationWindow: Duration = .seconds(3_600),
            maximumDuration: Duration = .seconds(86_400), allowlist: [IPPrefix] = []
        ) {
            self.capacity = capacity
            self.escalationWindow = escalationWindow
            self.maximumDuration = maximumDuration
            self.allowlist = allowlist
        }

        public func validate() throws(AdmissionConfigurationError) {
            guard capacity > 0 else {
                throw AdmissionConfigurationError(.invalidLimit, "blocklist capacity must be positive")
            }
            guard escalationWindow >= .zero, maximumDuration > .zero else {
                throw AdmissionConfigurationError(.invalidDuration, "blocklist durations must be positive")
            }
        }
    }

    /// What `add` came to.
    public enum AddOutcome: Hashable, Sendable {
        /// The address is blocked as `entry` says.
        case blocked(BlocklistEntry)
        /// The address is in the allowlist and was not blocked.
        case allowlisted
    }

    /// An address's block, and whether its end has been reported by `sweep` yet.
    private struct Record: Sendable {
        var entry: BlocklistEntry
        var isLifted: Bool
    }

    public let configuration: Configuration
    private var records: LRUTable<IPAddress, Record>

    public init(_ configuration: Configuration = Configuration()) throws(AdmissionConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        records = LRUTable(capacity: configuration.capacity)
    }

    /// Whether the allowlist covers `address`.
    public func isAllowlisted(_ address: IPAddress) -> Bool {
        configuration.allowlist.contains { $0.contains(address) }
    }

    /// Blocks `address` from `now` for `duration`, longer for a repeat (see the type's comment). An address already
    /// blocked stays blocked at least until its current block ends.
    @discardableResult
    public mutating func add(
        _ address: IPAddress, for duration: Duration, reason: AdmissionReason.Code, at now: AdmissionInstant
    ) -> AddOutcome {
        guard !isAllowlisted(address) else { return .allowlisted }
        var escalation = 0
        var until = now
        if let previous = records[address]?.entry, now < previous.until + configuration.escalationWindow {
            escalation = previous.escalation + 1
            until = max(until, previous.until)
        }
        until = max(until, now + escalated(duration, times: escalation))
        let entry = BlocklistEntry(address: address, since: now, until: until, reason: reason, escalation: escalation)
        records.set(Record(entry: entry, isLifted: false), for: address)
        return .blocked(entry)
    }

    /// Adds `entry` as it is, without escalation (unless the address is allowlisted): how another enforcer's list,
    /// or a saved one, is copied in.
    public mutating func add(_ entry: BlocklistEntry) {
        guard !isAllowlisted(entry.address) else { return }
        records.set(Record(entry: entry, isLifted: false), for: entry.address)
    }

    /// Lifts the block on `address` and forgets its history (an operator's unblock starts it afresh).
    public mutating func remove(_ address: IPAddress) {
        records.removeValue(for: address)
    }

    /// Whether `address` is blocked at `now`.
    public func contains(_ address: IPAddress, at now: AdmissionInstant) -> Bool {
        entry(for: address, at: now) != nil
    }

    /// The block in force on `address` at `now`, if any.
    public func entry(for address: IPAddress, at now: AdmissionInstant) -> BlocklistEntry? {
        guard let record = records[address], !record.isLifted, record.entry.isActive(at: now) else { return nil }
        return record.entry
    }

    /// The blocks in force at `now`, most recently added first.
    public func list(at now: AdmissionInstant) -> [BlocklistEntry] {
        records.entries.compactMap { $0.value.isLifted || !$0.value.entry.isActive(at: now) ? nil : $0.value.entry }
    }

    /// How many addresses are remembered (blocked, or within their escalation window).
    public var recordCount: Int { records.count }

    /// Reports each block that has ended by `now` (once), and forgets addresses whose escalation window has passed.
    /// The edge calls this on a timer and passes what it returns to a kernel enforcer's `remove`.
    public mutating func sweep(at now: AdmissionInstant) -> [BlocklistEntry] {
        var ended: [BlocklistEntry] = []
        let window = configuration.escalationWindow
        records.sweep { _, record in
            if !record.isLifted && !record.entry.isActive(at: now) {
                record.isLifted = true
                ended.append(record.entry)
            }
            return now < record.entry.until + window
        }
        return ended
    }

    /// `duration` doubled `times` times, capped at the maximum (but never shorter than `duration` itself).
    private func escalated(_ duration: Duration, times: Int) -> Duration {
        let ceiling = max(duration, configuration.maximumDuration)
        var result = max(duration, .zero)
        for _ in 0..<times where result < ceiling {
            result = min(result * 2, ceiling)
        }
        return result
    }
}
