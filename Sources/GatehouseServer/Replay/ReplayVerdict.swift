import SIPMessage

/// What the live path would have done with one message of a capture, and why.
public struct ReplayVerdict: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// Let through (forwarded, relayed, or answered by Gatehouse with a success) as it came.
        case accepted
        /// Let through, but a stage changed it (normalization, numbering, an untrusted assertion removed).
        case rewritten
        /// Refused with a response (`status`).
        case rejected
        /// Over a rate limit: answered 503 with Retry-After, or dropped, as the limit says.
        case rateLimited = "rate-limited"
        /// From a blocklisted source: dropped before anything else looked at it.
        case blocked
        /// Dropped in silence by a stage (a scanner, an unanswerable message).
        case dropped
        /// The codec could not read it (`status` when the request could still be answered).
        case unparseable

        public var description: String { rawValue }
    }

    public var kind: Kind
    /// The response the sender would have got, if any.
    public var status: SIPStatus?
    /// The stage that decided (`parse`, `framing`, `admission`, `sanity`, `numbering`, `routing`…); nil when accepted.
    public var stage: String?
    /// The stage's reason code (`rate-limited`, `scanner`, `missing-header`, `no-route`).
    public var code: String?
    /// A sentence.
    public var reason: String

    public init(_ kind: Kind, status: SIPStatus? = nil, stage: String? = nil, code: String? = nil, reason: String) {
        self.kind = kind
        self.status = status
        self.stage = stage
        self.code = code
        self.reason = reason
    }

    public var description: String {
        var text = kind.rawValue
        if let status { text += " \(status.code)" }
        if let stage, let code { text += " [\(stage).\(code)]" }
        return text + ": \(reason)"
    }
}
