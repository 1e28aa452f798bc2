import SIPMessage

/// One side of a B2BUA call (STYLE rule 12: a *leg*): the identity Gatehouse has on it and, once a tagged response
/// has crossed it, the dialog Gatehouse keeps with the peer there.
///
/// Everything here belongs to one leg: its Call-ID, Gatehouse's tag, Gatehouse's address on the leg's realm (for
/// Via and Contact), the CSeq space (in `dialog`). Nothing of one leg is ever written on the other: that is what
/// topology hiding means at the SIP level.
public struct CallLeg: Sendable {
    /// The Call-ID on this leg: the caller's on the inbound leg, a fresh one on the outbound leg.
    public let callID: String
    /// Gatehouse's tag on this leg: the To tag of every response on the inbound leg (one per call), the From tag
    /// of the outbound INVITE.
    public let localTag: String
    /// Gatehouse's address on this leg's realm: sent-by of its Vias, host and port of its Contact.
    public let endpoint: SIPEndpoint
    /// The dialog with the peer on this leg, once a response with a To tag created it.
    public internal(set) var dialog: Dialog?
    /// The initial INVITE on this leg: the one received (inbound) or the one sent (outbound).
    public internal(set) var initialInvite: SIPMessage
    /// Its CSeq number.
    public internal(set) var initialInviteSequence: UInt32
    /// The outbound INVITE was sent again with a larger session interval after a 422 (`retryOutboundInvite`).
    public internal(set) var hasRetriedSessionInterval = false
    /// Whether a final response to the initial INVITE crossed this leg.
    public internal(set) var isInviteAnswered: Bool
    /// The leg's session timer, once a 2xx to an INVITE or UPDATE settled it (nil when the call has none).
    public internal(set) var sessionTimer: LegSessionTimer?
    /// Gatehouse sent a re-INVITE on this leg and has no final response yet: a re-INVITE from the peer now is
    /// glare (491, RFC 3261 §14.2).
    public internal(set) var hasPendingOutgoingReinvite = false
    /// The peer's re-INVITE on this leg is not answered yet: another one from the peer gets 500 and Retry-After.
    public internal(set) var hasPendingIncomingReinvite = false
    /// The peer listed UPDATE in its Allow (its INVITE or 2xx): Gatehouse refreshes with UPDATE, not re-INVITE.
    public internal(set) var peerAllowsUpdate = false
    /// The last session description Gatehouse sent on this leg, and its Content-Type: a re-INVITE that only
    /// refreshes the session offers it again, unchanged (RFC 4028 §7.4, RFC 3264 §8).
    public internal(set) var lastSessionDescription: (body: ArraySlice<UInt8>, contentType: ArraySlice<UInt8>)?

    init(callID: String, localTag: String, endpoint: SIPEndpoint, initialInvite: SIPMessage, sequence: UInt32) {
        self.callID = callID
        self.localTag = localTag
        self.endpoint = endpoint
        self.dialog = nil
        self.initialInvite = initialInvite
        self.initialInviteSequence = sequence
        self.isInviteAnswered = false
    }

    /// Notes a session description Gatehouse sends on this leg.
    mutating func remember(sessionDescriptionOf message: SIPMessage) {
        guard !message.body.isEmpty, let contentType = message.headers.first(.contentType) else { return }
        lastSessionDescription = (message.body, contentType)
    }

    /// Gatehouse's Contact on this leg: `<sip:host:port>`, with `;transport=` for TCP and TLS.
    public var contact: NameAddress { Self.contact(on: endpoint) }

    /// A Via for a request Gatehouse sends on this leg: its own address and the given branch, nothing else.
    public func via(branch: String) -> Via { Self.via(on: endpoint, branch: branch) }

    /// Gatehouse's Contact on a leg from `endpoint`.
    public static func contact(on endpoint: SIPEndpoint) -> NameAddress {
        var uri = SIPURI(host: endpoint.uriHost, port: UInt16(clamping: endpoint.port))
        if endpoint.transport != .udp { uri.transport = endpoint.transport.rawValue }
        return NameAddress(uri: .sip(uri))
    }

