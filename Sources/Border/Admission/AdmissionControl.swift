import GatehousePolicy

/// The one admission entry point of the ingress pipeline: per message, admit it, answer 503, drop it, or drop it
/// because its source is blocked — and count the decision.
///
/// Checks run in a fixed order, the cheapest and most decisive first, and the first that objects decides:
///
/// 1. **Blocklist.** A blocked source is dropped without touching any limit.
/// 2. **Overload guard** (initial requests of the refused methods, by default INVITE). In-dialog requests pass, so
///    calls in progress can end.
/// 3. **Rate limits**, most specific scope first (source address, peer, realm, global). A message over a limit that
///    counts as an offense is a violation for the offender tracker, which may put the source on the blocklist.
/// 4. **Call limits** (initial INVITEs): the call takes a slot only now that everything else admitted it; the
///    session layer gives it back with `release(callID:)`.
///
/// A response, or an ACK, is never answered: where the action says 503 it is dropped instead. Blocklist changes can
/// be mirrored to a kernel `BlocklistEnforcer` passed to `admit`, `block`, `unblock` and `sweep`; the userspace
/// blocklist here stays the authority (escalation, allowlist). A value type with no clock and no lock: one owner
/// (an event loop) drives it.
public struct AdmissionControl: Sendable {
    public let configuration: AdmissionConfiguration
    public private(set) var rateLimiter: RateLimiter
    public internal(set) var calls: ConcurrencyLimiter
    public private(set) var overloadGuard: OverloadGuard?
    public internal(set) var blocklist: Blocklist
    public private(set) var offenders: OffenderTracker?
    public internal(set) var counters = AdmissionCounters()

    /// - Throws: the first problem `AdmissionConfiguration.validate()` finds.
    public init(_ configuration: AdmissionConfiguration) throws(AdmissionConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        rateLimiter = try RateLimiter(configuration.rateLimits)
        calls = try ConcurrencyLimiter(configuration.calls)
        overloadGuard = try configuration.overload.map { (overload) throws(AdmissionConfigurationError) in
            try OverloadGuard(overload)
        }
        blocklist = try Blocklist(configuration.blocklist)
        offenders = try configuration.offenders.map { (offenders) throws(AdmissionConfigurationError) in
            try OffenderTracker(offenders)
        }
    }

    /// Decides about one message and counts the decision.
    public mutating func admit(_ context: AdmissionContext) -> AdmissionDecision {
        var enforcer = NoEnforcer()
        return admit(context, enforcer: &enforcer)
    }

    /// Decides about one message and counts the decision; a source this message gets blocked is also added to
    /// `enforcer`.
    public mutating func admit(_ context: AdmissionContext, enforcer: inout some BlocklistEnforcer) -> AdmissionDecision
    {
        let decision = decide(context, enforcer: &enforcer)
        counters.record(decision)
        return decision
    }

    /// Gives back the call slot `callID` holds; returns whether it held one. Idempotent.
    @discardableResult
    public mutating func release(callID: String) -> Bool {
        calls.release(callID: callID)
    }

    /// Feeds the overload guard the current load; returns (and counts) the transition it caused, if any.
    @discardableResult
    public mutating func updateLoad(_ load: Int, at now: AdmissionInstant) -> OverloadGuard.Transition? {
        guard let transition = overloadGuard?.update(load: load, at: now) else { return nil }
        let reason = AdmissionReason(.overloaded, scope: .global)
        switch transition {
        case .enteredOverload: counters.record(.overloadEntered, reason)
        case .leftOverload: counters.record(.overloadLeft, reason)
        }
        return transition
    }

    /// Blocks `address` on an operator's word (escalated like any repeat), mirrored to `enforcer`.
    @discardableResult
    public mutating func block(
        _ address: IPAddress, for duration: Duration, reason: AdmissionReason.Code = .blockedByOperator,
        at now: AdmissionInstant, enforcer: inout some BlocklistEnforcer
    ) -> Blocklist.AddOutcome {
        let outcome = blocklist.add(address, for: duration, reason: reason, at: now)
        if case .blocked(let entry) = outcome { recordBlock(entry, enforcer: &enforcer) }
        return outcome
    }

    /// Blocks `address` on an operator's word, without a kernel enforcer.
    @discardableResult
    public mutating func block(
        _ address: IPAddress, for duration: Duration, reason: AdmissionReason.Code = .blockedByOperator,
        at now: AdmissionInstant
    ) -> Blocklist.AddOutcome {
        var enforcer = NoEnforcer()
        return block(address, for: duration, reason: reason, at: now, enforcer: &enforcer)
    }

