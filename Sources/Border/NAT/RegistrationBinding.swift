import SIPMessage

/// One Contact of a registered user agent, as Gatehouse relays it: the registrar knows it only as
/// `sip:TOKEN@<Gatehouse's address>`, and a request to that URI reaches the UA through `flow`.
public struct RegistrationBinding: Sendable, Hashable {
    /// The user part of the Contact Gatehouse registers in the UA's place; random, unique in the table.
    public let token: String
    /// The registration (UA, flow and Call-ID) the binding belongs to.
    public let registration: RegistrationKey
    /// The Contact URI the UA registered, which is the Request-URI it expects.
    public let contact: URI
    /// The registered address-of-record (the REGISTER's To URI).
    public let addressOfRecord: String
    public let flow: RegistrationFlow
    /// The realm the UA registered through, whose `nat` settings apply.
    public let realm: String
    /// What the latest REGISTER showed about NAT.
    public internal(set) var nat: NATDetection
    /// When the registrar's grant runs out, on the table's clock; nil until a 2xx confirmed the binding.
    public internal(set) var expiresAt: Duration?
    /// When the binding was created or last refreshed by the UA (for unconfirmed bindings' lifetime).
    public internal(set) var refreshedAt: Duration
    /// When the UA was last pinged, or confirmed: the next keepalive is due one interval later.
    public internal(set) var lastKeepalive: Duration
    /// OPTIONS pings sent that got no answer, in a row.
    public internal(set) var unansweredKeepalives: Int = 0

    public var isConfirmed: Bool { expiresAt != nil }
}

/// A registration as the UA runs it: one Call-ID from one flow (RFC 3261 §10.2.4: a UA keeps its Call-ID for
/// refreshes).
public struct RegistrationKey: Sendable, Hashable {
    public let callID: String
    public let flow: RegistrationFlow

    public init(callID: String, flow: RegistrationFlow) {
        self.callID = callID
        self.flow = flow
    }
}

/// What the registrar sees of a registration: Gatehouse's own Call-ID, From tag and To tag for it, fixed for its
/// lifetime so that refreshes look like refreshes (RFC 3261 §10.2.4) and nothing of the UA's identifiers crosses.
public struct RelayedRegistration: Sendable, Hashable {
    public let key: RegistrationKey
    public let addressOfRecord: String
    public let realm: String
    /// The Call-ID toward the registrar.
    public let outboundCallID: String
    /// Gatehouse's From tag toward the registrar.
    public let outboundFromTag: String
    /// The To tag of every response toward the UA (a registrar's own tag would be its identifier).
    public let inboundToTag: String
    /// The tokens of its bindings.
    public internal(set) var tokens: Set<String> = []
}
