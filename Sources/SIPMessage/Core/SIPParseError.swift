/// Why a message (or a part of one) was rejected, and what a server should answer.
///
/// One error type for the whole codec, in the shape of `../shared/STYLE.md` rule 4: a `code` that tests and counters
/// key on, the `status` a server answers with, and a human `detail` for the log line. Codes are static lets on an
/// open struct, so adding one never breaks a caller's `switch`.
public struct SIPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var status: SIPStatus
    public var detail: String

    public init(_ code: Code, status: SIPStatus = .badRequest, _ detail: String) {
        self.code = code
        self.status = status
        self.detail = detail
    }

    public var description: String { "\(code.rawValue) (\(status.code)): \(detail)" }
}

extension SIPParseError.Code {
    // Framing and size limits
    /// The whole message is larger than the limit (513 for UDP, 413 when the body is the cause).
    public static let messageTooLarge = Self(rawValue: "message-too-large")
    /// The body is larger than the body limit.
    public static let bodyTooLarge = Self(rawValue: "body-too-large")
    /// More header fields than the limit.
    public static let tooManyHeaders = Self(rawValue: "too-many-headers")
    /// One header line (after unfolding) longer than the limit.
    public static let headerTooLong = Self(rawValue: "header-too-long")
    /// More Via values than the limit.
    public static let tooManyVias = Self(rawValue: "too-many-vias")
    /// The Request-URI is longer than the limit (414).
    public static let requestURITooLong = Self(rawValue: "request-uri-too-long")
    /// The header section never ends (no empty line).
    public static let incompleteHeaders = Self(rawValue: "incomplete-headers")
    /// Content-Length is missing where the transport needs it (stream transports).
    public static let missingContentLength = Self(rawValue: "missing-content-length")
    /// Content-Length is not a number, repeated with different values, or larger than the bytes received.
    public static let badContentLength = Self(rawValue: "bad-content-length")

    // Start line
    public static let malformedStartLine = Self(rawValue: "malformed-start-line")
    public static let badMethod = Self(rawValue: "bad-method")
    public static let badVersion = Self(rawValue: "bad-version")
    public static let badStatusCode = Self(rawValue: "bad-status-code")

    // Header syntax
    public static let malformedHeader = Self(rawValue: "malformed-header")
    public static let badHeaderName = Self(rawValue: "bad-header-name")
    public static let badHeaderValue = Self(rawValue: "bad-header-value")
    public static let unbalancedQuotes = Self(rawValue: "unbalanced-quotes")
    public static let unbalancedAngleBrackets = Self(rawValue: "unbalanced-angle-brackets")

    // URIs
    public static let malformedURI = Self(rawValue: "malformed-uri")
    public static let unsupportedURIScheme = Self(rawValue: "unsupported-uri-scheme")
    public static let badEscape = Self(rawValue: "bad-escape")

    // Message-level sanity (RFC 3261 §8.2, §16.3)
    public static let missingHeader = Self(rawValue: "missing-header")
    public static let duplicateHeader = Self(rawValue: "duplicate-header")
    public static let cseqMethodMismatch = Self(rawValue: "cseq-method-mismatch")
    public static let badCSeq = Self(rawValue: "bad-cseq")
    public static let badMaxForwards = Self(rawValue: "bad-max-forwards")
    public static let tooManyHops = Self(rawValue: "too-many-hops")
    public static let badVia = Self(rawValue: "bad-via")
    public static let badExpires = Self(rawValue: "bad-expires")
    public static let unsupportedRequire = Self(rawValue: "unsupported-require")
}
