import GatehousePolicy
import SIPMessage

/// The border functions of one policy, compiled once when the policy is loaded: numbering per peer, the static
/// ENUM table, and the admission configuration. Immutable and shared; the state that changes per message (token
/// buckets, the blocklist) lives in the `AdmissionControl` its owner passes in.
///
/// The path of a message, top-down (ARCHITECTURE.md): `ingress` (peer → admission → sanity → trust → the peer's inbound rules → numbering) →
/// the route decision (the route table, and `enumRoute` for `to: enum`) → the session layer builds the other leg
/// → `egress` (the next peer's outbound rules and numbering), and `egress` again for every later message toward a
/// peer (its outbound rules without numbering). Live traffic, `gatehouse explain` and replay call the same
/// functions.
public struct BorderPolicy: Sendable {
    public let policy: Policy
    /// Each peer with a `numbering` section, by name.
    public let numbering: [String: PeerNumbering]
    /// The policy's `enum.static` table.
    public let enumTable: StaticENUMTable
    public let admission: AdmissionConfiguration
    /// Well-formedness beyond parsing, loops and scanners, with the node's `sanity` settings.
    public let sanity: SanityCheck
    /// The same checks for each realm and each peer whose `sanity` differs from the node's (`sanityCheck(for:realm:)`).
    let sanityByRealm: [String: SanityCheck]
    let sanityByPeer: [String: SanityCheck]
    /// Each peer's header manipulation; the option tags it keeps are the ones the B2BUA relays or terminates.
    public let normalization = NormalizationStage(supportedOptionTags: ["100rel", "timer"])
    /// Whether some peer has outbound normalization (rules or a fix): when none does, the live path passes the
    /// messages that follow a call's INVITE (and the responses) on without looking up whom they go to.
    public let normalizesOutbound: Bool

    public init(policy: Policy) {
        self.policy = policy
        var numbering: [String: PeerNumbering] = [:]
        for peer in policy.peers {
            if let settings = peer.numbering { numbering[peer.name] = PeerNumbering(settings: settings) }
        }
        self.numbering = numbering
        // The loader checked every pattern and refused repeats, so the table builds; an empty one is the
        // conservative fallback should the two ever disagree.
        self.enumTable = (try? StaticENUMTable(settings: policy.enumSettings)) ?? Self.emptyTable
        self.admission = AdmissionConfiguration(policy: policy)
        let sanity = SanityCheck(policy: policy)
        self.sanity = sanity
        var sanityByRealm: [String: SanityCheck] = [:]
        for realm in policy.realms where realm.sanity != nil {
            sanityByRealm[realm.name] = sanity.with(policy.sanity.overridden(by: realm.sanity))
        }
        var sanityByPeer: [String: SanityCheck] = [:]
        for peer in policy.peers where peer.sanity != nil {
            let realm = policy.realm(named: peer.realm)?.sanity
            sanityByPeer[peer.name] = sanity.with(policy.sanity.overridden(by: realm).overridden(by: peer.sanity))
        }
        self.sanityByRealm = sanityByRealm
        self.sanityByPeer = sanityByPeer
        self.normalizesOutbound = policy.peers.contains {
            !$0.normalization.outbound.isEmpty || $0.normalization.longHeaderNames
        }
    }

    private static let emptyTable = try! StaticENUMTable([])

    /// The sanity checks for a message from `peer` (nil: no known peer) arriving on `realm`: the peer's own
    /// settings, else its realm's, else the node's.
    public func sanityCheck(for peer: Peer?, realm: String) -> SanityCheck {
        if let peer, let check = sanityByPeer[peer.name] { return check }
        return sanityByRealm[realm] ?? sanity
    }

    /// `sanityCheck(for:realm:)`'s checks run on `message`, each in place rather than on a copy returned (every
    /// message comes here, and most policies give no realm or peer settings of their own).
    func checkSanity(
        of message: SIPMessage, from peer: Peer?, realm: String, trace: inout PipelineTrace
    ) throws(IngressRejection) {
        if let peer, let check = sanityByPeer[peer.name] { return try check.check(message, trace: &trace) }
        if let check = sanityByRealm[realm] { return try check.check(message, trace: &trace) }
        try sanity.check(message, trace: &trace)
    }

    /// The name-addr headers whose numbers numbering reads and writes, besides the Request-URI.
    static let numberedHeaders: [(HeaderName, NumberField)] = [
        (.from, .from), (.to, .to), (.pAssertedIdentity, .pAssertedIdentity),
    ]
}

/// Where and when a message arrived: what the ingress stages need besides the message.
public struct IngressArrival: Sendable, Hashable {
    public var source: IPAddress
    public var realm: String
    public var now: AdmissionInstant

    public init(source: IPAddress, realm: String, now: AdmissionInstant) {
        self.source = source
        self.realm = realm
        self.now = now
    }
}
