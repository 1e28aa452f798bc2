/// A header name, or a wildcard `PREFIX*` (`X-*`, `P-*`): what `remove` and `private_headers` name.
///
/// Names compare without regard to case, and a compact form stands for its long name (`f` is `From`); a wildcard
/// is matched against the long name, so `F*` covers a `From` written `f:`.
public struct HeaderPattern: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Exactly this header.
        case name(HeaderName)
        /// Every header whose long name starts with this prefix (as written, without the `*`; case is ignored).
        case prefix(String)
    }

    public let kind: Kind

    /// A problem with the text of a header name or pattern.
    public struct SyntaxError: Error, Hashable, Sendable {
        public var message: String

        public init(message: String) { self.message = message }
    }

    public init(name: HeaderName) {
        kind = .name(name)
    }

    /// `User-Agent`, `f`, `X-*`. A `*` may only end a pattern, after at least one character; every other
    /// character must be one a header name allows (an RFC 3261 token).
    public init(parsing text: String) throws(SyntaxError) {
        if text.hasSuffix("*") {
            let prefix = text.dropLast()
            guard !prefix.isEmpty else {
                throw SyntaxError(message: "a wildcard needs a prefix ('X-*'): '*' alone would remove every header")
            }
            try Self.checkToken(prefix, whole: text)
            kind = .prefix(String(prefix))
        } else {
            try Self.checkToken(text[...], whole: text)
            kind = .name(HeaderName(text))
        }
    }

    /// Whether a header of this name matches.
    public func matches(_ name: HeaderName) -> Bool {
        switch kind {
        case .name(let own): own == name
        case .prefix(let prefix): Self.hasPrefixIgnoringCase(name.canonical.utf8, prefix.utf8)
        }
    }

    private static func hasPrefixIgnoringCase(_ text: String.UTF8View, _ prefix: String.UTF8View) -> Bool {
        guard text.count >= prefix.count else { return false }
        return zip(text, prefix).allSatisfy { lowercased($0) == lowercased($1) }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
    }

    public var isWildcard: Bool {
        if case .prefix = kind { return true }
        return false
    }

    /// The long name, or the prefix followed by `*`.
    public var description: String {
        switch kind {
        case .name(let name): name.canonical
        case .prefix(let prefix): prefix + "*"
        }
    }

    /// A header name is a token (RFC 3261 §25.1 `field-name = token`); `*` is a token character, but here it is
    /// taken for a wildcard, so it may not appear inside a name.
    static func checkToken(_ text: Substring, whole: String) throws(SyntaxError) {
        guard !text.isEmpty else { throw SyntaxError(message: "the header name is empty") }
        if text.contains("*") {
            throw SyntaxError(message: "'\(whole)': '*' may only end a wildcard ('X-*')")
        }
        if let bad = text.unicodeScalars.first(where: { !isHeaderNameCharacter($0) }) {
            throw SyntaxError(
                message: "'\(whole)' is not a header name: '\(bad.escaped(asASCII: true))' is not allowed")
        }
    }

    static func isHeaderNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        let value = scalar.value
        return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
            || "-.!%_+`'~".unicodeScalars.contains(scalar)
    }
}
