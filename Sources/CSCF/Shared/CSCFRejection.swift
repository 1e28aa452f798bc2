import SIPMessage

/// Why a CSCF refused a request: the SIP status it answers with and a reason for the log and the counters.
public struct CSCFRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public var status: SIPStatus
    /// A short, stable, machine-readable reason (a counter label): `user-unknown`, `wrong-response`, ….
    public var reason: String
    /// What a person reads in the log.
    public var detail: String

    public init(_ status: SIPStatus, reason: String, _ detail: String) {
        self.status = status
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(status.code) \(reason): \(detail)" }
}
