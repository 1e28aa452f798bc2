/// Why a lookup gave no records.
///
/// Codes are static lets (STYLE rule 4), so that new ones do not break callers and tests assert on codes. The
/// codes `nxdomain` and `noData` are answers (the name, or the type at the name, does not exist: RFC 2308 §1,
/// cached as such); the others are failures to get an answer.
public struct DNSError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    /// The question that failed (after CNAMEs, the name the chain led to), when there was one.
    public var question: DNSQuestion?
    /// The RCODE of a `serverFailure`.
    public var responseCode: DNSResponseCode?
    public var detail: String

    public init(
        _ code: Code, question: DNSQuestion? = nil, responseCode: DNSResponseCode? = nil, _ detail: String
    ) {
        self.code = code
        self.question = question
        self.responseCode = responseCode
        self.detail = detail
    }

    /// Whether the error says the records do not exist (rather than that they could not be had).
    public var isNegativeAnswer: Bool { code == .nxdomain || code == .noData }

    /// Whether no other server or attempt can help: the resolver was shut down or the lookup cancelled.
    var isFinal: Bool { code == .shutdown || code == .cancelled }

    public var description: String {
        var text = code.rawValue
        if let responseCode { text += " (\(responseCode))" }
        if let question { text += " \(question)" }
        return "\(text): \(detail)"
    }
}

extension DNSError.Code {
    /// The name does not exist (RCODE 3, NXDOMAIN).
    public static let nxdomain = Self(rawValue: "nxdomain")
    /// The name exists but has no records of the type asked for (NODATA: NOERROR with an empty answer).
    public static let noData = Self(rawValue: "no-data")
    /// No server answered within the timeouts of every attempt.
    public static let timeout = Self(rawValue: "timeout")
    /// The servers answered with an error RCODE (SERVFAIL, REFUSED, FORMERR, NOTIMP…), named in `responseCode`.
    public static let serverFailure = Self(rawValue: "server-failure")
    /// The answer for our question could not be parsed, or its CNAMEs loop or chain too long.
    public static let malformed = Self(rawValue: "malformed")
    /// The name asked for is not a valid domain name (an empty label, a label over 63 bytes…).
    public static let badName = Self(rawValue: "bad-name")
    /// A socket could not be opened or written to.
    public static let network = Self(rawValue: "network")
    /// The resolver has no servers configured.
    public static let noServers = Self(rawValue: "no-servers")
    /// The resolver was shut down.
    public static let shutdown = Self(rawValue: "shutdown")
    /// The task that asked was cancelled.
    public static let cancelled = Self(rawValue: "cancelled")
}
