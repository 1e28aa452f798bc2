/// A rate limit as the policy writes it: messages per second, and how many may arrive back to back.
public struct RateSetting: Sendable, Hashable, CustomStringConvertible {
    /// The sustained rate, in messages per second.
    public var perSecond: Int
    /// The most that may arrive back to back after an idle spell. Default: one second's worth (`perSecond`).
    public var burst: Int

    public init(perSecond: Int, burst: Int? = nil) {
        self.perSecond = perSecond
        self.burst = burst ?? perSecond
    }

    public var description: String { "\(perSecond)/s (burst \(burst))" }
}

/// What a message over a limit gets.
public enum ExcessHandling: String, Sendable, Hashable, CaseIterable {
    /// 503 Service Unavailable with Retry-After (RFC 3261 §21.5.4): the polite answer for a peer that backs off.
    case reject
    /// Nothing: a flooder learns nothing and costs nothing to answer.
    case drop
}

/// The rate and call limits of one scope: a peer, a realm, or each source address.
public struct TrafficLimits: Sendable, Hashable {
    /// New calls per second: initial INVITEs (no To tag). A re-INVITE inside a call is not a new call.
    public var calls: RateSetting?
    /// REGISTER requests per second.
    public var registers: RateSetting?
    /// Every message, in-dialog requests and responses included, per second.
    public var messages: RateSetting?
    /// Calls in progress at once (peers only).
    public var concurrentCalls: Int?
    /// What excess gets; nil for the policy's `admission.on_excess`.
    public var onExcess: ExcessHandling?
    /// Whether exceeding these limits counts against the sender's address toward a block
    /// (`admission.block`). nil: only for `admission.per_source`, since a peer over its own limit is
    /// slowed with 503s, not shut out.
    public var blockOffenders: Bool?

    public init(
        calls: RateSetting? = nil, registers: RateSetting? = nil, messages: RateSetting? = nil,
        concurrentCalls: Int? = nil, onExcess: ExcessHandling? = nil, blockOffenders: Bool? = nil
    ) {
        self.calls = calls
        self.registers = registers
        self.messages = messages
        self.concurrentCalls = concurrentCalls
        self.onExcess = onExcess
        self.blockOffenders = blockOffenders
    }

    /// No limit at all.
    public var isEmpty: Bool { calls == nil && registers == nil && messages == nil && concurrentCalls == nil }
}
