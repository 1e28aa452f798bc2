import SIPMessage

/// What RFC 3263 locates a SIP server from: the TARGET host (a URI's `maddr` if present, else its host), the
/// port and `transport` parameter if the URI has them, and whether it is a SIPS URI (RFC 3263 §4).
public struct SIPServerTarget: Sendable, Hashable, CustomStringConvertible {
    public var host: Host
    public var port: UInt16?
    /// The `transport` parameter as written (`udp`, `tcp`, `tls`, `sctp`…), compared without regard to case.
    public var transport: String?
    public var isSecure: Bool

    public init(host: Host, port: UInt16? = nil, transport: String? = nil, isSecure: Bool = false) {
        self.host = host
        self.port = port
        self.transport = transport
        self.isSecure = isSecure
    }

    /// The target of `uri`: its `maddr` overrides its host (RFC 3263 §4, RFC 3261 §19.1.1).
    public init(uri: SIPURI) {
        self.init(host: uri.maddr ?? uri.host, port: uri.port, transport: uri.transport, isSecure: uri.isSecure)
    }

    public var description: String {
        var text = "\(isSecure ? "sips" : "sip"):\(host)"
        if let port { text += ":\(port)" }
        if let transport { text += ";transport=\(transport)" }
        return text
    }
}
