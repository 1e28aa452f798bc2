/// Why admission decided what it did: a code, and for limits the scope and filter of the limit that decided.
///
/// The same value labels the decision, the counter it increments and the log line, so that what a message met and
/// what the metrics say can never disagree (STYLE rule 4). Every field has a bounded range (codes and rule ids come
/// from code and configuration; no source address appears), so counters keyed by it stay bounded too.
public struct AdmissionReason: Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    /// The scope of the limit or list that decided; nil for an admitted message.
    public var scope: AdmissionScope?
    /// For a rate limit: what it counts.
    public var counted: MessageFilter?
    /// For a rate limit: the rule's id.
    public var rule: String?

    public init(_ code: Code, scope: AdmissionScope? = nil, counted: MessageFilter? = nil, rule: String? = nil) {
        self.code = code
        self.scope = scope
        self.counted = counted
        self.rule = rule
    }

    /// The reason an admitted message is counted under.
    public static let admitted = AdmissionReason(.admitted)

    public var description: String {
        var text = code.rawValue
        if let scope { text += " scope=\(scope)" }
        if let counted { text += " counted=\(counted)" }
        if let rule { text += " rule=\(rule)" }
        return text
    }
}

extension AdmissionReason.Code {
    /// Every check passed.
    public static let admitted = Self(rawValue: "admitted")
    /// A rate limit's bucket was empty: 503 with Retry-After, or a drop, as the rule says.
    public static let rateLimited = Self(rawValue: "rate-limited")
    /// The overload guard is above its high watermark and the message is a new call (RFC 7339 §1 calls this
    /// "overload": the server cannot serve all the requests it receives).
    public static let overloaded = Self(rawValue: "overloaded")
    /// The peer already holds as many calls as it may.
    public static let peerCallLimit = Self(rawValue: "peer-call-limit")
    /// Gatehouse already holds as many calls as it may in total.
    public static let totalCallLimit = Self(rawValue: "total-call-limit")
    /// Blocklisted by the offender tracker: too many limit violations within its window.
    public static let repeatedOffender = Self(rawValue: "repeated-offender")
    /// Blocklisted by an operator (admin API or policy).
    public static let blockedByOperator = Self(rawValue: "blocked-by-operator")
}
