import SIPMessage

/// A global guard that refuses new calls while Gatehouse is overloaded, with hysteresis.
///
/// ```
///                 load >= high
///   +--------+  ---------------->  +------------+
///   | normal |                     | overloaded |  new INVITEs: 503 + Retry-After (or drop)
///   +--------+  <----------------  +------------+  everything else: passes
///                 load <= low
/// ```
///
/// The edge feeds it one number: whatever measures load best there (messages in flight, the ingress queue depth,
/// new calls per second over a window). Two watermarks keep the guard from flapping when the load hovers around one
/// threshold. While overloaded only new work is refused — by default initial INVITEs — so calls already set up keep
/// their BYEs, re-INVITEs and ACKs, which is what lets the load fall (RFC 7339 §5.2 makes the same distinction).
public struct OverloadGuard: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// The load at or above which the guard trips.
        public var highWatermark: Int
        /// The load at or below which a tripped guard resets; below `highWatermark`.
        public var lowWatermark: Int
        /// The initial requests refused while overloaded. Default: INVITE.
        public var refusedMethods: Set<SIPMethod>
        /// What a refused request gets; `RetryAfter.computed` is refused. Default: 503 with Retry-After 10.
        public var action: ExcessAction

        public init(
            highWatermark: Int, lowWatermark: Int, refusedMethods: Set<SIPMethod> = [.invite],
            action: ExcessAction = .reject503(retryAfter: .fixed(seconds: 10))
        ) {
            self.highWatermark = highWatermark
            self.lowWatermark = lowWatermark
            self.refusedMethods = refusedMethods
            self.action = action
        }

        public func validate() throws(AdmissionConfigurationError) {
            guard lowWatermark < highWatermark else {
                throw AdmissionConfigurationError(
                    .invalidWatermarks, "low watermark \(lowWatermark) must be below high watermark \(highWatermark)")
            }
            guard action != .reject503(retryAfter: .computed) else {
                throw AdmissionConfigurationError(
                    .retryAfterNotComputable, "the overload guard needs a fixed Retry-After")
            }
        }
    }

    public enum State: Hashable, Sendable {
        case normal
        /// Tripped at `since`.
        case overloaded(since: AdmissionInstant)
    }

    /// A change of state, for the edge to log and count.
    public enum Transition: Hashable, Sendable {
        case enteredOverload
        case leftOverload
    }

    public let configuration: Configuration
    public private(set) var state: State = .normal
    /// The last load reported.
    public private(set) var load: Int = 0

    public init(_ configuration: Configuration) throws(AdmissionConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    public var isOverloaded: Bool {
        switch state {
        case .normal: false
        case .overloaded: true
        }
    }

    /// Records the current load; returns the transition it caused, if any.
    public mutating func update(load: Int, at now: AdmissionInstant) -> Transition? {
        self.load = load
        switch state {
        case .normal where load >= configuration.highWatermark:
            state = .overloaded(since: now)
            return .enteredOverload
        case .overloaded where load <= configuration.lowWatermark:
            state = .normal
            return .leftOverload
        case .normal, .overloaded:
            return nil
        }
    }

    /// Whether a message is refused now: only an initial request of a refused method, and only while overloaded.
    public func refuses(_ method: SIPMethod, isInitialRequest: Bool) -> Bool {
        isOverloaded && isInitialRequest && configuration.refusedMethods.contains(method)
    }
}
