/// Typed access to the headers every element reads. Each property parses on access (nothing is cached: read a
/// value once and keep it), and throws the header's parse error.
///
/// The headers RFC 3261 §8.1.1 requires in every request (Via, From, To, Call-ID, CSeq) throw `.missingHeader`
/// (400) when absent; the single-valued ones throw `.duplicateHeader` (400) when given twice (as RFC 4475's
/// mult-values test does), rather than guess which one the sender meant.
extension SIPMessage {
    public var from: NameAddress {
        get throws(SIPParseError) { try required(.from) }
    }

    public var to: NameAddress {
        get throws(SIPParseError) { try required(.to) }
    }

    /// Whether To carries a tag, as `(try? to.tag) != nil` answers it: what tells a request inside a dialog from one
    /// that starts something, asked several times of every request on its way through the node.
    ///
    /// A To whose bytes do not hold the letters `tag` (in any case) cannot carry one, which answers nearly every
    /// initial request without parsing the value; any other To is parsed.
    public var hasToTag: Bool {
        // No To, or two (`to` cannot be read): no tag.
        guard case .once(let index) = headers.occurrence(of: .to), Self.mayHoldTag(headers.value(at: index)) else {
            return false
        }
        return ((try? to.tag) ?? nil) != nil
    }

    /// Whether `t`, `a`, `g` (ASCII case ignored) follow each other somewhere in `bytes`.
    static func mayHoldTag(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index + 2 < bytes.endIndex {
            if ASCII.lowercased(bytes[index]) == UInt8(ascii: "t"),
                ASCII.lowercased(bytes[index + 1]) == UInt8(ascii: "a"),
                ASCII.lowercased(bytes[index + 2]) == UInt8(ascii: "g")
            {
                return true
            }
            index += 1
        }
        return false
    }

    public var callID: CallID {
        get throws(SIPParseError) { try required(.callID) }
    }

    public var cseq: CSeq {
        get throws(SIPParseError) { try required(.cseq) }
    }

    /// Every Via value, topmost first (RFC 3261 §8.1.1.7, §20.42); at least one.
    public var vias: [Via] {
        get throws(SIPParseError) {
            let vias = try headers.all(.via, as: Via.self)
            guard !vias.isEmpty else { throw SIPParseError(.missingHeader, "the message has no Via") }
            return vias
        }
    }

    /// The topmost Via: the one a server answers to (RFC 3261 §18.2.2). Only the first Via field is parsed.
    public var topVia: Via {
        get throws(SIPParseError) {
            guard let via = try headers.first(.via, as: Via.self) else {
                throw SIPParseError(.missingHeader, "the message has no Via")
            }
            return via
        }
    }

    /// Max-Forwards, or nil when absent (an RFC 2543 element may omit it; RFC 3261 §16.6 step 3).
    public var maxForwards: MaxForwards? {
        get throws(SIPParseError) { try optional(.maxForwards) }
    }

    /// Every Contact value, `*` included (RFC 3261 §20.10).
    public var contacts: [ContactValue] {
        get throws(SIPParseError) { try headers.all(.contact, as: ContactValue.self) }
    }

    /// The Route set, in order (RFC 3261 §20.34); each must be a name-addr in angle brackets.
    public var routes: [NameAddress] {
        get throws(SIPParseError) { try routeSet(.route) }
    }

    /// The Record-Route values, in order (RFC 3261 §20.30); each must be a name-addr in angle brackets.
    public var recordRoutes: [NameAddress] {
        get throws(SIPParseError) { try routeSet(.recordRoute) }
    }

    /// The Path values, in order (RFC 3327 §4); each must be a name-addr in angle brackets.
    public var paths: [NameAddress] {
        get throws(SIPParseError) { try routeSet(.path) }
    }

    /// The Service-Route values, in order (RFC 3608 §5); each must be a name-addr in angle brackets.
    public var serviceRoutes: [NameAddress] {
        get throws(SIPParseError) { try routeSet(.serviceRoute) }
    }

    /// Content-Type, or nil when absent.
    public var contentType: ContentType? {
        get throws(SIPParseError) { try optional(.contentType) }
    }

    /// The Expires header, or nil when absent.
    public var expires: Expires? {
        get throws(SIPParseError) { try optional(.expires) }
    }

    /// The one value of a header that must be present exactly once.
    private func required<V: SIPHeaderValue>(_ name: HeaderName) throws(SIPParseError) -> V {
        guard let value: V = try optional(name) else {
            throw SIPParseError(.missingHeader, "the message has no \(name.canonical)")
        }
        return value
    }

    /// The value of a single-valued header, or nil when absent.
    private func optional<V: SIPHeaderValue>(_ name: HeaderName) throws(SIPParseError) -> V? {
        switch headers.occurrence(of: name) {
        case .absent: return nil
        case .once(let index): return try V(parsing: headers.value(at: index))
        case .repeated: throw SIPParseError(.duplicateHeader, "\(name.canonical) appears more than once")
        }
    }

    /// Route, Record-Route, Path or Service-Route: `name-addr *( SEMI rr-param )`, never a bare addr-spec.
    private func routeSet(_ name: HeaderName) throws(SIPParseError) -> [NameAddress] {
        var result: [NameAddress] = []
        for value in try headers.values(name) {
            result.append(
                try NameAddress(
                    parsing: value, requireAngleBrackets: true, code: .badNameAddress, header: name.canonical))
        }
        return result
    }
}
