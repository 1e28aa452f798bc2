import Capture
import Foundation
import GatehousePolicy
import GatehouseServer
import SIPMessage
import Testing

/// `CaptureReplaySession` on captures the tests write themselves: exact verdict counts, the blocks a flood earns,
/// the rules that fired, and what `--emit` would write.
///
/// Addresses: node .231 (access) and .232 (interconnect); `pbx` .233; `carrier` .234; a scanner .235; a flooder
/// .236 (its own peer with a tight limit).
struct ReplayTests {
    static let policy = """
        version: 1
        node: { name: replay-test }
        realms:
          access: { listen: ["udp://127.0.0.231:5060", "tcp://127.0.0.231:5060"] }
          interconnect: { listen: ["udp://127.0.0.232:5060"] }
        peers:
          pbx:
            realm: access
            addresses: ["127.0.0.233/32"]
            numbering: { country_code: 1, national_prefix: "1", national_lengths: 10 }
            normalize: { inbound: [ { remove: "X-*" } ] }
          carrier: { realm: interconnect, addresses: ["127.0.0.234"], port: 5060, transport: udp }
          flooder:
            realm: access
            addresses: ["127.0.0.236"]
            limits: { messages_per_second: { rate: 1, burst: 3 }, block_offenders: true }
        admission:
          block: { after: 4, within: 10s, for: 30s }
        routes:
          - { id: out, match: { from_peer: pbx, number_prefix: "+1" }, to: "peer:carrier" }
        """

    static let node = IPAddress(parsing: "127.0.0.231")!
    static let interconnect = IPAddress(parsing: "127.0.0.232")!
    static let pbx = IPAddress(parsing: "127.0.0.233")!
    static let carrier = IPAddress(parsing: "127.0.0.234")!
    static let scanner = IPAddress(parsing: "127.0.0.235")!
    static let flooder = IPAddress(parsing: "127.0.0.236")!

    static func request(
        _ method: String, _ uri: String, from source: IPAddress, callID: String, headers: [String] = []
    ) -> [UInt8] {
        let lines =
            [
                "\(method) \(uri) SIP/2.0",
                "Via: SIP/2.0/UDP \(source):5060;branch=z9hG4bK-\(callID)",
                "Max-Forwards: 70",
                "From: <sip:2000@\(source)>;tag=t-\(callID)",
                "To: <\(uri)>",
                "Call-ID: \(callID)",
                "CSeq: 1 \(method)",
                "Contact: <sip:2000@\(source):5060>",
            ] + headers
        return Array((lines.joined(separator: "\r\n") + "\r\nContent-Length: 0\r\n\r\n").utf8)
    }

    /// Writes `packets` (payload, source, destination, seconds) as a pcap and replays it.
    static func replay(
        _ packets: [(payload: [UInt8], from: IPAddress, to: IPAddress, at: Double)], emit: Bool = false,
        tcp: [[UInt8]] = [], writesReport: Bool = true
    ) throws -> (summary: ReplaySummary, emitted: [[UInt8]], report: String) {
        let base = NSTemporaryDirectory() + "gatehouse-replay-\(getpid())-\(UUID().uuidString)"
        defer {
            for suffix in [".pcap", ".json", "-emit.pcap"] {
                try? FileManager.default.removeItem(atPath: base + suffix)
            }
        }
        let writer = try PcapFileWriter(path: base + ".pcap")
        for packet in packets {
            try writer.write(
                PacketBuilder.udpFrame(from: packet.from, 5060, to: packet.to, 5060, payload: packet.payload),
                timestamp: 1_700_000_000_000_000_000 + Int64(packet.at * 1e9))
        }
        for frame in tcp { try writer.write(frame, timestamp: 1_700_000_100_000_000_000) }
        try writer.flush()
        let session = CaptureReplaySession(policy: try PolicyLoader.load(yaml: policy, file: "replay-test.yaml"))
        let summary = try session.run(
            capture: base + ".pcap", report: writesReport ? base + ".json" : nil, emit: emit ? base + "-emit.pcap" : nil
        )
        var emitted: [[UInt8]] = []
        if emit {
            let reader = try PcapFileReader(path: base + "-emit.pcap")
            var decoder = CaptureDecoder()
            var messages: [CapturedMessage] = []
            while let packet = try reader.next() { decoder.decode(packet, into: &messages) }
            emitted = messages.compactMap {
                if case .message(let bytes) = $0.content { return bytes }
                return nil
            }
        }
        let report = writesReport ? try String(contentsOfFile: base + ".json", encoding: .utf8) : ""
        return (summary, emitted, report)
    }

