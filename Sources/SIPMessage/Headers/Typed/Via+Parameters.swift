/// Typed access to the Via parameters of RFC 3261 §20.42 and RFC 3581, read from and written to `parameters`.
extension Via {
    /// The `rport` parameter (RFC 3581 §3, §4): a client asks for it empty; the server fills in the source port.
    public enum ResponsePort: Hashable, Sendable {
        /// `;rport` without a value: the client asks to be answered to the source port.
        case requested
        /// `;rport=5060`: the port the request came from.
        case port(UInt16)
    }

    /// The transaction identifier of RFC 3261 §8.1.1.7.
    public var branch: String? {
        get { parameters.value("branch") }
        set { parameters.setOrRemove("branch", newValue) }
    }

    /// Whether the branch starts with the RFC 3261 magic cookie `z9hG4bK` (RFC 3261 §8.1.1.7, §17.2.3).
    public var isRFC3261Branch: Bool {
        branch?.hasPrefix(Self.magicCookie) ?? false
    }

    /// The source address the server saw, when it differs from sent-by (RFC 3261 §18.2.1). Written as a bare
    /// address (IPv6 in brackets, as RFC 5118 §4.5 recommends).
    public var received: Host? {
        get { parameters.value("received").flatMap(Self.parseAddress) }
        set { parameters.setOrRemove("received", newValue?.description) }
    }

    /// The `rport` parameter, if present (RFC 3581).
    public var rport: ResponsePort? {
        get {
            guard let parameter = parameters["rport"] else { return nil }
            guard let value = parameter.value else { return .requested }
            return Array(value.utf8)[...].parseDecimal(maximum: Int(UInt16.max)).map { .port(UInt16($0)) }
        }
        set {
            switch newValue {
            case .none: parameters.remove("rport")
            case .requested: parameters.set("rport")
            case .port(let port): parameters.set("rport", String(port))
            }
        }
    }

    /// The multicast address responses go to (RFC 3261 §18.2.2).
    public var maddr: Host? {
        get { parameters.value("maddr").flatMap { try? Host(parsing: Array($0.utf8)[...]) } }
        set { parameters.setOrRemove("maddr", newValue?.description) }
    }

    /// The multicast time-to-live, 0–255.
    public var ttl: Int? {
        get { parameters.value("ttl").flatMap { Array($0.utf8)[...].parseDecimal(maximum: 255) } }
        set { parameters.setOrRemove("ttl", newValue.map { String($0) }) }
    }

    /// The sent-by port, or the default port of the transport when none is written (RFC 3261 §18.2.2, §19.1.2):
    /// 5061 for TLS, 443 for WSS, 80 for WS, 5060 otherwise.
    public var portOrDefault: UInt16 {
        if let port { return port }
        switch transport.uppercased() {
        case "TLS": return 5061
        case "WSS": return 443
        case "WS": return 80
        default: return 5060
        }
    }

}