    /// A Via for a request Gatehouse sends from `endpoint`.
    public static func via(on endpoint: SIPEndpoint, branch: String) -> Via {
        Via(
            transport: endpoint.transport.viaToken, host: endpoint.uriHost, port: UInt16(clamping: endpoint.port),
            branch: branch)
    }
}

/// The two legs of a call through Gatehouse and the mapping between them (a B2BUA, RFC 3261 §6 "back-to-back user
/// agent"): the inbound leg, where Gatehouse is the UAS of the caller's INVITE, and the outbound leg, where it is
/// the UAC of a new INVITE.
///
/// Created by `makeOutgoingInvite(from:target:ingress:egress:passList:generator:)`; then every message of the
/// call goes through one of the `mutating` mapping functions, which keep both legs' dialogs and return the message
/// for the other leg. Pure: identifiers come from the injected generator, addresses from parameters, and nothing
/// is sent. The header policy (`passList`) is fixed when the call starts.
///
/// Forking on the outbound leg: responses carrying different To tags all map to the one inbound tag, and the
/// outbound dialog follows the first tag until a 2xx picks one. A later 2xx from another fork is not relayed:
/// `releaseFork` acknowledges it and hangs that fork up.
public struct CallLegs: Sendable {
    public enum Side: Sendable, Hashable {
        /// The caller's leg: Gatehouse is UAS of the initial INVITE.
        case inbound
        /// The callee's leg: Gatehouse is UAC of the initial INVITE.
        case outbound

        public var other: Side {
            switch self {
            case .inbound: .outbound
            case .outbound: .inbound
            }
        }
    }

    /// The result of mapping a request that arrived on one leg (STYLE rule 5).
    public enum RequestOutcome: Sendable {
        /// Send this request on the other leg.
        case forward(SIPMessage)
        /// Answer the request on its own leg with `error.status` (and nothing goes to the other leg).
        case respond(B2BUAError)
        /// Send nothing and answer nothing (an ACK that fits no dialog, a CANCEL with nothing to cancel: its own
        /// 200 is the server transaction's business, RFC 3261 §9.2).
        case drop(B2BUAError)
    }

    public internal(set) var inbound: CallLeg
    public internal(set) var outbound: CallLeg
    /// The header policy the call started with.
    public let passList: HeaderPassList
    /// The session-timer policy the call started with; nil: Gatehouse neither asks for nor keeps session timers
    /// (Session-Expires is then dropped at the border like any leg-specific header).
    public let sessionTimers: SessionTimerSettings?
    /// The To tags of outbound forks whose 2xx Gatehouse acknowledged and hung up (`releaseFork`).
    var releasedForkTags: Set<String> = []

    init(inbound: CallLeg, outbound: CallLeg, passList: HeaderPassList, sessionTimers: SessionTimerSettings?) {
        self.inbound = inbound
        self.outbound = outbound
        self.passList = passList
        self.sessionTimers = sessionTimers
    }

    public subscript(side: Side) -> CallLeg {
        get {
            switch side {
            case .inbound: inbound
            case .outbound: outbound
            }
        }
        set {
            switch side {
            case .inbound: inbound = newValue
            case .outbound: outbound = newValue
            }
        }
    }
}

/// Parsing inside the mapping, reported as `B2BUAError(.badHeader)`.
func legParse<T>(_ body: () throws(SIPParseError) -> T) throws(B2BUAError) -> T {
    do {
        return try body()
    } catch {
        throw B2BUAError(parsing: error)
    }
}

extension CallLegs {
    /// Notes `message`'s session description as Gatehouse really sends it on `side`, after the media layer
    /// rewrote it for anchoring: that is what a session refresh offers again there.
    public mutating func rememberSessionDescription(of message: SIPMessage, sentOn side: Side) {
        self[side].remember(sessionDescriptionOf: message)
    }
}
