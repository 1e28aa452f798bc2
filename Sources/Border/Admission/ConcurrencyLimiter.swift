/// Concurrent calls per peer and in total, held by Call-ID.
///
/// A call takes a slot when its initial INVITE is admitted and gives it back when the call ends (the session layer
/// calls `release` on the final non-2xx answer, on BYE, or when the dialog times out). Acquiring with a Call-ID that
/// already holds a slot (a retransmitted INVITE) succeeds without taking another; releasing a Call-ID that holds
/// none does nothing, so the session layer may release on every path that ends a call without counting twice.
public struct ConcurrencyLimiter: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// The most calls at once, all peers together; nil for no total limit. Default: nil.
        public var total: Int?
        /// The most calls at once for any one peer without an entry in `peers`; nil for none. Default: nil.
        public var perPeer: Int?
        /// Limits for named peers, replacing `perPeer` for them. Default: none.
        public var peers: [String: Int]
        /// What a call over a limit gets; `RetryAfter.computed` is refused, since no bucket predicts when a call
        /// ends. Default: 503 with Retry-After 5.
        public var action: ExcessAction

        public init(
            total: Int? = nil, perPeer: Int? = nil, peers: [String: Int] = [:],
            action: ExcessAction = .reject503(retryAfter: .fixed(seconds: 5))
        ) {
            self.total = total
            self.perPeer = perPeer
            self.peers = peers
            self.action = action
        }

        public func validate() throws(AdmissionConfigurationError) {
            let limits = [total, perPeer].compactMap { $0 } + Array(peers.values)
            guard limits.allSatisfy({ $0 >= 0 }) else {
                throw AdmissionConfigurationError(.invalidLimit, "call limits must not be negative")
            }
            guard action != .reject503(retryAfter: .computed) else {
                throw AdmissionConfigurationError(
                    .retryAfterNotComputable, "a call limit needs a fixed Retry-After")
            }
        }

        /// The limit for `peer`: its own, or the per-peer default.
        public func limit(for peer: String) -> Int? {
            peers[peer] ?? perPeer
        }
    }

    /// What `acquire` came to.
    public enum Outcome: Hashable, Sendable {
        /// The call took a slot.
        case acquired
        /// The Call-ID already held one; nothing changed.
        case alreadyHeld
        /// The peer holds `limit` calls already.
        case peerLimitReached(limit: Int)
        /// Gatehouse holds `limit` calls already.
        case totalLimitReached(limit: Int)
    }

    public let configuration: Configuration
    /// A held call: the peer it counts against (nil for a call from no known peer, which counts only in the total).
    struct Holder: Sendable {
        var peer: String?
    }

    var holders: [String: Holder] = [:]
    var perPeerCounts: [String: Int] = [:]

    public init(_ configuration: Configuration) throws(AdmissionConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// How many calls are held in all.
    public var total: Int { holders.count }

    /// How many calls `peer` holds.
    public func calls(of peer: String) -> Int { perPeerCounts[peer] ?? 0 }

    /// Whether `callID` holds a slot.
    public func holds(_ callID: String) -> Bool { holders[callID] != nil }

    /// What `acquire` would answer, without changing anything.
    public func check(callID: String, peer: String?) -> Outcome {
        if holders[callID] != nil { return .alreadyHeld }
        if let peer, let limit = configuration.limit(for: peer), calls(of: peer) >= limit {
            return .peerLimitReached(limit: limit)
        }
        if let limit = configuration.total, total >= limit { return .totalLimitReached(limit: limit) }
        return .acquired
    }

    /// Takes a slot for `callID` if the peer's and the total limit allow it. The peer limit is checked first, so a
    /// peer at its own limit is told so even when the total is full too.
    public mutating func acquire(callID: String, peer: String?) -> Outcome {
        let outcome = check(callID: callID, peer: peer)
        guard outcome == .acquired else { return outcome }
        holders[callID] = Holder(peer: peer)
        if let peer { perPeerCounts[peer, default: 0] += 1 }
        return .acquired
    }

    /// Gives back the slot `callID` holds; returns whether it held one. Safe to call any number of times.
    @discardableResult
    public mutating func release(callID: String) -> Bool {
        guard let holder = holders.removeValue(forKey: callID) else { return false }
        if let peer = holder.peer {
            let remaining = (perPeerCounts[peer] ?? 1) - 1
            perPeerCounts[peer] = remaining > 0 ? remaining : nil
        }
        return true
    }
}
