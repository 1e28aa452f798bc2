/// The first line of a message: a request line or a status line (RFC 3261 §7.1, §7.2).
public enum StartLine: Sendable, Hashable {
    case request(RequestLine)
    case response(StatusLine)
}

/// `Method SP Request-URI SP SIP-Version`.
public struct RequestLine: Sendable, Hashable {
    public var method: SIPMethod
    /// The Request-URI exactly as written; `SIPMessage.requestURI` parses it.
    public var uri: [UInt8]
    public var version: SIPVersion

    public init(method: SIPMethod, uri: some Collection<UInt8>, version: SIPVersion = .sip2) {
        self.method = method
        self.uri = Array(uri)
        self.version = version
    }

    public init(method: SIPMethod, uri: String, version: SIPVersion = .sip2) {
        self.init(method: method, uri: Array(uri.utf8), version: version)
    }

    /// A request line for a parsed URI, serialized straight to bytes.
    public init(method: SIPMethod, uri: URI, version: SIPVersion = .sip2) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        uri.serialize(into: &bytes)
        self.init(method: method, uri: bytes, version: version)
    }
}

/// `SIP-Version SP Status-Code SP Reason-Phrase`.
public struct StatusLine: Sendable, Hashable {
    public var version: SIPVersion
    public var code: Int
    public var reason: String

    public init(version: SIPVersion = .sip2, code: Int, reason: String) {
        self.version = version
        self.code = code
        self.reason = reason
    }

    public init(_ status: SIPStatus) {
        self.init(code: status.code, reason: status.reason)
    }
}

/// `SIP/major.minor`. Only 2.0 is spoken; other versions parse so that a server can answer 505.
public struct SIPVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let sip2 = SIPVersion(major: 2, minor: 0)

    public var description: String { "SIP/\(major).\(minor)" }

    /// Parses `SIP/x.y` (the literal "SIP" is case-insensitive, as ABNF literals are).
    init?(bytes: ArraySlice<UInt8>) {
        guard bytes.count >= 7, bytes.prefix(4).equalsCaseInsensitive("sip/".utf8),
            let dot = bytes.dropFirst(4).firstIndex(of: UInt8(ascii: ".")),
            let major = bytes[(bytes.startIndex + 4)..<dot].parseDecimal(maximum: 999),
            let minor = bytes[(dot + 1)...].parseDecimal(maximum: 999)
        else { return nil }
        self.init(major: major, minor: minor)
    }
}
