import Capture
import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import TestSupport
import Testing

/// Live capture (`capture:`): a SIPp call through the node lands in the rotating pcap files on both sides of the
/// border, with the addresses it had on the wire, and each message reaches a HEPv3 collector (a socket of the
/// test's own).
///
/// Addresses: the node's access realm 127.0.0.106 and interconnect realm .107, the caller and the collector .108,
/// the callee .109.
struct LiveCaptureTests {
    @Test func aCallIsCapturedOnBothSidesToFilesAndToTheCollector() async throws {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let collector = try SocketProbe(udpFrom: "127.0.0.108")
        let yaml = """
            version: 1
            node: { name: capture-test }
            realms:
              access: { listen: ["udp://127.0.0.106:5060"] }
              interconnect: { listen: ["udp://127.0.0.107:5060"] }
            peers:
              pbx: { realm: access, addresses: ["127.0.0.108/32"] }
              carrier: { realm: interconnect, addresses: ["127.0.0.109"], port: 5060 }
            routes:
              - { id: out, match: { from_peer: pbx }, to: "peer:carrier" }
            capture:
              directory: captures
              file_size: 64KB
              files: 4
              hep: { address: "127.0.0.108:\(collector.localPort)", agent_id: 77 }
            """
        var logger = Logger(label: "gatehouse.capture-test")
        logger.logLevel = .warning
        let node = GatehouseNode(
            policy: try PolicyLoader.load(yaml: yaml, file: "capture.yaml"), logger: logger, threads: 1,
            policyDirectory: workspace.directory)
        let scenarios = OperationsIntegrationTests.scenarios
        try await node.serving { _ in
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uas-basic.xml").path, "-i", "127.0.0.109", "-p", "5060",
                    "-m", "2", "-nostdin",
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.0.109", 5060)])
            let caller = try await ExternalProcess.run(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uac-basic.xml").path, "127.0.0.106:5060", "-s",
                    "+15551230000", "-i", "127.0.0.108", "-p", "5062", "-m", "2", "-nostdin",
                ], timeout: .seconds(60))
            #expect(caller.status == 0, "\(caller.output.suffix(1500))")
        }

        // Files: what each side saw, by (from, to, first line).
        let directory = workspace.directory + "/captures"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pcap") }
        #expect(names.count == 1 && names[0].hasPrefix("sip-capture-test-"), "\(names)")
        var decoder = CaptureDecoder()
        var messages: [CapturedMessage] = []
        for name in names {
            let reader = try PcapFileReader(path: directory + "/" + name)
            while let packet = try reader.next() { decoder.decode(packet, into: &messages) }
        }
        let lines = messages.compactMap { message -> String? in
            guard case .message(let bytes) = message.content else { return nil }
            let first = String(decoding: bytes.prefix { $0 != 0x0D }, as: UTF8.self)
            let flow = message.flow
            return "\(flow.source):\(flow.sourcePort)>\(flow.destination):\(flow.destinationPort) \(first)"
        }
        func count(_ prefix: String) -> Int { lines.filter { $0.hasPrefix(prefix) }.count }
        #expect(count("127.0.0.108:5062>127.0.0.106:5060 INVITE ") == 2, "\(lines)")
        #expect(count("127.0.0.107:5060>127.0.0.109:5060 INVITE ") == 2, "\(lines)")
        #expect(count("127.0.0.109:5060>127.0.0.107:5060 SIP/2.0 200") >= 2)
        #expect(count("127.0.0.106:5060>127.0.0.108:5062 SIP/2.0 200") >= 2)
        #expect(count("127.0.0.108:5062>127.0.0.106:5060 BYE ") == 2)
        #expect(count("127.0.0.107:5060>127.0.0.109:5060 BYE ") == 2)

        // The collector got every message of the files, each a well-formed HEP3 packet with agent id 77.
        let datagrams = collector.drainBytes()
        #expect(datagrams.count == lines.count, "\(datagrams.count) HEP packets for \(lines.count) captured messages")
        #expect(datagrams.allSatisfy { $0.starts(with: Array("HEP3".utf8)) })
        let invites = datagrams.filter { String(decoding: $0, as: UTF8.self).contains("INVITE sip:") }
        #expect(invites.count >= 4)
    }
}
