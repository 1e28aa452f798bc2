import GatehousePolicy

/// One rate limit: which messages it counts, whose budget they come out of, how fast that budget refills, and what
/// happens to a message over it.
///
/// `scope` says which bucket a message charges: one per source address, one per peer (or only for a named peer), one
/// per realm (or only a named realm), or a single global one. A rule for a named peer replaces the `.eachPeer` rule
/// with the same filter for that peer (and a named realm likewise), so a policy can say "10 INVITEs per second per
/// peer, 50 for carrier-b".
public struct RateLimitRule: Hashable, Sendable {
    /// Whose budget a message comes out of.
    public enum Scope: Hashable, Sendable, CustomStringConvertible {
        /// A bucket per source IP address (bounded by `RateLimiter.Configuration.sourceCapacity`).
        case eachIPAddress
        /// A bucket per identified peer; messages from no known peer are not counted.
        case eachPeer
        /// A bucket for this peer only.
        case peer(String)
        /// A bucket per realm.
        case eachRealm
        /// A bucket for this realm only.
        case realm(String)
        /// One bucket for everything.
        case global

        /// Where this scope ranks in the order of checks: the most specific first.
        var kind: AdmissionScope {
            switch self {
            case .eachIPAddress: .sourceAddress
            case .eachPeer, .peer: .peer
            case .eachRealm, .realm: .realm
            case .global: .global
            }
        }

        public var description: String {
            switch self {
            case .eachIPAddress: "each source address"
            case .eachPeer: "each peer"
            case .peer(let name): "peer \(name)"
            case .eachRealm: "each realm"
            case .realm(let name): "realm \(name)"
            case .global: "global"
            }
        }
    }

    /// A name for logs and explanations (the policy's key for the limit).
    public var id: String
    public var scope: Scope
    public var counted: MessageFilter
    public var rate: TokenRate
    /// The most messages that may arrive back to back after an idle spell.
    public var burst: Int64
    public var action: ExcessAction
    /// Whether exceeding the limit counts against the source in the offender tracker. Defaults to true for
    /// source-address limits only: a legitimate sender behind a busy peer or realm limit is not at fault.
    public var countsAsOffense: Bool

    public init(
        id: String, scope: Scope, counted: MessageFilter, rate: TokenRate, burst: Int64,
        action: ExcessAction = .reject503(retryAfter: .computed), countsAsOffense: Bool? = nil
    ) {
        self.id = id
        self.scope = scope
        self.counted = counted
        self.rate = rate
        self.burst = burst
        self.action = action
        self.countsAsOffense = countsAsOffense ?? (scope == .eachIPAddress)
    }
}
