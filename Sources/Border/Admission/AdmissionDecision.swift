import SIPMessage

/// What admission control decided about one message, with the reason the counters and logs use.
///
/// The pipeline maps it to the wire once (STYLE rule 5): `.admit` goes on to peer matching; `.reject` becomes a
/// response with a Retry-After header; `.drop` and `.blocked` send nothing.
public enum AdmissionDecision: Hashable, Sendable, CustomStringConvertible {
    case admit
    /// Answer `status` (503) with `Retry-After: retryAfter`.
    case reject(status: SIPStatus, retryAfter: UInt32, reason: AdmissionReason)
    /// Send nothing.
    case drop(reason: AdmissionReason)
    /// The source is on the blocklist until `until`: send nothing.
    case blocked(until: AdmissionInstant, reason: AdmissionReason)

    /// The reason the decision is counted under.
    public var reason: AdmissionReason {
        switch self {
        case .admit: .admitted
        case .reject(_, _, let reason), .drop(let reason), .blocked(_, let reason): reason
        }
    }

    public var isAdmitted: Bool { self == .admit }

    public var description: String {
        switch self {
        case .admit: "admit"
        case .reject(let status, let retryAfter, let reason):
            "reject \(status.code) retry-after=\(retryAfter) \(reason)"
        case .drop(let reason): "drop \(reason)"
        case .blocked(let until, let reason): "blocked until \(until) \(reason)"
        }
    }
}
