/// Whole-message checks that the parser leaves out (it only finds structure): RFC 3261 §8.1.1 (the headers every
/// request carries), §8.2.2–§8.2.3 and §16.3 (what a server or proxy checks before acting), §20 (single-valued
/// headers), and the torture cases of RFC 4475 §3.1.2 and §3.3.
///
/// `validate()` parses exactly the headers an element relies on to answer or route (Via, From, To, Call-ID, CSeq,
/// Max-Forwards, Contact, Expires, the Request-URI) and nothing else; each failure is a `SIPParseError` whose
/// `status` is the answer (400 by default, 416, 483, 505…).
extension SIPMessage {
    /// Headers that appear at most once (RFC 3261 §7.3.1: only list headers may repeat).
    static let singleValuedHeaders: [HeaderName] = [
        .callID, .cseq, .from, .to, .maxForwards, .contentLength, .contentType, .expires,
    ]

    /// RFC 3261 §8.1.1's headers of every message, in the order a message missing several is told about them.
    static let requiredHeaders: [HeaderName] = [.callID, .from, .to, .cseq, .via]

    /// The headers `validated(limits:)` parsed on its way, for a caller that goes on to read them (the sanity
    /// stage reads the From tag, the Contacts and the Vias): parsing each once is most of what validation costs.
    public struct ValidatedHeaders: Sendable {
        public var vias: [Via]
        public var from: NameAddress?
        public var to: NameAddress?
        public var cseq: CSeq?
        public var maxForwards: MaxForwards?
        public var contacts: [ContactValue]
        public var expires: Expires?
    }

    public func validate(limits: SIPLimits = SIPLimits()) throws(SIPParseError) {
        _ = try validated(limits: limits)
    }

    /// `validate(limits:)`, returning what it parsed.
    public func validated(limits: SIPLimits = SIPLimits()) throws(SIPParseError) -> ValidatedHeaders {
        // The order decides which one a request missing several is told about (RFC 4475's insuf lacks Call-ID,
        // From and To: "400 Missing Call-ID").
        for name in Self.requiredHeaders where !headers.contains(name) {
            throw SIPParseError(.missingHeader, "Missing \(name.canonical)")
        }
        if let name = headers.firstRepeated(among: Self.singleValuedHeaders) {
            throw SIPParseError(.duplicateHeader, "\(name.canonical) appears more than once")
        }

        // Count before parsing, so that a flood of Vias costs a split, not a parse each.
        let viaValues = try headers.values(.via)
        guard !viaValues.isEmpty else { throw SIPParseError(.missingHeader, "Missing Via") }
        guard viaValues.count <= limits.maxViaCount else {
            throw SIPParseError(
                .tooManyVias, status: .tooManyHops, "more than \(limits.maxViaCount) Via values")
        }
        var vias: [Via] = []
        vias.reserveCapacity(viaValues.count)
        for value in viaValues { vias.append(try Via(parsing: value)) }
        for via in vias where via.protocolVersion != "2.0" || !URISyntax.equalsIgnoringCase(via.protocolName, "SIP") {
            throw SIPParseError(
                .badVersion, status: .versionNotSupported,
                "Via protocol \(via.protocolName)/\(via.protocolVersion) is not supported")
        }
        let from = try headers.first(.from, as: NameAddress.self)
        let to = try headers.first(.to, as: NameAddress.self)
        _ = try headers.first(.callID, as: CallID.self)
        let cseq = try headers.first(.cseq, as: CSeq.self)
        let maxForwards = try headers.first(.maxForwards, as: MaxForwards.self)
        let contacts = try headers.all(.contact, as: ContactValue.self)
        let expires = try headers.first(.expires, as: Expires.self)
        let parsed = ValidatedHeaders(
            vias: vias, from: from, to: to, cseq: cseq, maxForwards: maxForwards, contacts: contacts, expires: expires)

        guard let requestLine else { return parsed }
        if let cseq, cseq.method != requestLine.method {
            throw SIPParseError(
                .cseqMethodMismatch,
                "CSeq method \(cseq.method) does not match the request method \(requestLine.method)")
        }
        try validateRequestURI(requestLine.uri)
        // RFC 3261 §8.1.1.7 / §17.2.3: a branch of just the magic cookie identifies no transaction.
        if let top = vias.first, top.branch == Via.magicCookie {
            throw SIPParseError(.badVia, "the top Via branch is the bare magic cookie")
        }
        return parsed
    }

    /// The Request-URI must be a URI this node can route: a SIP, SIPS or tel URI, or a service URN (RFC 5031 §7:
    /// `urn:service:sos` is how a UE calls emergency services); anything else is answered 416 (RFC 3261
    /// §8.2.2.1). SIP URIs may not carry URI headers (§19.1.1: they are not allowed in a Request-URI).
    func validateRequestURI(_ bytes: [UInt8]) throws(SIPParseError) {
        let uri = try URI(parsing: bytes[...])
        switch uri {
        case .sip(let sipURI):
            if !sipURI.headers.isEmpty {
                throw SIPParseError(.malformedURI, "the Request-URI carries URI headers")
            }
        case .tel:
            break
        case .other(let scheme, let value)
        where scheme.lowercased() == "urn" && value.lowercased().hasPrefix("service:"):
            break
        case .other(let scheme, _):
            throw SIPParseError(
                .unsupportedURIScheme, status: .unsupportedURIScheme, "URI scheme '\(scheme)' is not supported")
        }
    }

    /// The parsed Request-URI of a request.
    public var requestURI: URI? {
        get throws(SIPParseError) {
            guard let requestLine else { return nil }
            return try URI(parsing: requestLine.uri[...])
        }
    }

    /// What a proxy checks before forwarding, on top of `validate()`.
    ///
    /// A request whose Max-Forwards is 0 is not forwarded (RFC 3261 §16.3 step 3): 483. Requests without
    /// Max-Forwards (RFC 2543 elements) are forwarded.
    ///
    /// A response goes to the Via below the top one (§16.7 step 3, §18.2.2): to its `received` address when it has
    /// one, otherwise to its sent-by. When that is the limited broadcast address 255.255.255.255 (RFC 4475's bcast)
    /// the response is not forwarded: `.badVia`, which for a response means it is dropped.
    public func validateForForwarding() throws(SIPParseError) {
        if isRequest {
            if let maxForwards = try headers.first(.maxForwards, as: MaxForwards.self), maxForwards.value == 0 {
                throw SIPParseError(.tooManyHops, status: .tooManyHops, "Max-Forwards is 0")
            }
            return
        }
        let viaValues = try headers.values(.via)
        guard viaValues.count > 1 else { return }
        let next = try Via(parsing: viaValues[1])
        let destination = next.received ?? next.host
        if case .ipv4(let address) = destination, address == Self.limitedBroadcast {
            throw SIPParseError(.badVia, "the response would be forwarded to the broadcast address \(address)")
        }
    }

    /// 255.255.255.255 (RFC 919).
    static let limitedBroadcast = IPv4Address(value: 0xFFFF_FFFF)
}
