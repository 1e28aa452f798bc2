import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import Media
import TestSupport
import Testing

/// Refusals told in early media, with a SIPp caller: a call no route takes gets 183 with the MRF's SDP answer, the
/// announcement's RTP, then the 404 (no 200); a CANCEL during it gets 487 and stops it; without `mrf.refusals` the
/// same call gets the bare 404.
///
/// Addresses and ports: Gatehouse's access realm 127.0.2.21 (SIP udp 65500, media 65510–65529), the caller
/// 127.0.2.23 (SIP 65502, media 65530).
@Suite(.serialized)
struct MRFEarlyMediaIntegrationTests {
    static let gatehouse = "127.0.2.21"
    static let caller = "127.0.2.23"

    static func policy(directory: String, refusals: Bool) throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: early-media-test }
                realms:
                  access:
                    listen: ["udp://\(gatehouse):65500"]
                    media: { address: \(gatehouse), ports: 65510-65529, timeout: 20s }
                peers:
                  phones:
                    realm: access
                    addresses: ["127.0.2.20/30"]
                    numbering: { blocked_prefixes: ["+1900"], reject_with: { blocked-prefix: 404 } }
                mrf:
                  domain: mrf.test
                  announcements: { not-in-service: \(directory)/nis.wav }
                """ + (refusals ? "\n  refusals: { 404: not-in-service }\n" : "\n"), file: "early-media-test.yaml")
    }

    struct Outcome {
        var caller: ExternalProcess.Outcome
        var log: String
        var packets: [PacketCapture.Datagram]
        var counters: NodeCounters.Snapshot
    }

    static func run(scenario: String, refusals: Bool, callee: String = "nobody") async throws -> Outcome {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        try MRFIntegrationTests.wav(MRFIntegrationTests.announcement).write(
            to: URL(fileURLWithPath: workspace.directory + "/nis.wav"))
        var logger = Logger(label: "gatehouse.early-media-test")
        logger.logLevel = ProcessInfo.processInfo.environment["MRF_TEST_LOG"] == nil ? .warning : .debug
        let node = GatehouseNode(
            policy: try policy(directory: workspace.directory, refusals: refusals), logger: logger, threads: 1)
        let capture = try await PacketCapture.start(filter: "udp and host \(gatehouse) and portrange 65510-65530")
        defer { capture.abandon() }
        return try await node.serving { _ in
            let process = try ExternalProcess.start(
                sipp,
                [
                    "-sf", MRFIntegrationTests.scenarios.appendingPathComponent("\(scenario).xml").path,
                    "\(gatehouse):65500", "-s", "\(callee)@\(gatehouse):65500", "-i", caller, "-p", "65502",
                    "-mi", caller, "-mp", "65530", "-m", "1", "-nostdin", "-trace_msg",
                    "-message_file", workspace.directory + "/caller.log",
                ])
            let outcome = try await process.finish(within: .seconds(30))
            let packets = try await capture.stop()
            return Outcome(
                caller: outcome,
                log: (try? String(contentsOfFile: workspace.directory + "/caller.log", encoding: .utf8)) ?? "",
                packets: packets, counters: node.counters.snapshot)
        }
    }

    /// What the caller's media port received, decoded, from the first frame that is not silence.
    static func received(_ packets: [PacketCapture.Datagram]) -> [Int16] {
        packets.filter { $0.source == gatehouse && $0.destination == caller && $0.destinationPort == 65530 }
            .compactMap { RTPDatagram(bytes: MRFIntegrationTests.hexBytes($0.payload))?.payload }
            .drop { frame in frame.allSatisfy { $0 == G711Law.muLaw.silence } }
            .flatMap { G711Law.muLaw.decode($0) }
    }

    @Test func aCallNoRouteTakesHearsTheAnnouncementBeforeThe404() async throws {
        let outcome = try await Self.run(scenario: "uac-early-refusal", refusals: true)
        #expect(outcome.caller.status == 0, "caller:\n\(outcome.caller.output.suffix(1500))")
        #expect(outcome.log.contains("SIP/2.0 183 Session Progress"))
        #expect(outcome.log.contains("c=IN IP4 \(Self.gatehouse)"))
        #expect(outcome.log.contains("a=rtpmap:0 PCMU/8000"))
        #expect(outcome.log.contains("SIP/2.0 404"))
        #expect(!outcome.log.contains("SIP/2.0 200"))
        let received = Self.received(outcome.packets)
        #expect(
            MRFIntegrationTests.matches(received, MRFIntegrationTests.announcement),
            "received \(received.count) samples")
        #expect(outcome.counters.mrf["early-announce"] == 1)
    }

    @Test func withoutRefusalsTheSameCallGetsTheBare404() async throws {
        let outcome = try await Self.run(scenario: "uac-mrf-refused", refusals: false)
        #expect(outcome.caller.status == 0, "caller:\n\(outcome.caller.output.suffix(1500))")
        #expect(!outcome.log.contains("SIP/2.0 183"))
        #expect(Self.received(outcome.packets).isEmpty)
        #expect(outcome.counters.mrf["early-announce"] == nil)
    }

    /// Also for a number the numbering stage refused (whose CANCEL that stage would refuse too).
    @Test(arguments: ["nobody", "+19005550100"])
    func aCancelDuringTheAnnouncementGets487AndStopsIt(callee: String) async throws {
        let outcome = try await Self.run(scenario: "uac-early-refusal-cancel", refusals: true, callee: callee)
        #expect(outcome.caller.status == 0, "caller:\n\(outcome.caller.output.suffix(1500))")
        #expect(outcome.log.contains("SIP/2.0 487"))
        #expect(!outcome.log.contains("SIP/2.0 404"))
        #expect(outcome.counters.mrf["early-cancelled"] == 1)
        // Half a second of the 1.5 s announcement, give or take the capture's timing, and nothing after the CANCEL.
        let received = Self.received(outcome.packets)
        #expect(
            received.count > 0 && received.count < MRFIntegrationTests.announcement.count - 4000, "\(received.count)")
    }

    /// The numbering stage refuses a blocked prefix before any route is looked at: told the same way.
    @Test func aNumberTheNumberingStageRefusesHearsTheAnnouncementToo() async throws {
        let outcome = try await Self.run(scenario: "uac-early-refusal", refusals: true, callee: "+19005550100")
        #expect(outcome.caller.status == 0, "caller:\n\(outcome.caller.output.suffix(1500))")
        #expect(outcome.log.contains("SIP/2.0 183 Session Progress"))
        #expect(outcome.counters.refused["numbering.blocked-prefix"] == 1, "\(outcome.counters.refused)")
        let received = Self.received(outcome.packets)
        #expect(
            MRFIntegrationTests.matches(received, MRFIntegrationTests.announcement),
            "received \(received.count) samples")
        #expect(outcome.counters.mrf["early-announce"] == 1)
    }
}
