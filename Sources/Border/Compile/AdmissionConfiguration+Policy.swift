import GatehousePolicy
import SIPMessage

extension AdmissionConfiguration {
    /// Admission control as the policy says: `admission.per_source`, each realm's and each peer's `limits`, the
    /// node's `limits.max_calls`, the overload guard and the blocklist (trusted peers and `admission.allowlist`
    /// never blocked).
    public init(policy: Policy) {
        let admission = policy.admission
        var rules: [RateLimitRule] = []
        func add(_ limits: TrafficLimits, scope: RateLimitRule.Scope, id: String) {
            let action = Self.action(
                limits.onExcess ?? admission.onExcess, retryAfter: admission.retryAfter.map(Self.fixed) ?? .computed)
            let offense = limits.blockOffenders
            for (rate, filter, name) in [
                (limits.calls, MessageFilter.calls, "calls_per_second"),
                (limits.registers, MessageFilter.registers, "registers_per_second"),
                (limits.messages, MessageFilter.allMessages, "messages_per_second"),
            ] {
                guard let rate else { continue }
                rules.append(
                    RateLimitRule(
                        id: "\(id).\(name)", scope: scope, counted: filter, rate: .perSecond(Int64(rate.perSecond)),
                        burst: Int64(rate.burst), action: action, countsAsOffense: offense))
            }
        }
        add(admission.perSource, scope: .eachIPAddress, id: "admission.per_source")
        for realm in policy.realms where !realm.limits.isEmpty {
            add(realm.limits, scope: .realm(realm.name), id: "realm.\(realm.name)")
        }
        var peerCalls: [String: Int] = [:]
        for peer in policy.peers {
            add(peer.limits, scope: .peer(peer.name), id: "peer.\(peer.name)")
            if let calls = peer.limits.concurrentCalls { peerCalls[peer.name] = calls }
        }
        // Call limits and the overload guard cannot compute a wait: their Retry-After is fixed.
        let callAction = Self.action(admission.onExcess, retryAfter: Self.fixed(admission.retryAfter ?? .seconds(5)))
        let overload = admission.overload.map {
            OverloadGuard.Configuration(
                highWatermark: $0.high, lowWatermark: $0.low,
                action: Self.action(admission.onExcess, retryAfter: Self.fixed($0.retryAfter)))
        }
        let trusted = policy.peers.filter { $0.trust == .trusted }.flatMap { $0.addresses.map(\.prefix) }
        let block = admission.block
        self.init(
            rateLimits: RateLimiter.Configuration(rules: rules),
            calls: ConcurrencyLimiter.Configuration(
                total: policy.limits.maxCalls, peers: peerCalls, action: callAction),
            overload: overload,
            blocklist: Blocklist.Configuration(
                maximumDuration: block?.maximumDuration ?? .seconds(86_400), allowlist: admission.allowlist + trusted),
            offenders: block.map {
                OffenderTracker.Configuration(threshold: $0.violations, window: $0.window, blockDuration: $0.duration)
            })
    }

    /// What excess gets: 503 with `retryAfter`, or nothing.
    static func action(_ handling: ExcessHandling, retryAfter: RetryAfter) -> ExcessAction {
        switch handling {
        case .drop: .drop
        case .reject: .reject503(retryAfter: retryAfter)
        }
    }

    /// A fixed Retry-After in whole seconds.
    static func fixed(_ duration: Duration) -> RetryAfter {
        .fixed(seconds: UInt32(clamping: duration.components.seconds))
    }
}
