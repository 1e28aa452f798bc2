import SIPMessage

/// Why no SIP server could be located for a target (RFC 3263 §4).
///
/// Codes are static lets (STYLE rule 4). `status` is what a proxy answers upstream: 404 when DNS says the
/// domain has no SIP server (RFC 3261 §21.4.5: a domain the request cannot reach), 503 when DNS could not be
/// asked or the transport cannot be used.
public struct SIPLocationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var target: SIPServerTarget
    public var status: SIPStatus
    /// The DNS failure that left nothing to try, when one did.
    public var dnsError: DNSError?
    public var detail: String

    public init(
        _ code: Code, target: SIPServerTarget, status: SIPStatus = .serviceUnavailable, dnsError: DNSError? = nil,
        _ detail: String
    ) {
        self.code = code
        self.target = target
        self.status = status
        self.dnsError = dnsError
        self.detail = detail
    }

    public var description: String { "\(code) \(target) (\(status.code)): \(detail)" }
}

extension SIPLocationError.Code {
    /// The URI asks for a transport that is unknown, not among those supported, or not secure for a SIPS URI.
    public static let unsupportedTransport = Self(rawValue: "unsupported-transport")
    /// DNS answered, but with no usable record at any step (NXDOMAIN, NODATA, an SRV target of `.`).
    public static let notFound = Self(rawValue: "not-found")
    /// Some lookup failed (timeout, server failure, malformed answer) and nothing was found by the others.
    public static let dnsFailure = Self(rawValue: "dns-failure")
}
