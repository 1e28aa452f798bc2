import SIPMessage

/// A dialog (RFC 3261 §12) as a value: the peer-to-peer state two user agents keep between a dialog-creating
/// response and the end of the call.
///
/// ```
///                 1xx with To tag            2xx
///   (request) ──────────────────► early ─────────────► confirmed
///        │                          │                    │
///        │ 2xx                      │ 3xx–6xx to the     │ BYE, or 481/408 to an
///        └──────────────────────────┼──► confirmed       │ in-dialog request
///                                   ▼                    ▼
///                               terminated ◄─────────────┘
/// ```
///
/// A dialog is created from the request and the response that establishes it, as UAS (`init(uas:response:)`,
/// §12.1.1) or as UAC (`init(uac:response:)`, §12.1.2). It then changes only through its events:
/// `receiveRequest(_:)` (§12.2.2), `willSendResponse(_:to:)` (the UAS side of a target refresh, RFC 3261 §12.2.2,
/// RFC 3311 §5.2), `receiveResponse(_:)` (§12.2.1.2) and `makeRequest(_:via:…)` (§12.2.1.1). Nothing here sends,
/// waits or reads a clock: the caller performs what the returned values say.
public struct Dialog: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        /// Created by a provisional response; ends with the final response to the INVITE (§12.1).
        case early
        /// Established by a 2xx.
        case confirmed
        /// Ended by BYE, by a non-2xx final response to the INVITE of an early dialog, or by 481/408.
        case terminated
    }

    /// Which end this value models, so that tests and logs can tell; the events are the same for both.
    public enum Role: Sendable, Hashable {
        case uac
        case uas
    }

    public private(set) var id: DialogID
    public private(set) var state: State
    public let role: Role
    /// The local sequence number: the CSeq of the last request this end sent; nil until it sends one (a UAS).
    public private(set) var localSequence: UInt32?
    /// The remote sequence number: the CSeq of the last request received; nil until one arrives (a UAC).
    public private(set) var remoteSequence: UInt32?
    /// The CSeq number of the last INVITE this end sent; its ACK and CANCEL reuse it (§13.2.2.4, §9.1).
    public private(set) var localInviteSequence: UInt32?
    /// The CSeq number of the last INVITE this end received (a PRACK's RAck names it, RFC 3262 §7.2).
    public private(set) var remoteInviteSequence: UInt32?
    /// The local URI with its display name, without tag: From of the UAC's requests, To at the UAS.
    public let localAddress: NameAddress
    /// The remote URI with its display name, without tag.
    public let remoteAddress: NameAddress
    /// Where requests in the dialog go: the peer's Contact, refreshed by re-INVITE and UPDATE.
    public private(set) var remoteTarget: URI
    /// The route set, in the order requests carry it in Route (§12.1.1, §12.1.2).
    public private(set) var routeSet: [NameAddress]
    /// Whether the dialog was created over TLS with a SIPS Request-URI (§12.1.1).
    public let isSecure: Bool
    /// The Contact this end puts in its target-refresh requests.
    public var localContact: NameAddress

    /// The local URI (§12.1.1).
    public var localURI: URI { localAddress.uri }
    /// The remote URI (§12.1.1).
    public var remoteURI: URI { remoteAddress.uri }

    /// The dialog a UAS creates when it sends `response` (101–299, with its To tag and Contact) to `request`
    /// (RFC 3261 §12.1.1): route set = the request's Record-Route in order, remote target = the request's Contact,
    /// remote sequence = the request's CSeq, local sequence empty.
    ///
    /// - Parameter overTLS: whether the request arrived over TLS; with a SIPS Request-URI the dialog is secure.
    public init(uas request: SIPMessage, response: SIPMessage, overTLS: Bool = false) throws(DialogError) {
        let parts = try DialogParts(request: request, response: response)
        guard let localTag = parts.responseTo.tag, !localTag.isEmpty else {
            throw DialogError(.missingTag, status: .serverInternalError, "the response's To has no tag")
        }
        guard let target = try dialogParse({ () throws(SIPParseError) in try Self.contactURI(of: request) }) else {
            throw DialogError(.missingContact, status: .badRequest, "the request has no Contact")
        }
        guard let contact = try dialogParse({ () throws(SIPParseError) in try Self.contactAddress(of: response) })
        else {
            throw DialogError(.missingContact, status: .serverInternalError, "the response has no Contact")
        }
        self.remoteTarget = target
        self.localContact = contact
        self.routeSet = try dialogParse { () throws(SIPParseError) in try request.recordRoutes }
        self.id = DialogID(callID: parts.callID, localTag: localTag, remoteTag: parts.requestFrom.tag ?? "")
        self.role = .uas
        self.state = parts.isFinal ? .confirmed : .early
        self.localSequence = nil
        self.remoteSequence = parts.cseq.sequence
        self.localInviteSequence = nil
        self.remoteInviteSequence = parts.cseq.method == .invite ? parts.cseq.sequence : nil
        self.localAddress = Self.withoutTag(parts.requestTo)
        self.remoteAddress = Self.withoutTag(parts.requestFrom)
        self.isSecure = overTLS && parts.requestURIIsSIPS
    }

    /// The dialog a UAC creates when `response` (101–299) to its `request` arrives (RFC 3261 §12.1.2): route set =
    /// the response's Record-Route in reverse order, remote target = the response's Contact, local sequence = the
    /// request's CSeq, remote sequence empty. A 1xx must carry a To tag; a 2xx without one (RFC 2543) makes the
    /// remote tag empty.
    ///
    /// - Parameter overTLS: whether the request was sent over TLS; with a SIPS Request-URI the dialog is secure.
    public init(uac request: SIPMessage, response: SIPMessage, overTLS: Bool = false) throws(DialogError) {
        let parts = try DialogParts(request: request, response: response)
        let remoteTag = parts.responseTo.tag ?? ""
        guard !remoteTag.isEmpty || parts.isFinal else {
            throw DialogError(.notDialogCreating, status: .serverInternalError, "a 1xx without To tag")
        }
        guard let localTag = parts.requestFrom.tag, !localTag.isEmpty else {
            throw DialogError(.missingTag, status: .serverInternalError, "the request's From has no tag")
        }
        guard let target = try dialogParse({ () throws(SIPParseError) in try Self.contactURI(of: response) }) else {
            throw DialogError(.missingContact, status: .badRequest, "the response has no Contact")
        }
        self.remoteTarget = target
        self.localContact =
            try dialogParse { () throws(SIPParseError) in try Self.contactAddress(of: request) }
            ?? NameAddress(uri: parts.requestFrom.uri)
        self.routeSet = try dialogParse { () throws(SIPParseError) in try response.recordRoutes.reversed() }
        self.id = DialogID(callID: parts.callID, localTag: localTag, remoteTag: remoteTag)
        self.role = .uac
        self.state = parts.isFinal ? .confirmed : .early
        self.localSequence = parts.cseq.sequence
        self.remoteSequence = nil
        self.localInviteSequence = parts.cseq.method == .invite ? parts.cseq.sequence : nil
        self.remoteInviteSequence = nil
        self.localAddress = Self.withoutTag(parts.requestFrom)
        self.remoteAddress = Self.withoutTag(parts.requestTo)
        self.isSecure = overTLS && parts.requestURIIsSIPS
    }

    // MARK: Helpers shared by the events

    mutating func setState(_ newState: State) { state = newState }
    mutating func setRemoteTarget(_ target: URI) { remoteTarget = target }
    mutating func setRouteSet(_ routes: [NameAddress]) { routeSet = routes }
    mutating func setRemoteSequence(_ sequence: UInt32, isInvite: Bool) {
        remoteSequence = sequence
        if isInvite { remoteInviteSequence = sequence }
    }
    mutating func setLocalSequence(_ sequence: UInt32, isInvite: Bool) {
        localSequence = sequence
        if isInvite { localInviteSequence = sequence }
    }

    static func withoutTag(_ address: NameAddress) -> NameAddress {
        var copy = address
        copy.tag = nil
        return copy
    }

    /// The URI of the first Contact, or nil when there is none (a `*` counts as none).
    static func contactURI(of message: SIPMessage) throws(SIPParseError) -> URI? {
        try contactAddress(of: message)?.uri
    }

    static func contactAddress(of message: SIPMessage) throws(SIPParseError) -> NameAddress? {
        try message.headers.first(.contact, as: ContactValue.self)?.nameAddress
    }
}

