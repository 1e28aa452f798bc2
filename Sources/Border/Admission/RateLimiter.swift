import GatehousePolicy
import SIPMessage

/// Token-bucket rate limits keyed by source address, peer, realm or nothing (global), each counting all messages or
/// one method.
///
/// A message is checked against every rule that applies to it, the most specific scope first (source address, peer,
/// realm, global; within a scope, method limits before all-message limits). The first empty bucket decides, and
/// then nothing is charged: a message turned away by its source's limit does not use up its peer's or the global
/// budget, so one flooding source cannot starve the others through a shared limit. Only a message that every bucket
/// admits takes a token from each.
///
/// Memory is bounded: source-address buckets live in an LRU table of `sourceCapacity` entries, everything else in
/// one of `sharedCapacity`. Forgetting a bucket is the same as finding it full, so evicting idle buckets is free;
/// `sweep(at:)` removes those that have refilled, and under a spoofed-source flood the least recently used go first.
public struct RateLimiter: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// The limits; at most one per scope and filter. Default: none.
        public var rules: [RateLimitRule]
        /// How many source-address buckets are kept at once. Default: 65 536.
        public var sourceCapacity: Int
        /// How many peer, realm and global buckets are kept at once. Default: 4 096.
        public var sharedCapacity: Int

        public init(rules: [RateLimitRule] = [], sourceCapacity: Int = 65_536, sharedCapacity: Int = 4_096) {
            self.rules = rules
            self.sourceCapacity = sourceCapacity
            self.sharedCapacity = sharedCapacity
        }

        /// Checks every rule and capacity; throws on the first problem.
        public func validate() throws(AdmissionConfigurationError) {
            guard sourceCapacity > 0, sharedCapacity > 0 else {
                throw AdmissionConfigurationError(.invalidLimit, "rate-limit table capacities must be positive")
            }
            var ids = Set<String>()
            var buckets = Set<RuleTarget>()
            for rule in rules {
                guard rule.rate.isValid else {
                    throw AdmissionConfigurationError(
                        .invalidRate, "rule \(rule.id): rate \(rule.rate) is not positive")
                }
                guard TokenBucket.isValid(rate: rule.rate, burst: rule.burst) else {
                    throw AdmissionConfigurationError(.invalidBurst, "rule \(rule.id): burst \(rule.burst) is invalid")
                }
                guard ids.insert(rule.id).inserted else {
                    throw AdmissionConfigurationError(.duplicateRule, "rule id \(rule.id) is used twice")
                }
                guard buckets.insert(RuleTarget(scope: rule.scope, counted: rule.counted)).inserted else {
                    throw AdmissionConfigurationError(
                        .duplicateRule, "rule \(rule.id): another rule already limits \(rule.scope), \(rule.counted)")
                }
            }
        }
    }

    /// What `admit` came to.
    public enum Outcome: Hashable, Sendable {
        case allowed
        /// `rule`'s bucket for `key` was empty; a token comes back after `wait`.
        case exceeded(rule: RateLimitRule, key: RateLimitKey, wait: Duration)
    }

    /// A rule's scope and filter: two rules with the same one would share a bucket.
    struct RuleTarget: Hashable, Sendable {
        var scope: RateLimitRule.Scope
        var counted: MessageFilter
    }

    public let configuration: Configuration
    /// The rules in the order they are checked.
    private let orderedRules: [RateLimitRule]
    /// The filters that have a rule for a named peer or realm, which replaces the `.eachPeer` / `.eachRealm` rule.
    private let namedTargets: Set<RuleTarget>
    private var sourceBuckets: LRUTable<RateLimitKey, TokenBucket>
    private var sharedBuckets: LRUTable<RateLimitKey, TokenBucket>

    /// - Throws: the first problem `Configuration.validate()` finds.
    public init(_ configuration: Configuration) throws(AdmissionConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        orderedRules = configuration.rules.enumerated().sorted { left, right in
            let leftRank = (left.element.scope.kind, left.element.counted == .allMessages ? 1 : 0, left.offset)
            let rightRank = (right.element.scope.kind, right.element.counted == .allMessages ? 1 : 0, right.offset)
            return leftRank < rightRank
        }.map(\.element)
        namedTargets = Set(
            configuration.rules.compactMap { rule in
                switch rule.scope {
                case .peer, .realm: RuleTarget(scope: rule.scope, counted: rule.counted)
                case .eachIPAddress, .eachPeer, .eachRealm, .global: nil
                }
            })
        sourceBuckets = LRUTable(capacity: configuration.sourceCapacity)
        sharedBuckets = LRUTable(capacity: configuration.sharedCapacity)
    }

    /// Checks a message against every applicable rule and, if all admit it, charges each one token.
    ///
    /// - Parameters:
    ///   - peer: the peer the message was identified as coming from, if any.
    ///   - method: the request's method, or the response's CSeq method.
    ///   - isInitialRequest: a request outside any dialog (no To tag); only these count toward `.initialRequests`
    ///     filters such as `.calls`.
    public mutating func admit(
        source: IPAddress, peer: String?, realm: String, method: SIPMethod, isInitialRequest: Bool, isResponse: Bool,
        at now: AdmissionInstant
    ) -> Outcome {
        let message = Counted(method: method, isInitialRequest: isInitialRequest, isResponse: isResponse)
        for rule in orderedRules {
            guard let key = key(for: rule, source: source, peer: peer, realm: realm, message) else { continue }
            let wait = bucket(for: key)?.wait(at: now) ?? .zero
            if wait > .zero { return .exceeded(rule: rule, key: key, wait: wait) }
        }
        for rule in orderedRules {
            guard let key = key(for: rule, source: source, peer: peer, realm: realm, message) else { continue }
            charge(key, rule: rule, at: now)
        }
        return .allowed
    }

    /// Forgets every bucket that has refilled by `now` (a new one would start the same); returns how many went.
    @discardableResult
    public mutating func sweep(at now: AdmissionInstant) -> Int {
        sourceBuckets.sweep { !$1.isFull(at: now) } + sharedBuckets.sweep { !$1.isFull(at: now) }
    }

    /// The bucket kept for `key`, if any.
    public func bucket(for key: RateLimitKey) -> TokenBucket? {
        switch key.scope {
        case .sourceAddress: sourceBuckets[key]
        case .peer, .realm, .global: sharedBuckets[key]
        }
    }

    /// How many source-address buckets are kept now (at most `configuration.sourceCapacity`).
    public var sourceBucketCount: Int { sourceBuckets.count }
    /// How many peer, realm and global buckets are kept now (at most `configuration.sharedCapacity`).
    public var sharedBucketCount: Int { sharedBuckets.count }

    /// What a filter looks at in a message.
    private struct Counted {
        var method: SIPMethod
        var isInitialRequest: Bool
        var isResponse: Bool
    }

    /// The bucket `rule` charges for this message, or nil if the rule does not apply to it.
    private func key(
        for rule: RateLimitRule, source: IPAddress, peer: String?, realm: String, _ message: Counted
    ) -> RateLimitKey? {
        guard
            rule.counted.matches(
                message.method, isResponse: message.isResponse, isInitialRequest: message.isInitialRequest)
        else { return nil }
        let scope: RateLimitKey.Scope
        switch rule.scope {
        case .eachIPAddress:
            scope = .sourceAddress(source)
        case .eachPeer:
            guard let peer, !namedTargets.contains(RuleTarget(scope: .peer(peer), counted: rule.counted)) else {
                return nil
            }
            scope = .peer(peer)
        case .peer(let name):
            guard peer == name else { return nil }
            scope = .peer(name)
        case .eachRealm:
            guard !namedTargets.contains(RuleTarget(scope: .realm(realm), counted: rule.counted)) else { return nil }
            scope = .realm(realm)
        case .realm(let name):
            guard realm == name else { return nil }
            scope = .realm(name)
        case .global:
            scope = .global
        }
        return RateLimitKey(scope: scope, counted: rule.counted)
    }

    /// Takes a token from `key`'s bucket, creating it (full) first if there is none.
    private mutating func charge(_ key: RateLimitKey, rule: RateLimitRule, at now: AdmissionInstant) {
        let fresh = TokenBucket(rate: rule.rate, burst: rule.burst, at: now)
        switch key.scope {
        case .sourceAddress:
            _ = sourceBuckets.withValue(for: key, insertingIfAbsent: fresh) { $0.take(at: now) }
        case .peer, .realm, .global:
            _ = sharedBuckets.withValue(for: key, insertingIfAbsent: fresh) { $0.take(at: now) }
        }
    }
}