    /// One message for every verdict, and a flooder that gets rate limited and then blocked.
    static func everyVerdictPackets() -> [(payload: [UInt8], from: IPAddress, to: IPAddress, at: Double)] {
        var packets: [(payload: [UInt8], from: IPAddress, to: IPAddress, at: Double)] = []
        // Accepted: an OPTIONS from an unknown source, answered 200 by Gatehouse.
        packets.append(
            (Self.request("OPTIONS", "sip:127.0.0.231", from: Self.scanner, callID: "o1"), Self.scanner, Self.node, 0))
        // Rewritten: the PBX dials a national number (→ E.164) with an X- header its rules remove.
        packets.append(
            (
                Self.request(
                    "INVITE", "sip:5551230000@127.0.0.231", from: Self.pbx, callID: "i1", headers: ["X-Trace: 1"]),
                Self.pbx, Self.node, 0.1
            ))
        // Rejected 404: no route for an unknown source's INVITE.
        packets.append(
            (
                Self.request("INVITE", "sip:+15551230000@127.0.0.231", from: Self.scanner, callID: "i2"), Self.scanner,
                Self.node, 0.2
            ))
        // Dropped: a scanner's User-Agent.
        packets.append(
            (
                Self.request(
                    "OPTIONS", "sip:100@127.0.0.231", from: Self.scanner, callID: "s1",
                    headers: ["User-Agent: friendly-scanner"]),
                Self.scanner, Self.node, 0.3
            ))
        // Unparseable: not SIP at all, sent to the SIP port.
        packets.append((Array("HELLO\r\n\r\n".utf8), Self.scanner, Self.node, 0.4))
        // The flooder: 3 pass, the next 4 are rate limited (the 4th offense blocks it), the last 2 are blocked.
        for index in 0..<9 {
            packets.append(
                (
                    Self.request("OPTIONS", "sip:127.0.0.231", from: Self.flooder, callID: "f\(index)"), Self.flooder,
                    Self.node,
                    1 + Double(index) * 0.01
                ))
        }
        // The node's own output in the capture: not replayed.
        packets.append((Array("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n".utf8), Self.node, Self.scanner, 2))
        return packets
    }

    /// Without a report the steps are not written out as text, and nothing else changes: the verdicts, the
    /// refusals and the rules that fired are counted the same.
    @Test func theSummaryIsTheSameWithoutAReport() throws {
        let withReport = try Self.replay(Self.everyVerdictPackets()).summary
        let without = try Self.replay(Self.everyVerdictPackets(), writesReport: false).summary
        #expect(without.byVerdict == withReport.byVerdict)
        #expect(without.byStatus == withReport.byStatus)
        #expect(without.refusals == withReport.refusals)
        #expect(without.rules == withReport.rules)
        #expect(without.rules["numbering: Request-URI"] == 1)
        #expect(without.blocks == withReport.blocks)
    }

