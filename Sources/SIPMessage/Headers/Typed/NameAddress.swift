/// An address with an optional display name and header parameters: the value of From, To, Contact, Route,
/// Record-Route, Path, Service-Route, P-Asserted-Identity, P-Preferred-Identity, P-Associated-URI, Reply-To and
/// Refer-To (RFC 3261 §20.10, §20.20, §20.39, §25.1; RFC 3327; RFC 3608; RFC 3325; RFC 3455; RFC 3515).
///
/// ```
/// from-spec    = ( name-addr / addr-spec ) *( SEMI from-param )
/// name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
/// display-name = *(token LWS) / quoted-string
/// ```
///
/// RFC 3261 §20.10: with a bare addr-spec (`To: sip:user@example.com;tag=1`), the parameters after the URI belong
/// to the header, not to the URI, and a URI holding `,`, `;` or `?` must be written in angle brackets. The URI text
/// is kept as written while `uri` is not changed, so an untouched value serializes byte for byte; it is always
/// written in angle brackets, and a display name always quoted.
///
/// Errors: `.badNameAddress` (400); `.badContact` when read through `ContactValue`; the URI's own codes
/// (`.malformedURI`, `.badURIHost`, …) for a bad URI.
public struct NameAddress: SIPHeaderValue, Hashable, CustomStringConvertible {
    /// The display name without quotes and escapes; nil when there is none, empty for `""`.
    public var displayName: String?
    public var uri: URI {
        didSet { uriSpelling = nil }
    }
    /// The URI exactly as it was parsed, written back while `uri` is unchanged: a slice of the parsed bytes, not a
    /// copy (one allocation less per From, To and Contact read; it keeps the message's bytes alive as long as it lives).
    private var uriSpelling: ArraySlice<UInt8>?
    /// Header parameters (`tag`, `expires`, `q`, `lr` is a URI parameter and not here, …).
    public var parameters: HeaderParameters

    public init(displayName: String? = nil, uri: URI, parameters: HeaderParameters = []) {
        self.displayName = displayName
        self.uri = uri
        self.uriSpelling = nil
        self.parameters = parameters
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        try self.init(parsing: value, requireAngleBrackets: false, code: .badNameAddress, header: "name-addr")
    }

    /// Parses a name-addr or addr-spec; `requireAngleBrackets` refuses a bare addr-spec, as the grammars of
    /// Route, Record-Route, Path and Service-Route do (`route-param = name-addr *( SEMI rr-param )`).
    init(
        parsing value: ArraySlice<UInt8>, requireAngleBrackets: Bool, code: SIPParseError.Code, header: String
    ) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: code, header: header)
        scanner.skipWhitespace()
        guard let first = scanner.peek else { throw scanner.error("the value is empty") }
        let uriBytes: ArraySlice<UInt8>
        if first == ASCII.quote {
            displayName = try scanner.quotedString()
            scanner.skipWhitespace()
            try scanner.expect(ASCII.lessThan, "'<' after the display name")
            uriBytes = try Self.scanAngleBracketed(&scanner)
        } else if scanner.consume(ASCII.lessThan) {
            displayName = nil
            uriBytes = try Self.scanAngleBracketed(&scanner)
        } else {
            var lookahead = scanner
            let words = lookahead.scan { ASCII.isTokenChar($0) || ASCII.isWhitespace($0) || $0 >= 0x80 }
            if lookahead.consume(ASCII.lessThan) {
                scanner = lookahead
                displayName = Self.normalizedTokenDisplayName(words)
                uriBytes = try Self.scanAngleBracketed(&scanner)
            } else {
                let rest = lookahead.remaining
                if let angle = rest.firstIndex(of: ASCII.lessThan), !rest[..<angle].contains(ASCII.semicolon) {
                    throw scanner.error("the display name must be tokens or a quoted string")
                }
                guard !requireAngleBrackets else { throw scanner.error("the URI must be enclosed in '<' and '>'") }
                displayName = nil
                uriBytes = scanner.scan { $0 != ASCII.semicolon && !ASCII.isWhitespace($0) }
                if uriBytes.contains(ASCII.comma) || uriBytes.contains(UInt8(ascii: "?")) {
                    throw scanner.error("a URI with ',' or '?' must be enclosed in '<' and '>'")
                }
            }
        }
        uri = try URI(parsing: uriBytes)
        uriSpelling = uriBytes
        parameters = HeaderParameters()
        try scanner.parameters(into: &parameters)
    }

    /// The URI between `<` and `>`, after the `<`.
    private static func scanAngleBracketed(_ scanner: inout HeaderScanner) throws(SIPParseError) -> ArraySlice<UInt8> {
        let uriBytes = scanner.scan { $0 != ASCII.greaterThan && $0 != ASCII.lessThan }
        try scanner.expect(ASCII.greaterThan, "'>' closing the URI")
        return uriBytes
    }

    /// `*(token LWS)`: the words joined by single spaces.
    private static func normalizedTokenDisplayName(_ bytes: ArraySlice<UInt8>) -> String? {
        let words = bytes.split(whereSeparator: ASCII.isWhitespace)
        guard !words.isEmpty else { return nil }
        return words.map { String(sipBytes: $0) }.joined(separator: " ")
    }

    /// The URI as it will be written: as parsed while unchanged, otherwise in canonical form.
    public var uriText: String {
        uriSpelling.map { String(sipBytes: $0) } ?? String(sipBytes: HeaderWriting.bytes { uri.serialize(into: &$0) })
    }

    public func serialize(into buffer: inout [UInt8]) {
        if let displayName {
            HeaderWriting.appendQuoted(displayName, into: &buffer)
            buffer.append(ASCII.space)
        }
        buffer.append(ASCII.lessThan)
        if let uriSpelling { buffer.append(contentsOf: uriSpelling) } else { uri.serialize(into: &buffer) }
        buffer.append(ASCII.greaterThan)
        parameters.serialize(into: &buffer)
    }

    public var description: String { serializedString }

    /// Equal when display name, URI and parameters are; how the URI was spelled does not matter.
    public static func == (lhs: NameAddress, rhs: NameAddress) -> Bool {
        lhs.displayName == rhs.displayName && lhs.uri == rhs.uri && lhs.parameters == rhs.parameters
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(displayName)
        hasher.combine(uri)
        hasher.combine(parameters)
    }
}

extension NameAddress {
    /// The dialog tag of From and To (RFC 3261 §19.3).
    public var tag: String? {
        get { parameters.value("tag") }
        set {
            if let newValue { parameters.set("tag", newValue) } else { parameters.remove("tag") }
        }
    }

    /// A Contact's `expires` in seconds (RFC 3261 §20.10, §10.2.1.1); nil when absent or not a number from 0 to
    /// 2**32 − 1.
    public var expires: UInt32? {
        get {
            parameters.value("expires").flatMap { Array($0.utf8)[...].parseDecimal(maximum: Int(UInt32.max)) }
                .map { UInt32($0) }
        }
        set {
            if let newValue { parameters.set("expires", String(newValue)) } else { parameters.remove("expires") }
        }
    }

    /// A Contact's preference `q` (RFC 3261 §20.10); nil when absent or malformed.
    public var q: QValue? {
        get { parameters.value("q").flatMap { QValue(parsing: $0) } }
        set {
            if let newValue { parameters.set("q", newValue.description) } else { parameters.remove("q") }
        }
    }

    /// The SIP or SIPS URI, if the URI is one.
    public var sipURI: SIPURI? { uri.sipURI }
}
