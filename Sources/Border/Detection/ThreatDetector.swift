import GatehousePolicy
import SIPMessage

/// Recognizes scanners, sweeps, extension enumeration and malformed-message storms per source address, from
/// events the edge reports: a scanner matched by the sanity stage, a request received, a response the node sent,
/// a message that could not be parsed.
///
/// Each event method returns the `Detection` it completed, if any, for the edge to carry out; a `.drop` detection
/// also mutes its source here for the detection's window (`isMuted`). Sources the edge identified as a known peer
/// are not reported: peers are parties the policy names, and their traffic is governed by their own limits.
/// A value with no clock and no lock: one owner (the engine's event loop) drives it, passing the time.
public struct ThreatDetector: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var settings: DetectionSettings
        /// How many sources each detection tracks at once. Default 16 384.
        public var capacity: Int

        public init(_ settings: DetectionSettings = DetectionSettings(), capacity: Int = 16_384) {
            self.settings = settings
            self.capacity = capacity
        }
    }

    /// The statuses that tell an enumerating client whether a user exists: 404 or 484 (no such user), 401, 407 or
    /// 403 (the user exists and wants credentials, or refuses them).
    public static let enumerationStatuses: Set<Int> = [401, 403, 404, 407, 484]

    public let configuration: Configuration
    private var sweeps: DistinctTargetWindow<IPAddress>?
    private var enumeration: DistinctTargetWindow<IPAddress>?
    private var malformed: ViolationWindow<IPAddress>?
    /// Sources a `.drop` detection mutes, until when.
    private var muted: LRUTable<IPAddress, AdmissionInstant>

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let settings = configuration.settings
        // Each tracked source keeps up to `count` targets: fewer sources for larger thresholds.
        func capacity(_ threshold: DetectionSettings.Threshold) -> Int {
            max(1, min(configuration.capacity, 4_000_000 / max(1, threshold.count)))
        }
        sweeps = settings.sweeps.map {
            DistinctTargetWindow(threshold: $0.count, window: $0.window, capacity: capacity($0))
        }
        enumeration = settings.enumeration.map {
            DistinctTargetWindow(threshold: $0.count, window: $0.window, capacity: capacity($0))
        }
        malformed = settings.malformed.map {
            ViolationWindow(threshold: $0.count, window: $0.window, capacity: capacity($0))
        }
        muted = LRUTable(capacity: max(1, configuration.capacity))
    }

    /// The sanity stage matched a known scanner in a request from `source`.
    public mutating func scannerMatched(from source: IPAddress, pattern: String, at now: AdmissionInstant) -> Detection
    {
        // No muting for scanners: sanity drops (or answers) every scanner request on its own.
        Detection(
            reason: .scanner, action: configuration.settings.scanners, source: source,
            blockFor: configuration.settings.blockFor, detail: pattern)
    }

    /// A request from `source` (not a known peer) passed admission. Out-of-dialog OPTIONS and REGISTER count
    /// toward a sweep by their Request-URI.
    public mutating func requestReceived(
        _ method: SIPMethod, requestURI: String, isInitial: Bool, from source: IPAddress, at now: AdmissionInstant
    ) -> Detection? {
        guard isInitial, method == .options || method == .register, let threshold = configuration.settings.sweeps,
            sweeps?.record(requestURI, for: source, at: now) == true
        else { return nil }
        return detected(
            .sweep, threshold, source, now,
            "\(threshold.count) distinct Request-URIs within \(threshold.window) (last \(requestURI))")
    }

    /// The node answered `status` to a request from `source` (not a known peer) for `user` (the To URI's user).
    public mutating func responseSent(
        status: Int, user: String, to source: IPAddress, at now: AdmissionInstant
    ) -> Detection? {
        guard Self.enumerationStatuses.contains(status), let threshold = configuration.settings.enumeration,
            enumeration?.record(user, for: source, at: now) == true
        else { return nil }
        return detected(
            .enumeration, threshold, source, now,
            "\(threshold.count) distinct users answered 401/403/404/407/484 within \(threshold.window)")
    }

    /// A message from `source` could not be parsed (or framed), or failed a sanity check.
    public mutating func parseFailed(from source: IPAddress, at now: AdmissionInstant) -> Detection? {
        guard let threshold = configuration.settings.malformed, malformed?.record(source, at: now) == true else {
            return nil
        }
        return detected(
            .malformedStorm, threshold, source, now,
            "\(threshold.count) unparseable messages within \(threshold.window)")
    }

    /// Whether a `.drop` detection muted `source` until after `now`.
    public func isMuted(_ source: IPAddress, at now: AdmissionInstant) -> Bool {
        guard let until = muted[source] else { return false }
        return now < until
    }

    /// Forgets quiet sources and ended mutes.
    public mutating func sweep(at now: AdmissionInstant) {
        sweeps?.sweep(at: now)
        enumeration?.sweep(at: now)
        malformed?.sweep(at: now)
        _ = muted.sweep { _, until in now < until }
    }

    private mutating func detected(
        _ reason: AdmissionReason.Code, _ threshold: DetectionSettings.Threshold, _ source: IPAddress,
        _ now: AdmissionInstant, _ detail: String
    ) -> Detection {
        if threshold.action == .drop { _ = muted.set(now + threshold.window, for: source) }
        return Detection(
            reason: reason, action: threshold.action, source: source, blockFor: configuration.settings.blockFor,
            detail: detail)
    }
}
