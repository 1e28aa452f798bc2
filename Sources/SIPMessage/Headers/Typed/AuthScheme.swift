/// The syntax Authorization, Proxy-Authorization, WWW-Authenticate and Proxy-Authenticate share: a scheme, then
/// comma-separated `name=value` parameters (RFC 3261 §25.1; RFC 7235 §2.1; RFC 7616 §3.3–§3.4).
///
/// ```
/// credentials / challenge = auth-scheme LWS auth-param *(COMMA auth-param)
/// auth-param              = auth-param-name EQUAL ( token / quoted-string )
/// token68                 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="   ; RFC 7235
/// ```
///
/// The parameters reuse `HeaderParameters` (order, spelling and quoted-ness kept; names looked up without regard to
/// case). Unquoted values are taken up to the next comma or white space, so a sloppy `uri=sip:a@b` is still read;
/// a parameter given twice is refused, since two values for a nonce or a response cannot both be believed. A
/// Digest value must have parameters; other schemes may have a token68 instead (`Bearer …`).
struct AuthScheme {
    var scheme: String
    var parameters: HeaderParameters
    var token68: String?

    static func parse(_ scanner: inout HeaderScanner) throws(SIPParseError) -> AuthScheme {
        scanner.skipWhitespace()
        let scheme = try scanner.tokenString("the authentication scheme")
        var parameters = HeaderParameters()
        let beforeParameters = scanner.index
        scanner.skipWhitespace()
        if scanner.isAtEnd { return AuthScheme(scheme: scheme, parameters: parameters, token68: nil) }
        guard scanner.index > beforeParameters else { throw scanner.error("white space expected after the scheme") }

        // Digest has only auth-params (RFC 7616 §3.3); other schemes may carry one token68 instead.
        var lookahead = scanner
        let token68 = lookahead.scan { URISyntax.isAlphanumeric($0) || "-._~+/".utf8.contains($0) }
        if !token68.isEmpty, !ContentType.equalsIgnoringCase(scheme, "digest") {
            let padding = lookahead.scan { $0 == ASCII.equals }
            lookahead.skipWhitespace()
            if lookahead.isAtEnd {
                let text = String(sipBytes: token68) + String(repeating: "=", count: padding.count)
                return AuthScheme(scheme: scheme, parameters: parameters, token68: text)
            }
        }

        while true {
            scanner.skipWhitespace()
            let name = try scanner.tokenString("a parameter name")
            scanner.skipWhitespace()
            try scanner.expect(ASCII.equals, "'=' after '\(name)'")
            scanner.skipWhitespace()
            let parameter: HeaderParameter
            if scanner.peek == ASCII.quote {
                parameter = HeaderParameter(name: name, value: try scanner.quotedString(), quoted: true)
            } else {
                let value = scanner.scan {
                    $0 != ASCII.comma && $0 != ASCII.quote && !ASCII.isWhitespace($0) && $0 > 0x20 && $0 != 0x7F
                }
                guard !value.isEmpty else { throw scanner.error("parameter '\(name)' has no value") }
                parameter = HeaderParameter(name: name, value: String(sipBytes: value), quoted: false)
            }
            guard !parameters.contains(name) else { throw scanner.error("parameter '\(name)' appears twice") }
            parameters.append(parameter)
            scanner.skipWhitespace()
            if scanner.isAtEnd { break }
            try scanner.expect(ASCII.comma, "',' between parameters")
        }
        return AuthScheme(scheme: scheme, parameters: parameters, token68: nil)
    }

    static func serialize(
        scheme: String, parameters: HeaderParameters, token68: String?, into buffer: inout [UInt8]
    ) {
        HeaderWriting.appendText(scheme, into: &buffer)
        if let token68 {
            buffer.append(ASCII.space)
            HeaderWriting.appendText(token68, into: &buffer)
            return
        }
        var separator = ASCII.space
        for parameter in parameters {
            buffer.append(separator)
            parameter.serialize(into: &buffer)
            separator = ASCII.comma
        }
    }
}