    @Test func everyVerdictIsCountedExactly() throws {
        let packets = Self.everyVerdictPackets()
        let (summary, _, report) = try Self.replay(packets)
        #expect(summary.messages == 14)
        #expect(summary.sentByNode == 1)
        #expect(summary.count(.accepted) == 4)
        #expect(summary.count(.rewritten) == 1)
        #expect(summary.count(.rejected) == 1)
        #expect(summary.count(.dropped) == 1)
        #expect(summary.count(.unparseable) == 1)
        #expect(summary.count(.rateLimited) == 4)
        #expect(summary.count(.blocked) == 2)
        #expect(summary.byStatus[404] == 1)
        #expect(summary.byStatus[503] == 4)
        #expect(summary.refusals["sanity.scanner"] == 1)
        #expect(summary.refusals["admission.rate-limited"] == 4)
        #expect(summary.rules["inbound-normalization: rule 1 (remove X-*)"] == 1)
        #expect(summary.rules["numbering: Request-URI"] == 1)
        #expect(summary.blocks.map(\.address) == [Self.flooder])
        #expect(summary.blocks.first?.duration == .seconds(30))
        #expect(summary.topSources(1).first?.address == Self.flooder)
        let json = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
        let messages = json?["messages"] as? [[String: Any]]
        #expect(messages?.count == 14)
        #expect(messages?[2]["verdict"] as? String == "rejected")
        #expect(messages?[2]["status"] as? Int == 404)
        #expect(messages?[4]["verdict"] as? String == "unparseable")
        #expect((json?["summary"] as? [String: Any])?["messages"] as? Int == 14)
    }

    @Test func emitWritesTheCalleesINVITEFromTheInterconnectSideAndTheAnswers() throws {
        let packets: [(payload: [UInt8], from: IPAddress, to: IPAddress, at: Double)] = [
            (
                Self.request("INVITE", "sip:5551230000@127.0.0.231", from: Self.pbx, callID: "emit-1"), Self.pbx,
                Self.node, 0
            ),
            (
                Self.request("OPTIONS", "sip:127.0.0.231", from: Self.scanner, callID: "emit-2"), Self.scanner,
                Self.node, 0.1
            ),
        ]
        let (summary, emitted, _) = try Self.replay(packets, emit: true)
        #expect(summary.count(.rewritten) == 1)
        #expect(emitted.count == 2)
        let invite = try SIPMessage(parsing: try #require(emitted.first))
        #expect(invite.method == .invite)
        #expect(
            invite.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:+15551230000@127.0.0.234:5060")
        let text = String(decoding: emitted[0], as: UTF8.self)
        #expect(!text.contains("127.0.0.233"), "the access side leaks: \(text)")
        #expect(!text.contains("emit-1"), "the caller's Call-ID leaks")
        #expect(text.contains("127.0.0.232"))
        #expect(try SIPMessage(parsing: emitted[1]).statusCode == 200)
    }

    @Test func sipOverTCPIsFramedAndReplayed() throws {
        let first = Self.request("OPTIONS", "sip:127.0.0.231", from: Self.scanner, callID: "t1")
        let second = Self.request("OPTIONS", "sip:127.0.0.231", from: Self.scanner, callID: "t2")
        let stream = first + second
        func segment(_ range: Range<Int>, flags: UInt8 = 0x18) -> [UInt8] {
            let tcp = PacketBuilder.tcp(
                sourcePort: 40_000, destinationPort: 5060,
                sequence: 100 + UInt32(range.lowerBound) - (flags == 0x02 ? 1 : 0), flags: flags,
                payload: Array(stream[range]), source: Self.scanner, destination: Self.node)
            return PacketBuilder.frame(
                PacketBuilder.ip(from: Self.scanner, to: Self.node, protocol: 6, payload: tcp), link: .ethernet())
        }
        // The SYN, then the second half of the stream before the first.
        let cut = first.count + 20
        let (summary, _, report) = try Self.replay(
            [], tcp: [segment(0..<0, flags: 0x02), segment(cut..<stream.count), segment(0..<cut)])
        #expect(report.contains("\"transport\":\"tcp\""))
        #expect(summary.messages == 2)
        #expect(summary.count(.accepted) == 2)
    }
}