    /// Lifts the block on `address` and forgets its history, here and in `enforcer`.
    public mutating func unblock(_ address: IPAddress, enforcer: inout some BlocklistEnforcer) {
        blocklist.remove(address)
        enforcer.remove(address)
    }

    /// Lifts the block on `address` and forgets its history, without a kernel enforcer.
    public mutating func unblock(_ address: IPAddress) {
        blocklist.remove(address)
    }

    /// Housekeeping the edge runs on a timer: lifts ended blocks (counted, and removed from `enforcer`), forgets
    /// refilled buckets and quiet offenders.
    public mutating func sweep(at now: AdmissionInstant, enforcer: inout some BlocklistEnforcer) {
        for entry in blocklist.sweep(at: now) {
            counters.record(.blocklistExpired, AdmissionReason(entry.reason, scope: .sourceAddress))
            enforcer.remove(entry.address)
        }
        rateLimiter.sweep(at: now)
        offenders?.sweep(at: now)
    }

    /// Housekeeping without a kernel enforcer.
    public mutating func sweep(at now: AdmissionInstant) {
        var enforcer = NoEnforcer()
        sweep(at: now, enforcer: &enforcer)
    }

    private mutating func decide(
        _ context: AdmissionContext, enforcer: inout some BlocklistEnforcer
    ) -> AdmissionDecision {
        // 1. Blocklist.
        if let entry = blocklist.entry(for: context.source, at: context.now) {
            return .blocked(until: entry.until, reason: AdmissionReason(entry.reason, scope: .sourceAddress))
        }
        // 2. Overload guard: new work only.
        if let overloadGuard, overloadGuard.refuses(context.method, isInitialRequest: context.isInitialRequest) {
            let reason = AdmissionReason(.overloaded, scope: .global)
            return Self.decision(overloadGuard.configuration.action, wait: nil, reason: reason, context)
        }
        // 3. Rate limits, most specific scope first.
        let outcome = rateLimiter.admit(
            source: context.source, peer: context.peer, realm: context.realm, method: context.method,
            isInitialRequest: context.isInitialRequest, isResponse: context.isResponse, at: context.now)
        if case .exceeded(let rule, let key, let wait) = outcome {
            if rule.countsAsOffense,
                case .blocked(let entry)? = offenders?.recordViolation(
                    by: context.source, at: context.now, blocklist: &blocklist)
            {
                recordBlock(entry, enforcer: &enforcer)
            }
            let reason = AdmissionReason(.rateLimited, scope: key.scope.kind, counted: key.counted, rule: rule.id)
            return Self.decision(rule.action, wait: wait, reason: reason, context)
        }
        // 4. Call limits: the slot is taken only now that every other check admitted the call.
        guard context.isInitialInvite else { return .admit }
        switch calls.acquire(callID: context.callID, peer: context.peer) {
        case .acquired, .alreadyHeld:
            return .admit
        case .peerLimitReached:
            let reason = AdmissionReason(.peerCallLimit, scope: .peer)
            return Self.decision(calls.configuration.action, wait: nil, reason: reason, context)
        case .totalLimitReached:
            let reason = AdmissionReason(.totalCallLimit, scope: .global)
            return Self.decision(calls.configuration.action, wait: nil, reason: reason, context)
        }
    }

    private mutating func recordBlock(_ entry: BlocklistEntry, enforcer: inout some BlocklistEnforcer) {
        counters.record(.blocklistAdded, AdmissionReason(entry.reason, scope: .sourceAddress))
        enforcer.add(entry)
    }

    /// The decision an action makes for this message: a 503 only where a response can be sent.
    private static func decision(
        _ action: ExcessAction, wait: Duration?, reason: AdmissionReason, _ context: AdmissionContext
    ) -> AdmissionDecision {
        guard context.isAnswerable, case .reject503(let retryAfter) = action else { return .drop(reason: reason) }
        let seconds: UInt32
        switch retryAfter {
        case .computed: seconds = RetryAfter.seconds(for: wait ?? .zero)
        case .fixed(let fixed): seconds = fixed
        }
        return .reject(status: .serviceUnavailable, retryAfter: seconds, reason: reason)
    }
}

/// The enforcer used when the caller has none: the userspace blocklist inside `AdmissionControl` is enough.
struct NoEnforcer: BlocklistEnforcer {
    mutating func add(_ entry: BlocklistEntry) {}
    mutating func remove(_ address: IPAddress) {}
    func list(at now: AdmissionInstant) -> [BlocklistEntry] { [] }
}
