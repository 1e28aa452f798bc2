// Error codes of the URI parser (RFC 3261 §19.1, §25.1; RFC 3966). The general ones (`.malformedURI`,
// `.unsupportedURIScheme`, `.badEscape`) live in Core/SIPParseError.swift; these name which part of a URI was wrong,
// so counters and tests can tell a bad port from a bad host.

extension SIPParseError.Code {
    /// The userinfo of a SIP or SIPS URI is malformed: an empty user, or a byte not allowed in the user or password.
    public static let badURIUserInfo = Self(rawValue: "bad-uri-userinfo")
    /// The host is missing or is not a valid hostname, IPv4 address or bracketed IPv6 reference.
    public static let badURIHost = Self(rawValue: "bad-uri-host")
    /// The port is empty, not decimal, or larger than 65535.
    public static let badURIPort = Self(rawValue: "bad-uri-port")
    /// A URI parameter is empty, has an empty value after `=`, or holds a byte that must be escaped.
    public static let badURIParameter = Self(rawValue: "bad-uri-parameter")
    /// A URI header (`?name=value&…`) is empty, lacks its `=`, or holds a byte that must be escaped.
    public static let badURIHeader = Self(rawValue: "bad-uri-header")
    /// Percent-escapes are well formed but the bytes they produce are not UTF-8, so they cannot become a `String`.
    public static let nonUTF8Escape = Self(rawValue: "non-utf8-escape")
    /// A telephone-subscriber (tel URI, or the user of a `user=phone` SIP URI) breaks RFC 3966: a bad number, a bad
    /// `ext` or `phone-context`, or a local number without `phone-context`.
    public static let badTelephoneNumber = Self(rawValue: "bad-telephone-number")
}
