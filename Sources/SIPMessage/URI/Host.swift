/// The host of a SIP URI, of a `maddr` parameter or of a Via (RFC 3261 §25.1).
///
/// ```
/// host          = hostname / IPv4address / IPv6reference
/// hostname      = *( domainlabel "." ) toplabel [ "." ]
/// domainlabel   = alphanum / alphanum *( alphanum / "-" ) alphanum
/// toplabel      = ALPHA / ALPHA *( alphanum / "-" ) alphanum
/// ```
///
/// Equality is semantic: names compare without regard to ASCII case (RFC 3261 §19.1.4) and addresses by value, so
/// `.name("AtLanTa.CoM") == .name("atlanta.com")` and `[2001:DB8::10]` equals `[2001:db8:0::10]`. A name never
/// equals an address, even one it resolves to. The text is kept as written, so serialization is byte-faithful.
///
/// `.name` is not checked when built in code; use `Host(parsing:)` for text from configuration or from the wire.
public enum Host: Hashable, Sendable, CustomStringConvertible {
    /// A DNS name, as written.
    case name(String)
    case ipv4(IPv4Address)
    /// An IPv6 address; written in brackets in a URI.
    case ipv6(IPv6Address)

    /// Parses a host: a hostname, a dotted quad, or an IPv6 reference in brackets.
    ///
    /// - Throws: `.badURIHost` (`.malformedURI` for spaces and control characters).
    public init(parsing text: String) throws(SIPParseError) {
        let bytes = Array(text.utf8)[...]
        try URISyntax.rejectControlsAndSpaces(bytes)
        try self.init(parsing: bytes)
    }

    /// Parses a host from exactly these bytes.
    ///
    /// - Throws: `.badURIHost`.
    public init(parsing bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        guard let first = bytes.first else { throw SIPParseError(.badURIHost, "the host is empty") }
        if first == UInt8(ascii: "[") {
            guard bytes.count >= 2, bytes.last == UInt8(ascii: "]") else {
                throw SIPParseError(.badURIHost, "an IPv6 reference lacks its closing ']'")
            }
            self = .ipv6(try IPv6Address(parsing: bytes.dropFirst().dropLast()))
            return
        }
        if let address = try IPv4Address(parsingIfDotted: bytes) {
            self = .ipv4(address)
            return
        }
        guard URISyntax.isHostname(bytes) else {
            if bytes.contains(UInt8(ascii: "]")) || bytes.contains(UInt8(ascii: ":")) {
                throw SIPParseError(.badURIHost, "an IPv6 address must be enclosed in '[' and ']'")
            }
            throw SIPParseError(.badURIHost, "not a valid hostname")
        }
        self = .name(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether the host is an IP address rather than a name.
    public var isIPAddress: Bool {
        switch self {
        case .name: false
        case .ipv4, .ipv6: true
        }
    }

    /// The host as it appears in a URI: IPv6 addresses in brackets.
    public var description: String {
        switch self {
        case .name(let name): name
        case .ipv4(let address): address.description
        case .ipv6(let address): "[\(address.description)]"
        }
    }

    /// Appends the host as it appears in a URI.
    public func serialize(into buffer: inout [UInt8]) {
        switch self {
        case .name(let name): buffer.append(contentsOf: name.utf8)
        case .ipv4(let address): address.serialize(into: &buffer)
        case .ipv6:
            buffer.append(contentsOf: description.utf8)
        }
    }

    public static func == (lhs: Host, rhs: Host) -> Bool {
        switch (lhs, rhs) {
        case (.name(let a), .name(let b)): URISyntax.equalsIgnoringCase(a, b)
        case (.ipv4(let a), .ipv4(let b)): a == b
        case (.ipv6(let a), .ipv6(let b)): a == b
        case (.name, _), (.ipv4, _), (.ipv6, _): false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .name(let name):
            hasher.combine(0)
            for byte in name.utf8 { hasher.combine(URISyntax.lowercased(byte)) }
        case .ipv4(let address):
            hasher.combine(1)
            hasher.combine(address)
        case .ipv6(let address):
            hasher.combine(2)
            hasher.combine(address)
        }
    }
}

extension Host {
    /// An IP address as sockets, listeners and the policy write it (IPv6 without brackets); nil for anything else.
    public init?(ipLiteral text: String) {
        if let v4 = try? IPv4Address(parsing: text) {
            self = .ipv4(v4)
        } else if let v6 = try? IPv6Address(parsing: text) {
            self = .ipv6(v6)
        } else {
            return nil
        }
    }
}
