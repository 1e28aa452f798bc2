import SIPMessage

extension ProvisionedSubscriber {
    /// A service profile (TS 29.228 Annex B.2.1): the initial filter criteria the S-CSCF evaluates for requests of
    /// the public identities that use it.
    public struct ServiceProfile: Sendable, Hashable {
        /// Unique within the subscriber; public identities name it.
        public var name: String
        /// In the order written; priorities are unique within the profile, and the S-CSCF evaluates the lowest
        /// first.
        public var filterCriteria: [FilterCriterion]

        public init(name: String, filterCriteria: [FilterCriterion] = []) {
            self.name = name
            self.filterCriteria = filterCriteria
        }
    }

    /// One initial filter criterion (TS 29.228 Annex B.2.2): when its trigger matches a request, the S-CSCF
    /// routes the request through the application server.
    public struct FilterCriterion: Sendable, Hashable {
        /// Lower values are evaluated first; unique within a profile.
        public var priority: Int
        /// Nil matches every request.
        public var trigger: Trigger?
        public var applicationServer: ApplicationServer
        /// Whether the criterion applies only while the identity is registered or unregistered; nil for always.
        public var profilePart: ProfilePart?

        public enum ProfilePart: String, Sendable, Hashable, CaseIterable {
            case registered
            case unregistered
        }

        public init(
            priority: Int, trigger: Trigger? = nil, applicationServer: ApplicationServer,
            profilePart: ProfilePart? = nil
        ) {
            self.priority = priority
            self.trigger = trigger
            self.applicationServer = applicationServer
            self.profilePart = profilePart
        }
    }

    /// The application server an iFC sends requests through (TS 29.228 Annex B.2.2 `ApplicationServer`).
    public struct ApplicationServer: Sendable, Hashable {
        public var uri: SIPURI
        /// What the S-CSCF does when the AS does not answer. Default `.continue`.
        public var defaultHandling: DefaultHandling
        /// Opaque text passed to the AS in the REGISTER body (`ServiceInfo`).
        public var serviceInfo: String?

        public enum DefaultHandling: String, Sendable, Hashable, CaseIterable {
            /// SESSION_CONTINUED: carry on with the next criterion.
            case `continue`
            /// SESSION_TERMINATED: fail the request.
            case terminate
        }

        public init(uri: SIPURI, defaultHandling: DefaultHandling = .continue, serviceInfo: String? = nil) {
            self.uri = uri
            self.defaultHandling = defaultHandling
            self.serviceInfo = serviceInfo
        }
    }

    /// The condition of an iFC (TS 29.228 Annex B.2.3): conditions grouped in conjunctive normal form (`all:`, an
    /// AND of OR-groups) or disjunctive normal form (`any:`, an OR of AND-groups).
    public struct Trigger: Sendable, Hashable {
        public enum Form: String, Sendable, Hashable {
            /// `all: [[a, b], [c]]` is (a OR b) AND c.
            case conjunctive = "all"
            /// `any: [[a, b], [c]]` is (a AND b) OR c.
            case disjunctive = "any"
        }

        public var form: Form
        /// Never empty, nor is any group.
        public var groups: [[Condition]]

        public init(form: Form, groups: [[Condition]]) {
            self.form = form
            self.groups = groups
        }
    }

    /// One service point trigger, possibly negated (`not: true`, TS 29.228 `ConditionNegated`).
    public struct Condition: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// The request's method (`method: INVITE`).
            case method(SIPMethod)
            /// A regular expression (Swift `Regex` syntax) the Request-URI matches.
            case requestURI(String)
            /// The header is present (value nil) or has a value the regular expression matches.
            case header(name: HeaderName, value: String?)
            /// The session case the S-CSCF handles the request in.
            case sessionCase(SessionCase)
            /// An SDP line of a type (one lower-case letter: `m`, `a`, …) is present (content nil) or has content the
            /// regular expression matches.
            case sdpLine(line: String, content: String?)
        }

        public var kind: Kind
        public var isNegated: Bool

        public init(_ kind: Kind, isNegated: Bool = false) {
            self.kind = kind
            self.isNegated = isNegated
        }
    }

    /// The session cases of TS 29.228 Annex B.2.3 `SessionCase`, as `session_case:` writes them.
    public enum SessionCase: String, Sendable, Hashable, CaseIterable {
        case originating
        case terminatingRegistered = "terminating-registered"
        case terminatingUnregistered = "terminating-unregistered"
        case originatingUnregistered = "originating-unregistered"
        case originatingCDIV = "originating-cdiv"
    }
}