/// The parts of a request and its response that both creation paths read, parsed and checked once.
private struct DialogParts {
    var callID: String
    var cseq: CSeq
    var requestFrom: NameAddress
    var requestTo: NameAddress
    var responseTo: NameAddress
    var requestURIIsSIPS: Bool
    var isFinal: Bool

    init(request: SIPMessage, response: SIPMessage) throws(DialogError) {
        guard let requestLine = request.requestLine, let code = response.statusCode else {
            throw DialogError(.notDialogCreating, status: .serverInternalError, "need a request and a response")
        }
        guard (101...299).contains(code) else {
            throw DialogError(.notDialogCreating, status: .serverInternalError, "status \(code) creates no dialog")
        }
        callID = try dialogParse { () throws(SIPParseError) in try request.callID.value }
        cseq = try dialogParse { () throws(SIPParseError) in try request.cseq }
        requestFrom = try dialogParse { () throws(SIPParseError) in try request.from }
        requestTo = try dialogParse { () throws(SIPParseError) in try request.to }
        responseTo = try dialogParse { () throws(SIPParseError) in try response.to }
        guard try dialogParse({ () throws(SIPParseError) in try response.callID.value }) == callID else {
            throw DialogError(.mismatchedDialog, status: .badRequest, "the response has another Call-ID")
        }
        let uri = try? URI(parsing: requestLine.uri[...])
        requestURIIsSIPS = uri?.sipURI?.isSecure ?? false
        isFinal = code >= 200
    }
}

/// Runs a parse and reports its failure as a dialog error (`.badHeader`, with the parse code in the detail).
func dialogParse<T>(_ body: () throws(SIPParseError) -> T) throws(DialogError) -> T {
    do {
        return try body()
    } catch {
        throw DialogError(parsing: error)
    }
}
