// Parsing of SIP and SIPS URIs from exact bytes (RFC 3261 §19.1.1, §25.1).
//
// The parser is a single forward pass over a slice: no recursion, no force-unwraps, every index checked. The order
// of the split follows the grammar: userinfo ends at the first "@" (no other component may hold an unescaped "@"),
// the host at ":", ";", "?" or the end (or at "]" for an IPv6 reference), parameters at "?".

extension SIPURI {
    /// Parses a SIP or SIPS URI.
    ///
    /// - Throws: `.unsupportedURIScheme` (416) for any other scheme; `.malformedURI`, `.badURIUserInfo`,
    ///   `.badURIHost`, `.badURIPort`, `.badURIParameter`, `.badURIHeader`, `.badEscape`, `.nonUTF8Escape`.
    public init(parsing text: String) throws(SIPParseError) {
        try self.init(parsing: Array(text.utf8)[...])
    }

    /// Parses a SIP or SIPS URI from exactly these bytes (no angle brackets, no surrounding whitespace).
    ///
    /// - Throws: see `init(parsing:)`.
    public init(parsing bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        let (scheme, rest) = try URISyntax.splitScheme(bytes)
        let isSecure: Bool
        if URISyntax.equalsIgnoringCase(scheme, "sip".utf8) {
            isSecure = false
        } else if URISyntax.equalsIgnoringCase(scheme, "sips".utf8) {
            isSecure = true
        } else {
            throw SIPParseError(
                .unsupportedURIScheme, status: .unsupportedURIScheme,
                "\(URISyntax.quotedScheme(scheme)) is not a SIP or SIPS URI")
        }
        try self.init(isSecure: isSecure, afterScheme: rest)
    }

    /// Parses what follows `sip:` or `sips:`. The caller has rejected spaces and control characters.
    init(isSecure: Bool, afterScheme bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        let end = bytes.endIndex
        var user: String?
        var password: String?
        var index = bytes.startIndex

        // userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")) {
            let userinfo = bytes[..<at]
            let separator = userinfo.firstIndex(of: UInt8(ascii: ":"))
            let userBytes = userinfo[..<(separator ?? at)]
            guard !userBytes.isEmpty else { throw SIPParseError(.badURIUserInfo, "the user before '@' is empty") }
            user = try URISyntax.unescape(userBytes, allowed: .user, invalid: .badURIUserInfo, component: "user")
            if let separator {
                password = try URISyntax.unescape(
                    userinfo[userinfo.index(after: separator)...], allowed: .password, invalid: .badURIUserInfo,
                    component: "password")
            }
            index = bytes.index(after: at)
        }

        // hostport = host [ ":" port ]
        guard index < end else { throw SIPParseError(.badURIHost, "the URI has no host") }
        let hostEnd: Int
        if bytes[index] == UInt8(ascii: "[") {
            guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "]")) else {
                throw SIPParseError(.badURIHost, "an IPv6 reference lacks its closing ']'")
            }
            hostEnd = bytes.index(after: close)
        } else {
            hostEnd = bytes[index...].firstIndex { Self.endsHost($0) } ?? end
            // RFC 5118 §4.2 (ipv6-bad): `sip:2001:db8::10` is an IPv6 address without its brackets, not a host
            // and a port. Say so, rather than complain about the host or the port alone.
            let hostPort = bytes[index...].prefix { $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "?") }
            if hostPort.lazy.filter({ $0 == UInt8(ascii: ":") }).count > 1,
                hostPort.allSatisfy({
                    URISyntax.hexValue($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".")
                })
            {
                throw SIPParseError(.badURIHost, "an IPv6 address must be enclosed in '[' and ']'")
            }
        }
        let host = try Host(parsing: bytes[index..<hostEnd])
        index = hostEnd

        var port: UInt16?
        if index < end, bytes[index] == UInt8(ascii: ":") {
            let portStart = bytes.index(after: index)
            let portEnd = bytes[portStart...].firstIndex { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "?") } ?? end
            port = try URISyntax.parsePort(bytes[portStart..<portEnd])
            index = portEnd
        }

        // uri-parameters = *( ";" uri-parameter )
        var parameters: [URIParameter] = []
        if index < end, bytes[index] == UInt8(ascii: ";") {
            let parametersEnd = bytes[index...].firstIndex(of: UInt8(ascii: "?")) ?? end
            parameters = try Self.parseParameters(bytes[bytes.index(after: index)..<parametersEnd])
            index = parametersEnd
        }

        // headers = "?" header *( "&" header )
        var headers: [URIHeader] = []
        if index < end, bytes[index] == UInt8(ascii: "?") {
            headers = try Self.parseHeaders(bytes[bytes.index(after: index)...])
            index = end
        }
        guard index == end else {
            // Only reachable after an IPv6 reference: "[::1]x".
            throw SIPParseError(.badURIHost, "unexpected \(URISyntax.quoted(bytes[index])) after the host")
        }
        self.init(
            isSecure: isSecure, user: user, password: password, host: host, port: port, parameters: parameters,
            headers: headers)
    }

    private static func endsHost(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ":") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "?")
    }

    /// Parses `uri-parameter *( ";" uri-parameter )`, where `uri-parameter = pname [ "=" pvalue ]` and both are
    /// `1*paramchar`. Transport, user, method, ttl, maddr and lr are the same rule with fixed names; their values are
    /// checked only when read through the typed properties.
    static func parseParameters(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) -> [URIParameter] {
        var parameters: [URIParameter] = []
        var pieceStart = bytes.startIndex
        while pieceStart <= bytes.endIndex {
            let pieceEnd = bytes[pieceStart...].firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
            let piece = bytes[pieceStart..<pieceEnd]
            pieceStart = pieceEnd + 1
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let nameBytes = piece[..<(equals ?? piece.endIndex)]
            guard !nameBytes.isEmpty else { throw SIPParseError(.badURIParameter, "a URI parameter has no name") }
            let name = try URISyntax.unescape(
                nameBytes, allowed: .parameter, invalid: .badURIParameter, component: "parameter name")
            var value: String?
            if let equals {
                let valueBytes = piece[piece.index(after: equals)...]
                guard !valueBytes.isEmpty else {
                    throw SIPParseError(.badURIParameter, "a URI parameter has an empty value after '='")
                }
                value = try URISyntax.unescape(
                    valueBytes, allowed: .parameter, invalid: .badURIParameter, component: "parameter value")
            }
            parameters.append(URIParameter(name: name, value: value))
        }
        return parameters
    }

    /// Parses `header *( "&" header )`, where `header = hname "=" hvalue`, `hname` is not empty and `hvalue` may be.
    static func parseHeaders(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) -> [URIHeader] {
        var headers: [URIHeader] = []
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else {
                throw SIPParseError(.badURIHeader, "a URI header lacks '='")
            }
            let nameBytes = piece[..<equals]
            guard !nameBytes.isEmpty else { throw SIPParseError(.badURIHeader, "a URI header has no name") }
            let name = try URISyntax.unescape(
                nameBytes, allowed: .header, invalid: .badURIHeader, component: "header name")
            let value = try URISyntax.unescape(
                piece[piece.index(after: equals)...], allowed: .header, invalid: .badURIHeader,
                component: "header value")
            headers.append(URIHeader(name: name, value: value))
        }
        return headers
    }
}
