import Capture
import GatehousePolicy

/// The totals of a replay: messages by verdict, refusals by status, the busiest sources, the rules that fired,
/// and the blocks that would have been added.
public struct ReplaySummary: Sendable {
    /// SIP messages replayed (the node's own output excluded).
    public private(set) var messages = 0
    public private(set) var byVerdict: [ReplayVerdict.Kind: Int] = [:]
    /// Responses the replay would have sent, by status code (rejections, rate limits answered 503, parse errors).
    public private(set) var byStatus: [Int: Int] = [:]
    /// Refusals by `stage.code`: `admission.rate-limited`, `sanity.scanner`, `parse.missing-header`.
    public private(set) var refusals: [String: Int] = [:]
    /// Rules that changed or judged a message: normalization rules, numbering rewrites, trust removals.
    public private(set) var rules: [String: Int] = [:]
    public private(set) var bySource: [IPAddress: Int] = [:]
    /// Blocks the offender tracker would have added, in order.
    public internal(set) var blocks: [ReplayBlock] = []
    /// Messages sent by one of the policy's listeners: the node's own output, not replayed.
    public internal(set) var sentByNode = 0
    /// What the capture decoder saw besides SIP.
    public var capture = CaptureStatistics()

    public init() {}

    mutating func record(_ message: ReplayedMessage) {
        messages += 1
        byVerdict[message.verdict.kind, default: 0] += 1
        bySource[message.flow.source, default: 0] += 1
        if let status = message.verdict.status { byStatus[status.code, default: 0] += 1 }
        if message.verdict.kind != .accepted && message.verdict.kind != .rewritten, let stage = message.verdict.stage,
            let code = message.verdict.code
        {
            refusals["\(stage).\(code)", default: 0] += 1
        }
        for rule in message.rules { rules[rule, default: 0] += 1 }
    }

    /// The count of `kind`.
    public func count(_ kind: ReplayVerdict.Kind) -> Int { byVerdict[kind] ?? 0 }

    /// The `limit` busiest sources, busiest first (ties by address text, so the order is stable).
    public func topSources(_ limit: Int = 10) -> [(address: IPAddress, messages: Int)] {
        bySource.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.description < $1.key.description }
            .prefix(limit).map { ($0.key, $0.value) }
    }
}
