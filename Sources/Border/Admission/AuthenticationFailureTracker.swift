import GatehousePolicy

/// Failed authentications (a wrong digest response or AKA RES) counted per source address and per private identity
/// in a sliding window: the defence against password guessing from one place and against guessing one user's
/// password from many.
///
/// A source that fails `maximum` times within `window` is put on the blocklist for `blockDuration` (escalated for a
/// repeat, like any offender). An identity that fails `maximum` times is locked for `blockDuration`: its REGISTERs
/// get 403 from wherever they come, so spreading the guesses over addresses does not help. A value with no clock
/// and no lock: its owner passes the time and keeps it on one thread.
public struct AuthenticationFailureTracker: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var maximum: Int
        public var window: Duration
        public var blockDuration: Duration
        /// How many sources and identities are tracked at once (each).
        public var capacity: Int

        public init(
            maximum: Int = 5, window: Duration = .seconds(300), blockDuration: Duration = .seconds(600),
            capacity: Int = 16_384
        ) {
            self.maximum = maximum
            self.window = window
            self.blockDuration = blockDuration
            self.capacity = capacity
        }
    }

    /// What one failure led to.
    public struct Verdict: Hashable, Sendable {
        /// The source reached the maximum: block it.
        public var blockSource: Bool
        /// The identity reached the maximum and is now locked until this instant.
        public var identityLockedUntil: AdmissionInstant?
    }

    public let configuration: Configuration
    private var sources: ViolationWindow<IPAddress>
    private var identities: ViolationWindow<String>
    private var locked: LRUTable<String, AdmissionInstant>

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        sources = ViolationWindow(
            threshold: configuration.maximum, window: configuration.window, capacity: configuration.capacity)
        identities = ViolationWindow(
            threshold: configuration.maximum, window: configuration.window, capacity: configuration.capacity)
        locked = LRUTable(capacity: max(1, configuration.capacity))
    }

    /// Records a failed attempt by `identity` (a private identity; nil when unknown) from `source`.
    public mutating func recordFailure(identity: String?, from source: IPAddress, at now: AdmissionInstant) -> Verdict {
        let blockSource = sources.record(source, at: now)
        var lockedUntil: AdmissionInstant?
        if let identity, identities.record(identity, at: now) {
            let until = now + configuration.blockDuration
            locked.set(until, for: identity)
            lockedUntil = until
        }
        return Verdict(blockSource: blockSource, identityLockedUntil: lockedUntil)
    }

    /// Whether `identity` is locked at `now`.
    public func isLocked(_ identity: String, at now: AdmissionInstant) -> Bool {
        guard let until = locked[identity] else { return false }
        return now < until
    }

    /// The failures counted for a source and an identity within the window ending at `now`.
    public func failures(from source: IPAddress, at now: AdmissionInstant) -> Int { sources.count(of: source, at: now) }
    public func failures(of identity: String, at now: AdmissionInstant) -> Int {
        identities.count(of: identity, at: now)
    }

    /// Forgets quiet sources and identities and ended locks.
    public mutating func sweep(at now: AdmissionInstant) {
        sources.sweep(at: now)
        identities.sweep(at: now)
        _ = locked.sweep { _, until in now < until }
    }
}

extension AdmissionReason.Code {
    /// Blocklisted for too many failed authentications (digest or IMS-AKA) within the window.
    public static let authenticationFailures = Self(rawValue: "authentication-failures")
}
