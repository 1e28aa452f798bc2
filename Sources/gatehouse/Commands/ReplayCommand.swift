import ArgumentParser
import Capture
import GatehousePolicy
import GatehouseServer

#if canImport(Glibc)
    import Glibc
#endif

/// `gatehouse replay CAPTURE --policy P`: what Gatehouse would have done to every SIP message of a capture.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run every SIP message of a pcap/pcapng capture through the ingress pipeline; print the verdicts.",
        discussion: """
            Reads Ethernet (with VLAN tags), Linux cooked (SLL, SLL2), raw IP and loopback captures; IPv4 and IPv6; \
            reassembles IP fragments and TCP streams. Admission (rate limits, the blocklist) runs on the packets' \
            timestamps with one state across the whole capture. Nothing is sent; ENUM uses the static table only. \
            Messages sent by one of the policy's listeners (the node's own output) are not replayed. \
            Exits 0 after a replay, 2 when the policy or the capture cannot be read.
            """)

    @Argument(help: "The capture file (pcap or pcapng).", completion: .file(extensions: ["pcap", "pcapng"]))
    var capture: String

    @Option(help: "The policy file.", completion: .file(extensions: ["yaml", "yml"]))
    var policy: String

    @Option(help: "Write a JSON report with a verdict per message.", completion: .file(extensions: ["json"]))
    var report: String?

    @Option(help: "Write what Gatehouse would have sent, as a pcap.", completion: .file(extensions: ["pcap"]))
    var emit: String?

    func run() throws {
        let loaded = try loadPolicyOrExit(policy)
        var session = CaptureReplaySession(policy: loaded)
        if isatty(2) != 0 {
            // One line on the terminal, rewritten in place (cursor up, erase line) after the first.
            var isFirst = true
            session.progress = { packets in
                printToStandardError((isFirst ? "" : "\u{1B}[1A\u{1B}[2K") + "\(packets) packets read…")
                isFirst = false
            }
        }
        let summary: ReplaySummary
        do {
            summary = try session.run(capture: capture, report: report, emit: emit)
        } catch {
            // libpcap's own message usually names the file already.
            printToStandardError(
                "gatehouse replay: " + (error.detail.hasPrefix(error.path) ? error.detail : error.description))
            throw ExitCode(2)
        }
        print(ReplaySummaryText(summary).text)
    }
}
