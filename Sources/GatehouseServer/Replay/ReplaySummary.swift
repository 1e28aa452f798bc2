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
        for line in message.trace {
            if let rule = Self.rule(of: line) { rules[rule, default: 0] += 1 }
        }
    }

    /// The count of `kind`.
    public func count(_ kind: ReplayVerdict.Kind) -> Int { byVerdict[kind] ?? 0 }

    /// The `limit` busiest sources, busiest first (ties by address text, so the order is stable).
    public func topSources(_ limit: Int = 10) -> [(address: IPAddress, messages: Int)] {
        bySource.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.description < $1.key.description }
            .prefix(limit).map { ($0.key, $0.value) }
    }

    /// The rule a trace line tells of, without the message's own values: `inbound-normalization: rule 2 (remove
    /// X-*)`, `numbering: Request-URI`, `peer: removed P-Asserted-Identity`; nil for lines that only report.
    /// Read byte by byte: it runs for every line of every message.
    static func rule(of line: PipelineTraceLine) -> String? {
        switch line.stage {
        case "inbound-normalization", "outbound-normalization":
            return "\(line.stage): \(line.text.utf8.prefix { $0 != UInt8(ascii: ":") }.string)"
        case "numbering":
            guard line.text.utf8.containsSequence(arrow) else { return nil }
            let field = line.text.utf8.prefix { $0 != UInt8(ascii: " ") }.string
            return line.text.utf8.containsSequence(toward)
                ? "numbering: \(field) written for the peer" : "numbering: \(field)"
        case "peer":
            return line.text.hasPrefix("removed") ? "peer: removed P-Asserted-Identity (untrusted sender)" : nil
        case "sanity":
            guard line.text.hasPrefix("ignored ") else { return nil }
            return "sanity: \(line.text.utf8.prefix { $0 != UInt8(ascii: ":") }.string)"
        default:
            return nil
        }
    }

    private static let arrow = Array("→".utf8)
    private static let toward = Array(" toward ".utf8)
}

extension Collection<UInt8> {
    /// Whether `needle` occurs in these bytes (a plain scan: trace lines are short).
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var index = startIndex
        while index != endIndex {
            if self[index] == first, self[index...].starts(with: needle) { return true }
            index = self.index(after: index)
        }
        return false
    }
}

extension Sequence<UInt8> {
    fileprivate var string: String { String(decoding: Array(self), as: UTF8.self) }
}
