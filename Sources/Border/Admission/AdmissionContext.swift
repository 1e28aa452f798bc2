import GatehousePolicy
import SIPMessage

/// What admission control needs to know about one message: who sent it, where it arrived, what it is, and when.
///
/// The pipeline fills it in after sanity checks and peer identification; nothing here is parsed again.
public struct AdmissionContext: Hashable, Sendable {
    /// The IP address the message came from.
    public var source: IPAddress
    /// The realm (listening side) it arrived on.
    public var realm: String
    /// The peer it was identified as coming from, if any.
    public var peer: String?
    /// The request's method, or the response's CSeq method.
    public var method: SIPMethod
    /// A request outside any dialog (no To tag): what starts a call, a registration or a subscription.
    public var isInitialRequest: Bool
    /// A response rather than a request: it can be dropped but never answered.
    public var isResponse: Bool
    /// The Call-ID, which holds a call slot while an admitted call lasts: read for an initial INVITE only (the
    /// ingress stages leave it empty for other messages rather than copy it out of every one).
    public var callID: String
    public var now: AdmissionInstant

    public init(
        source: IPAddress, realm: String, peer: String? = nil, method: SIPMethod, isInitialRequest: Bool,
        isResponse: Bool = false, callID: String, now: AdmissionInstant
    ) {
        self.source = source
        self.realm = realm
        self.peer = peer
        self.method = method
        self.isInitialRequest = isInitialRequest && !isResponse
        self.isResponse = isResponse
        self.callID = callID
        self.now = now
    }

    /// An initial INVITE: what starts a call, and so what the overload guard and the call limits apply to.
    public var isInitialInvite: Bool { isInitialRequest && method == .invite }

    /// Whether the message may be answered: a request other than ACK (RFC 3261 §17.1.1.3: an ACK gets no response).
    public var isAnswerable: Bool { !isResponse && method != .ack }
}
