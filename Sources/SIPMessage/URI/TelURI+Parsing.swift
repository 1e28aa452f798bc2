// Parsing of tel URIs and telephone-subscribers (RFC 3966 §3). The grammar is in TelURI.swift.

extension TelURI {
    /// Parses a tel URI.
    ///
    /// - Throws: `.unsupportedURIScheme` (416) for another scheme; `.malformedURI`, `.badTelephoneNumber`,
    ///   `.badURIParameter`, `.badEscape`, `.nonUTF8Escape`.
    public init(parsing text: String) throws(SIPParseError) {
        try self.init(parsing: Array(text.utf8)[...])
    }

    /// Parses a tel URI from exactly these bytes.
    ///
    /// - Throws: see `init(parsing:)`.
    public init(parsing bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        let (scheme, rest) = try URISyntax.splitScheme(bytes)
        guard URISyntax.equalsIgnoringCase(scheme, "tel".utf8) else {
            throw SIPParseError(
                .unsupportedURIScheme, status: .unsupportedURIScheme,
                "\(URISyntax.quotedScheme(scheme)) is not a tel URI")
        }
        try self.init(parsingSubscriber: rest)
    }

    /// Parses a telephone-subscriber: what follows `tel:`, or the user part of a `user=phone` SIP URI.
    ///
    /// - Throws: see `init(parsing:)`.
    public init(parsingSubscriber bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        try URISyntax.rejectControlsAndSpaces(bytes)
        let numberEnd = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        let numberBytes = bytes[..<numberEnd]
        let isGlobal = numberBytes.first == UInt8(ascii: "+")
        if isGlobal {
            guard Self.isGlobalNumberDigits(numberBytes) else {
                throw SIPParseError(
                    .badTelephoneNumber, "a global number is '+' and digits, with optional '-', '.', '(' or ')'")
            }
        } else {
            guard Self.isLocalNumberDigits(numberBytes) else {
                throw SIPParseError(
                    .badTelephoneNumber,
                    "a local number is hex digits, '*' and '#', with optional '-', '.', '(' or ')'")
            }
        }

        var parameters: [URIParameter] = []
        if numberEnd < bytes.endIndex {
            let rest = bytes[bytes.index(after: numberEnd)...]
            for piece in rest.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
                parameters.append(try Self.parseParameter(piece))
            }
        }
        let context = parameters.first(named: "phone-context")
        if !isGlobal, context == nil {
            throw SIPParseError(.badTelephoneNumber, "a local number needs a phone-context parameter")
        }
        self.init(number: String(decoding: numberBytes, as: UTF8.self), parameters: parameters)
    }

    /// Parses one `pname ["=" pvalue]` (without its `;`), checking ext, isub and phone-context by their own rules.
    private static func parseParameter(_ piece: ArraySlice<UInt8>) throws(SIPParseError) -> URIParameter {
        let equals = piece.firstIndex(of: UInt8(ascii: "="))
        let nameBytes = piece[..<(equals ?? piece.endIndex)]
        guard !nameBytes.isEmpty,
            nameBytes.allSatisfy({ URISyntax.isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
        else {
            throw SIPParseError(.badURIParameter, "a tel parameter name is letters, digits and '-'")
        }
        let name = String(decoding: nameBytes, as: UTF8.self)
        let isExtension = URISyntax.equalsIgnoringCase(name, "ext")
        let isSubaddress = URISyntax.equalsIgnoringCase(name, "isub")
        let isContext = URISyntax.equalsIgnoringCase(name, "phone-context")
        guard let equals else {
            guard !isExtension, !isSubaddress, !isContext else {
                throw SIPParseError(.badTelephoneNumber, "the tel parameter '\(name)' needs a value")
            }
            return URIParameter(name: name)
        }
        let valueBytes = piece[piece.index(after: equals)...]
        guard !valueBytes.isEmpty else {
            throw SIPParseError(.badURIParameter, "the tel parameter '\(name)' has an empty value")
        }
        let value = try URISyntax.unescape(
            valueBytes, allowed: isSubaddress ? .isdnSubaddress : .parameter, invalid: .badURIParameter,
            component: "tel parameter value")
        if isExtension {
            // extension = ";ext=" 1*phonedigit
            guard value.utf8.contains(where: URISyntax.isDigit),
                value.utf8.allSatisfy({ URISyntax.isDigit($0) || isVisualSeparator($0) })
            else { throw SIPParseError(.badTelephoneNumber, "an ext parameter is digits") }
        } else if isContext {
            // descriptor = domainname / global-number-digits
            let descriptor = Array(value.utf8)[...]
            let valid =
                descriptor.first == UInt8(ascii: "+")
                ? isGlobalNumberDigits(descriptor) : URISyntax.isHostname(descriptor)
            guard valid else {
                throw SIPParseError(.badTelephoneNumber, "a phone-context is a domain name or a global number prefix")
            }
        }
        return URIParameter(name: name, value: value)
    }

    /// `global-number-digits = "+" *phonedigit DIGIT *phonedigit`
    static func isGlobalNumberDigits(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.first == UInt8(ascii: "+") else { return false }
        let digits = bytes.dropFirst()
        return digits.contains(where: URISyntax.isDigit)
            && digits.allSatisfy { URISyntax.isDigit($0) || isVisualSeparator($0) }
    }

    /// `local-number-digits = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex`
    static func isLocalNumberDigits(_ bytes: ArraySlice<UInt8>) -> Bool {
        func isDialable(_ byte: UInt8) -> Bool {
            URISyntax.hexValue(byte) != nil || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "#")
        }
        return bytes.contains(where: isDialable) && bytes.allSatisfy { isDialable($0) || isVisualSeparator($0) }
    }
}
