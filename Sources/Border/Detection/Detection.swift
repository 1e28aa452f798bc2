import GatehousePolicy

/// One attack pattern recognized in one source's traffic, and what the policy wants done about it.
///
/// The edge carries it out once (STYLE rule 5): `.block` puts `source` on the blocklist for `blockFor` with
/// `reason` (so the kernel set, the counters and the log all say why), `.drop` drops the message that triggered it
/// (the detector then drops the source's messages for the detection's window), `.log` only counts and logs.
public struct Detection: Hashable, Sendable, CustomStringConvertible {
    /// What was recognized: `scanner`, `sweep`, `enumeration`, `malformed-storm`; also the blocklist reason.
    public var reason: AdmissionReason.Code
    public var action: DetectionSettings.Action
    public var source: IPAddress
    /// How long a `.block` lasts before escalation.
    public var blockFor: Duration
    /// A sentence for the log line.
    public var detail: String

    public init(
        reason: AdmissionReason.Code, action: DetectionSettings.Action, source: IPAddress, blockFor: Duration,
        detail: String
    ) {
        self.reason = reason
        self.action = action
        self.source = source
        self.blockFor = blockFor
        self.detail = detail
    }

    /// Whether the message that triggered it is to be dropped.
    public var dropsMessage: Bool { action != .log }

    public var description: String { "\(reason) from \(source) → \(action): \(detail)" }
}

extension AdmissionReason.Code {
    /// A request carried a known scanner's User-Agent or From/To marker (`sanity.scanners`).
    public static let scanner = Self(rawValue: "scanner")
    /// One source sent out-of-dialog OPTIONS or REGISTER to many distinct Request-URIs within the window.
    public static let sweep = Self(rawValue: "sweep")
    /// One source was answered 401/403/404/407/484 for many distinct users within the window.
    public static let enumeration = Self(rawValue: "enumeration")
    /// One source sent many messages that could not be parsed within the window.
    public static let malformedStorm = Self(rawValue: "malformed-storm")
}
