import Capture

#if canImport(Glibc)
    import Glibc
#endif

/// Writes `--report FILE.json` as the replay goes, one message at a time, so a capture of millions of messages
/// never holds its report in memory: `{"messages": [ {…}, … ], "summary": {…}}`.
public final class ReplayReportWriter {
    public let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var wroteMessage = false

    public init(path: String) throws(CaptureFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw CaptureFileError(path: path, detail: String(cString: strerror(errno))) }
        self.path = path
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 20)
        buffer += Array("{\"messages\":[\n".utf8)
    }

    deinit {
        close(descriptor)
    }

    public func write(_ message: ReplayedMessage) throws(CaptureFileError) {
        var object = JSONObject()
        object.add("index", message.index)
        object.add("timestamp", Self.timestampText(message.timestamp))
        object.add("source", "\(Self.endpoint(message.flow.source.description, message.flow.sourcePort))")
        object.add(
            "destination", "\(Self.endpoint(message.flow.destination.description, message.flow.destinationPort))")
        object.add("transport", message.flow.transport.rawValue)
        object.add("realm", message.realm)
        if let code = message.statusCode {
            object.add("status_code", code)
            object.add("cseq_method", message.method)
        } else {
            object.add("method", message.method)
        }
        object.add("call_id", message.callID)
        object.add("verdict", message.verdict.kind.rawValue)
        object.add("status", message.verdict.status?.code)
        object.add("stage", message.verdict.stage)
        object.add("code", message.verdict.code)
        object.add("reason", message.verdict.reason)
        if !message.trace.isEmpty {
            object.addRaw(
                "trace",
                "[" + message.trace.map { JSONObject.quoted("[\($0.stage)] \($0.text)") }.joined(separator: ",") + "]")
        }
        buffer += Array(((wroteMessage ? ",\n" : "") + object.text).utf8)
        wroteMessage = true
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Ends the message list with the summary and writes everything out.
    public func finish(_ summary: ReplaySummary) throws(CaptureFileError) {
        var object = JSONObject()
        object.add("messages", summary.messages)
        object.add("sent_by_node", summary.sentByNode)
        object.addRaw(
            "verdicts",
            JSONObject.map(ReplayVerdict.Kind.allCases.map { ($0.rawValue, "\(summary.count($0))") }))
        object.addRaw(
            "statuses", JSONObject.map(summary.byStatus.sorted { $0.key < $1.key }.map { ("\($0.key)", "\($0.value)") })
        )
        object.addRaw(
            "refusals", JSONObject.map(summary.refusals.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }))
        object.addRaw("rules", JSONObject.map(summary.rules.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }))
        object.addRaw(
            "top_sources",
            "["
                + summary.topSources().map {
                    "{\"address\":\(JSONObject.quoted($0.address.description)),\"messages\":\($0.messages)}"
                }
                .joined(separator: ",") + "]")
        object.addRaw(
            "blocks",
            "["
                + summary.blocks.map { block in
                    var entry = JSONObject()
                    entry.add("address", block.address.description)
                    entry.add("since", Self.timestampText(block.since))
                    entry.add("duration_seconds", Int(block.duration.components.seconds))
                    entry.add("reason", block.reason)
                    entry.add("escalation", block.escalation)
                    return entry.text
                }.joined(separator: ",") + "]")
        let capture = summary.capture
        var statistics = JSONObject()
        statistics.add("packets", capture.packets)
        statistics.add("not_sip", capture.notSIP)
        statistics.add("keep_alives", capture.keepAlives)
        statistics.add("fragments", capture.fragments)
        statistics.add("datagrams_reassembled", capture.datagramsReassembled)
        statistics.add("datagrams_abandoned", capture.datagramsAbandoned)
        statistics.add("tcp_gaps", capture.tcpGaps)
        statistics.add("tcp_flows_evicted", capture.tcpFlowsEvicted)
        statistics.addRaw(
            "undecoded", JSONObject.map(capture.undecoded.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }))
        object.addRaw("capture", statistics.text)
        buffer += Array(("\n],\n\"summary\":" + object.text + "}\n").utf8)
        try flush()
    }

    private func flush() throws(CaptureFileError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw CaptureFileError(path: path, detail: String(cString: strerror(errno))) }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// `seconds.nanoseconds` since the Unix epoch, as Wireshark's epoch time column shows it.
    public static func timestampText(_ nanoseconds: Int64) -> String {
        let fraction = String(nanoseconds % 1_000_000_000)
        return "\(nanoseconds / 1_000_000_000)." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }

    static func endpoint(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// A JSON object written field by field (strings escaped per RFC 8259 §7; nil values left out).
struct JSONObject {
    private var fields: [String] = []

    mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        fields.append("\(Self.quoted(key)):\(Self.quoted(value))")
    }

    mutating func add(_ key: String, _ value: Int?) {
        guard let value else { return }
        fields.append("\(Self.quoted(key)):\(value)")
    }

    mutating func addRaw(_ key: String, _ json: String) {
        fields.append("\(Self.quoted(key)):\(json)")
    }

    var text: String { "{" + fields.joined(separator: ",") + "}" }

    /// An object of numbers (values already JSON).
    static func map(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
