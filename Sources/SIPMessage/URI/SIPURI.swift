/// A SIP or SIPS URI (RFC 3261 §19.1).
///
/// ```
/// SIP-URI    = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
/// SIPS-URI   = "sips:" [ userinfo ] hostport uri-parameters [ headers ]
/// userinfo   = ( user / telephone-subscriber ) [ ":" password ] "@"
/// hostport   = host [ ":" port ]
/// uri-parameters = *( ";" uri-parameter )
/// headers    = "?" header *( "&" header )
/// ```
///
/// Every component is stored unescaped; the serializer escapes what each component's grammar requires, so any
/// value can be assigned. `==` and hashing are structural (parameters in order, names in the case written; hosts
/// compare semantically); RFC 3261 §19.1.4 comparison is `isEquivalent(to:)`.
///
/// An SBC rewrites a URI by assigning to `host`, `port`, `user`, or through `setParameter(_:to:)` and the typed
/// parameter properties, which keep the position of a parameter that is already there.
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    /// Whether the scheme is `sips`.
    public var isSecure: Bool
    /// The user, unescaped. Nil when the URI has no userinfo; an empty user is not serialized.
    public var user: String?
    /// The password, unescaped; it may be empty (`sip:alice:@host`). Written only when `user` is.
    public var password: String?
    public var host: Host
    /// The port, or nil when none is written (a URI with no port never equals one with the default port).
    public var port: UInt16?
    /// The `;name[=value]` parameters in order.
    public var parameters: [URIParameter]
    /// The `?name=value&…` headers in order.
    public var headers: [URIHeader]

    public init(
        isSecure: Bool = false, user: String? = nil, password: String? = nil, host: Host, port: UInt16? = nil,
        parameters: [URIParameter] = [], headers: [URIHeader] = []
    ) {
        self.isSecure = isSecure
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = headers
    }

    /// `sip` or `sips`.
    public var scheme: String { isSecure ? "sips" : "sip" }

    // MARK: Parameters

    /// The first parameter of this name (ASCII case ignored), or nil.
    public func parameter(named name: String) -> URIParameter? { parameters.first(named: name) }

    /// Whether a parameter of this name (ASCII case ignored) is present, with or without a value.
    public func hasParameter(named name: String) -> Bool { parameters.firstIndex(named: name) != nil }

    /// Sets a parameter: replaces the value of the first one of this name in place (removing any repeats), or
    /// appends it. A nil value makes a flag (`;lr`).
    public mutating func setParameter(_ name: String, to value: String?) { parameters.set(name, to: value) }

    /// Removes every parameter of this name (ASCII case ignored).
    public mutating func removeParameter(named name: String) { parameters.removeAll(named: name) }

    private func value(of name: String) -> String? { parameter(named: name)?.value }

    /// The `transport` parameter as written (`udp`, `tcp`, `tls`, `sctp`, `ws`, …); nil removes it.
    public var transport: String? {
        get { value(of: "transport") }
        set { parameters.setOrRemove("transport", newValue) }
    }

    /// The `user` parameter (`phone`, `ip`, `dialstring`, …); nil removes it. Not to be confused with `user`.
    public var userParameter: String? {
        get { value(of: "user") }
        set { parameters.setOrRemove("user", newValue) }
    }

    /// The `method` parameter; nil removes it.
    public var method: String? {
        get { value(of: "method") }
        set { parameters.setOrRemove("method", newValue) }
    }

    /// The `ttl` parameter, nil when absent or not a number 0–255; nil removes it.
    public var ttl: UInt8? {
        get {
            guard let text = value(of: "ttl"), (1...3).contains(text.utf8.count),
                text.utf8.allSatisfy(URISyntax.isDigit)
            else { return nil }
            return UInt8(text)
        }
        set { parameters.setOrRemove("ttl", newValue.map { String($0) }) }
    }

    /// The `maddr` parameter as a host, nil when absent or not a valid host; nil removes it.
    public var maddr: Host? {
        get { value(of: "maddr").flatMap { try? Host(parsing: $0) } }
        set { parameters.setOrRemove("maddr", newValue?.description) }
    }

    /// Whether the `lr` flag is present (RFC 3261 §19.1.1 loose routing); false removes it.
    public var lr: Bool {
        get { hasParameter(named: "lr") }
        set {
            if !newValue {
                removeParameter(named: "lr")
            } else if !lr {
                parameters.append(URIParameter(name: "lr"))
            }
        }
    }

    // MARK: Headers

    /// The value of the first header of this name (ASCII case ignored), or nil.
    public func headerValue(named name: String) -> String? {
        headers.first { URISyntax.equalsIgnoringCase($0.name, name) }?.value
    }

    // MARK: user=phone

    /// The telephone-subscriber in the user part, parsed like a tel URI, when the URI carries `user=phone`
    /// (RFC 3261 §19.1.6); nil without `user=phone`, or when the user is not a valid telephone-subscriber.
    public var telephoneNumber: TelURI? {
        guard let user, let flag = userParameter, URISyntax.equalsIgnoringCase(flag, "phone") else { return nil }
        // Escape what the user part had to escape, except "#": a tel number carries it literally, a SIP user
        // only as %23.
        var bytes: [UInt8] = []
        URISyntax.escape(user, allowed: .user, except: UInt8(ascii: "#"), into: &bytes)
        return try? TelURI(parsingSubscriber: bytes[...])
    }

    /// Makes the user part this telephone number (with its parameters) and sets `user=phone`.
    public mutating func setTelephoneNumber(_ number: TelURI) {
        user = number.sipUser
        userParameter = "phone"
    }
}
