/// Who a leg of the session belongs to, as rules match it: the realm it is on, the peer at its far end, and its
/// party's identity (the number or URI after normalization) for the subscriber class.
public struct PolicyControlContext: Sendable, Hashable {
    public var realm: String
    /// nil: an address no peer owns (a handset, a UE).
    public var peer: String?
    /// The leg's party: `+15550100001`, `sip:alice@ims.gatehouse.test`; nil when unknown.
    public var party: String?

    public init(realm: String, peer: String?, party: String?) {
        self.realm = realm
        self.peer = peer
        self.party = party
    }
}
