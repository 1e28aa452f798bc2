import GatehouseServer

/// The replay summary as `gatehouse replay` prints it.
struct ReplaySummaryText {
    let summary: ReplaySummary

    init(_ summary: ReplaySummary) {
        self.summary = summary
    }

    var text: String {
        var lines: [String] = []
        let capture = summary.capture
        lines.append(
            "\(summary.messages) SIP messages replayed from \(capture.packets) packets"
                + " (\(summary.sentByNode) sent by the node itself, not replayed)")
        lines.append("verdicts:")
        for kind in ReplayVerdict.Kind.allCases {
            lines.append("  \(kind.rawValue.padding(14))\(summary.count(kind))")
        }
        if !summary.byStatus.isEmpty {
            lines.append("responses:")
            for (status, count) in summary.byStatus.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(String(status).padding(14))\(count)")
            }
        }
        if !summary.refusals.isEmpty {
            lines.append("refused by:")
            for (reason, count) in summary.refusals.sorted(by: {
                $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
            }) {
                lines.append("  \(reason.padding(40))\(count)")
            }
        }
        if !summary.rules.isEmpty {
            lines.append("rules that fired:")
            for (rule, count) in summary.rules.sorted(by: {
                $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
            }) {
                lines.append("  \(rule.padding(60))\(count)")
            }
        }
        lines.append("top sources:")
        for source in summary.topSources() {
            lines.append("  \(source.address.description.padding(40))\(source.messages)")
        }
        if !summary.blocks.isEmpty {
            lines.append("would be blocklisted:")
            for block in summary.blocks {
                lines.append(
                    "  \(block.address) at \(ReplayReportWriter.timestampText(block.since)) for "
                        + "\(block.duration.components.seconds) s (\(block.reason), escalation \(block.escalation))")
            }
        }
        var skipped = capture.undecoded.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if capture.notSIP > 0 { skipped.append("not SIP \(capture.notSIP)") }
        if capture.keepAlives > 0 { skipped.append("keep-alives \(capture.keepAlives)") }
        if !skipped.isEmpty { lines.append("packets skipped: " + skipped.joined(separator: ", ")) }
        if capture.fragments > 0 || capture.tcpGaps > 0 {
            lines.append(
                "reassembly: \(capture.fragments) fragments, \(capture.datagramsReassembled) datagrams reassembled, "
                    + "\(capture.datagramsAbandoned) abandoned; \(capture.tcpGaps) TCP gaps")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
