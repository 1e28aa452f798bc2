/// The condition of an initial filter criterion (TS 29.228 Annex B.2.3): service point triggers combined in
/// conjunctive normal form (an AND of OR-groups) or disjunctive normal form (an OR of AND-groups).
public struct TriggerPoint: Hashable, Sendable {
    public enum Form: String, Hashable, Sendable {
        /// Every group has a matching trigger.
        case conjunctive = "cnf"
        /// Some group has all its triggers matching.
        case disjunctive = "dnf"
    }

    public var form: Form
    /// Triggers grouped by their `Group` number.
    public var groups: [[ServicePointTrigger]]

    public init(form: Form, groups: [[ServicePointTrigger]]) {
        self.form = form
        self.groups = groups
    }
}

/// One service point trigger.
public struct ServicePointTrigger: Hashable, Sendable {
    public enum Condition: Hashable, Sendable {
        /// The request's method, such as INVITE.
        case method(String)
        /// A regular expression the Request-URI matches.
        case requestURI(String)
        /// A header is present (value nil) or has a value the regular expression matches.
        case header(name: String, value: String?)
        /// The session case the S-CSCF handles the request in.
        case sessionCase(SessionCase)
        /// An SDP line of a type (`m`, `a`, …) whose content the regular expression matches (nil: present).
        case sdpLine(line: String, content: String?)
    }

    public var condition: Condition
    /// `ConditionNegated`.
    public var isNegated: Bool

    public init(_ condition: Condition, isNegated: Bool = false) {
        self.condition = condition
        self.isNegated = isNegated
    }
}

/// The session cases of TS 29.228 Annex B.2.2 `SessionCase`.
public enum SessionCase: String, Hashable, Sendable, CaseIterable {
    case originating
    case terminatingRegistered = "terminating-registered"
    case terminatingUnregistered = "terminating-unregistered"
    case originatingUnregistered = "originating-unregistered"
    case originatingCDIV = "originating-cdiv"
}
