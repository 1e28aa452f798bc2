import GatehousePolicy

/// One blocked source address: from when, until when, why, and how many times in a row it has been blocked.
public struct BlocklistEntry: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    /// When the block started (the instant it was added).
    public var since: AdmissionInstant
    /// When the block ends; the address is not blocked at or after this instant.
    public var until: AdmissionInstant
    public var reason: AdmissionReason.Code
    /// 0 for a first block; n when the block is the n-th repeat within the escalation window, its duration doubled
    /// n times (up to the maximum).
    public var escalation: Int

    public init(
        address: IPAddress, since: AdmissionInstant, until: AdmissionInstant, reason: AdmissionReason.Code,
        escalation: Int = 0
    ) {
        self.address = address
        self.since = since
        self.until = until
        self.reason = reason
        self.escalation = escalation
    }

    /// How long the block lasts from `since`; a kernel set element's timeout.
    public var duration: Duration { until - since }

    /// Whether the block is in force at `now`.
    public func isActive(at now: AdmissionInstant) -> Bool { now < until }

    public var description: String { "\(address) until \(until) (\(reason), escalation \(escalation))" }
}
