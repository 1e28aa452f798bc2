import SIPMessage

/// Why the transport could not do what was asked: bind a TLS listener, reach a destination, send a message.
///
/// Codes are static lets, so that new ones do not break callers, and tests assert on codes. `status` is the SIP
/// answer a caller gives upstream when a send fails: a transport error on a client transaction counts as a 503
/// (RFC 3261 §16.7 step 10 with §8.1.3.1).
public struct TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    /// The endpoint concerned: the listener being bound, or the destination of a send.
    public var endpoint: SIPEndpoint?
    public var status: SIPStatus
    public var detail: String

    public init(_ code: Code, endpoint: SIPEndpoint? = nil, status: SIPStatus = .serviceUnavailable, _ detail: String) {
        self.code = code
        self.endpoint = endpoint
        self.status = status
        self.detail = detail
    }

    public var description: String {
        if let endpoint { return "\(code) \(endpoint): \(detail)" }
        return "\(code): \(detail)"
    }
}

extension TransportError.Code {
    /// A certificate, key or CA file of a TLS setting cannot be read or parsed (the detail names the file).
    public static let tlsFile = Self(rawValue: "tls-file")
    /// The files load but do not make a TLS context (key does not match the certificate…).
    public static let tlsContext = Self(rawValue: "tls-context")
    /// A `tls://` listener was asked for without a `TLSSettings` for it.
    public static let tlsNotConfigured = Self(rawValue: "tls-not-configured")
    /// No bound listener can serve as the source of a send from the given realm endpoint.
    public static let noListener = Self(rawValue: "no-listener")
    /// The destination's address cannot be used (a name that does not resolve, a bad literal).
    public static let badDestination = Self(rawValue: "bad-destination")
    /// A TCP or TLS connection to the destination could not be opened (refused, unreachable, timed out).
    public static let connectFailed = Self(rawValue: "connect-failed")
    /// The message could not be written (the connection closed, the TLS handshake failed, the socket failed).
    public static let writeFailed = Self(rawValue: "write-failed")
    /// An inbound connection was refused by a `ConnectionLimits` limit.
    public static let connectionLimit = Self(rawValue: "connection-limit")
    /// The listeners were closed.
    public static let closed = Self(rawValue: "closed")
}
