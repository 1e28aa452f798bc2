/// How many messages met each decision, by reason; and how often the blocklist and the overload guard changed.
///
/// A value the edge reads and exports (as metrics, or in a replay report). Keys are bounded: reason codes, scopes,
/// filters and rule ids all come from code and configuration, never from a message.
public struct AdmissionCounters: Hashable, Sendable {
    /// What was counted.
    public enum Kind: Hashable, Sendable, CaseIterable, CustomStringConvertible {
        case admitted
        case rejected
        case dropped
        case blocked
        /// A source went onto the blocklist (not a message decision).
        case blocklistAdded
        /// A source's block ended (not a message decision).
        case blocklistExpired
        /// The overload guard tripped (not a message decision).
        case overloadEntered
        /// The overload guard reset (not a message decision).
        case overloadLeft

        public var description: String {
            switch self {
            case .admitted: "admitted"
            case .rejected: "rejected"
            case .dropped: "dropped"
            case .blocked: "blocked"
            case .blocklistAdded: "blocklist-added"
            case .blocklistExpired: "blocklist-expired"
            case .overloadEntered: "overload-entered"
            case .overloadLeft: "overload-left"
            }
        }
    }

    public struct Key: Hashable, Sendable {
        public var kind: Kind
        public var reason: AdmissionReason

        public init(_ kind: Kind, _ reason: AdmissionReason) {
            self.kind = kind
            self.reason = reason
        }
    }

    /// Every count, by kind and reason.
    public private(set) var counts: [Key: UInt64] = [:]

    public init() {}

    /// The count for one kind and reason.
    public subscript(kind: Kind, reason: AdmissionReason) -> UInt64 {
        counts[Key(kind, reason)] ?? 0
    }

    /// The count for one kind, all reasons together.
    public func total(_ kind: Kind) -> UInt64 {
        counts.reduce(0) { $0 + ($1.key.kind == kind ? $1.value : 0) }
    }

    /// The count for one kind and reason code, whatever the scope, filter and rule.
    public func total(_ kind: Kind, code: AdmissionReason.Code) -> UInt64 {
        counts.reduce(0) { $0 + ($1.key.kind == kind && $1.key.reason.code == code ? $1.value : 0) }
    }

    /// Every message decision counted (events not included).
    public var decisions: UInt64 {
        total(.admitted) + total(.rejected) + total(.dropped) + total(.blocked)
    }

    mutating func record(_ kind: Kind, _ reason: AdmissionReason) {
        counts[Key(kind, reason), default: 0] &+= 1
    }

    mutating func record(_ decision: AdmissionDecision) {
        switch decision {
        case .admit: record(.admitted, .admitted)
        case .reject(_, _, let reason): record(.rejected, reason)
        case .drop(let reason): record(.dropped, reason)
        case .blocked(_, let reason): record(.blocked, reason)
        }
    }
}
