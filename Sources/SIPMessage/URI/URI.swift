/// Any URI found in a Request-URI or a name-addr / addr-spec (RFC 3261 §19.1, §25.1 `Request-URI`, `addr-spec`).
///
/// SIP, SIPS and tel URIs are parsed into their models. Any other absolute URI (`mailto:`, `urn:`, `im:`, …) is kept
/// verbatim in `.other`; it is valid syntax, and a proxy that must route it answers 416 Unsupported URI Scheme
/// itself (RFC 3261 §8.2.2.1).
public enum URI: Hashable, Sendable, CustomStringConvertible {
    /// A `sip:` or `sips:` URI.
    case sip(SIPURI)
    /// A `tel:` URI.
    case tel(TelURI)
    /// An absolute URI of another scheme, as written: `scheme` without the colon, `value` after it.
    case other(scheme: String, value: String)

    /// Parses a URI.
    ///
    /// - Throws: `.malformedURI` (no scheme, a space or control character, a byte no URI allows), `.badEscape`,
    ///   and the codes of `SIPURI(parsing:)` and `TelURI(parsing:)`.
    public init(parsing text: String) throws(SIPParseError) {
        try self.init(parsing: Array(text.utf8)[...])
    }

    /// Parses a URI from exactly these bytes (no angle brackets, no surrounding whitespace).
    ///
    /// - Throws: see `init(parsing:)`.
    public init(parsing bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        let (scheme, rest) = try URISyntax.splitScheme(bytes)
        if URISyntax.equalsIgnoringCase(scheme, "sip".utf8) {
            self = .sip(try SIPURI(isSecure: false, afterScheme: rest))
        } else if URISyntax.equalsIgnoringCase(scheme, "sips".utf8) {
            self = .sip(try SIPURI(isSecure: true, afterScheme: rest))
        } else if URISyntax.equalsIgnoringCase(scheme, "tel".utf8) {
            self = .tel(try TelURI(parsingSubscriber: rest))
        } else {
            guard !rest.isEmpty else {
                throw SIPParseError(.malformedURI, "nothing follows the scheme")
            }
            if let bad = rest.firstIndex(where: { !URIByteSet.of($0).contains(.opaque) && $0 != URISyntax.percent }) {
                throw SIPParseError(.malformedURI, "\(URISyntax.quoted(rest[bad])) is not allowed in a URI")
            }
            try URISyntax.checkEscapes(rest, component: "URI")
            self = .other(scheme: String(decoding: scheme, as: UTF8.self), value: String(decoding: rest, as: UTF8.self))
        }
    }

    /// The scheme: `sip`, `sips` or `tel` in lower case, other schemes as written.
    public var scheme: String {
        switch self {
        case .sip(let uri): uri.scheme
        case .tel: "tel"
        case .other(let scheme, _): scheme
        }
    }

    /// The SIP or SIPS URI, if this is one.
    public var sipURI: SIPURI? {
        if case .sip(let uri) = self { uri } else { nil }
    }

    /// The tel URI, if this is one.
    public var telURI: TelURI? {
        if case .tel(let uri) = self { uri } else { nil }
    }

    /// Appends the URI in wire form.
    public func serialize(into buffer: inout [UInt8]) {
        switch self {
        case .sip(let uri): uri.serialize(into: &buffer)
        case .tel(let uri): uri.serialize(into: &buffer)
        case .other(let scheme, let value):
            URISyntax.append(scheme, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            URISyntax.append(value, to: &buffer)
        }
    }

    /// The URI in wire form.
    public var description: String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        serialize(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// RFC 3261 §19.1.4 for SIP and SIPS URIs, RFC 3966 §4 for tel URIs; other URIs are equivalent when the schemes
    /// match without regard to case and the rest is identical. URIs of different schemes never are.
    public func isEquivalent(to other: URI) -> Bool {
        switch (self, other) {
        case (.sip(let a), .sip(let b)): a.isEquivalent(to: b)
        case (.tel(let a), .tel(let b)): a.isEquivalent(to: b)
        case (.other(let schemeA, let valueA), .other(let schemeB, let valueB)):
            URISyntax.equalsIgnoringCase(schemeA, schemeB) && valueA.utf8.elementsEqual(valueB.utf8)
        case (.sip, _), (.tel, _), (.other, _): false
        }
    }
}
