import Foundation
import GatehousePolicy
import Logging
import TestSupport
import Testing

@testable import GatehouseServer

/// Policy control and CDRs with real endpoints: a SIPp caller on the access side plays Debian's `g711a.pcap`
/// through Gatehouse to a SIPp callee that echoes it; the policy marks voice EF. tshark on `lo` shows the DSCP of
/// every datagram, and the CDR file the call's record.
///
/// Addresses 127.0.0.52–55 belong to these tests: Gatehouse's access realm .52 (media 52000–52499) and
/// interconnect realm .53 (media 52500–52999), the caller .54 and the callee .55 (SIP 5060, media 6000).
@Suite(.serialized)
struct PolicyControlIntegrationTests {
    static let scenarios = MediaIntegrationTests.scenarios

    static func policy(cdrDirectory: String, pcf: String) throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: pcf-test }
                realms:
                  access:
                    listen: ["udp://127.0.0.52:5060"]
                    media: { address: 127.0.0.52, ports: 52000-52499 }
                  interconnect:
                    listen: ["udp://127.0.0.53:5060"]
                    media: { address: 127.0.0.53, ports: 52500-52999 }
                peers:
                  pbx: { realm: access, addresses: ["127.0.0.54/32"] }
                  carrier: { realm: interconnect, addresses: ["127.0.0.55"], port: 5060, transport: udp }
                routes:
                  - { id: out, match: { from_peer: pbx }, to: "peer:carrier" }
                cdr: { directory: "\(cdrDirectory)" }
                pcf:
                \(pcf)
                """, file: "pcf-test.yaml")
    }

    static func node(_ policy: Policy) -> GatehouseNode {
        var logger = Logger(label: "gatehouse.pcf-test")
        logger.logLevel = ProcessInfo.processInfo.environment["MEDIA_TEST_LOG"] == nil ? .warning : .info
        return GatehouseNode(policy: policy, logger: logger, threads: 1)
    }

    /// The caller's PCMA crosses with DSCP 46 (EF) on every packet Gatehouse relays, on both legs, while the
    /// endpoints' own packets stay unmarked; after the caller's BYE the CDR file has the call's line.
    @Test func relayedVoiceIsMarkedAndTheCallRecorded() async throws {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let cdrDirectory = workspace.directory + "/cdr"
        let policy = try Self.policy(
            cdrDirectory: cdrDirectory,
            pcf: "  rules: [ { id: voice, match: { media: audio }, five_qi: 1, arp: 3, dscp: ef } ]")
        let capture = try await PacketCapture.start(
            filter: "udp and not port 5060 and (host 127.0.0.54 or host 127.0.0.55)")
        defer { capture.abandon() }
        let node = Self.node(policy)
        let (caller, callee, calls) = try await node.serving { _ in
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", Self.scenarios.appendingPathComponent("uas-media.xml").path, "-i", "127.0.0.55", "-p",
                    "5060", "-mi", "127.0.0.55", "-mp", "6000", "-rtp_echo", "-m", "1", "-nostdin",
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.0.55", 5060)])
            let caller = try ExternalProcess.start(
                sipp,
                [
                    "-sf", Self.scenarios.appendingPathComponent("uac-media.xml").path, "127.0.0.52:5060", "-s",
                    "+15551230000", "-i", "127.0.0.54", "-p", "5060", "-mi", "127.0.0.54", "-mp", "6000", "-m", "1",
                    "-nostdin",
                ])
            defer { caller.stop() }
            // While the call is up, the admin API lists it with its decision.
            let listed = await eventually(.seconds(5)) {
                await node.engine.callSummaries().first?.policyControl?.caller?.flows.first?.dscp == 46
            }
            let calls = await node.engine.callSummaries()
            #expect(listed, "the call's decision in /api/calls: \(calls)")
            return (
                try await caller.finish(within: .seconds(40)), try await callee.finish(within: .seconds(10)), calls
            )
        }
        let packets = try await capture.stopReadingDSCP()
        #expect(caller.status == 0, "caller:\n\(caller.output.suffix(1500))")
        #expect(callee.status == 0, "callee:\n\(callee.output.suffix(1500))")
        #expect(calls.first?.policyControl?.summary == "audio 5QI 1 DSCP 46 80 kbit/s")

        let relayed = packets.filter { $0.source == "127.0.0.52" || $0.source == "127.0.0.53" }
        let endpoints = packets.filter { $0.source == "127.0.0.54" || $0.source == "127.0.0.55" }
        #expect(relayed.count >= 200, "Gatehouse relayed \(relayed.count) datagrams toward the two endpoints")
        #expect(Set(relayed.map(\.destination)) == ["127.0.0.54", "127.0.0.55"])
        #expect(relayed.allSatisfy { $0.dscp == 46 }, "DSCP on relayed media: \(Set(relayed.map(\.dscp)))")
        #expect(endpoints.count >= 200)
        #expect(endpoints.allSatisfy { $0.dscp == 0 }, "the endpoints' own packets: \(Set(endpoints.map(\.dscp)))")

        let line = try await Self.cdrLines(in: cdrDirectory, count: 1).first
        let record = try #require(line)
        #expect((record["icid"] as? String)?.isEmpty == false)
        #expect(record["node"] as? String == "pcf-test")
        let callerParty = try #require(record["caller"] as? [String: Any])
        let calleeParty = try #require(record["callee"] as? [String: Any])
        #expect(callerParty["peer"] as? String == "pbx" && callerParty["realm"] as? String == "access")
        #expect(calleeParty["peer"] as? String == "carrier" && calleeParty["realm"] as? String == "interconnect")
        #expect(calleeParty["number"] as? String == "+15551230000", "\(calleeParty)")
        for key in ["setup_time", "answer_time", "end_time"] {
            let time = record[key] as? String ?? ""
            #expect(time.hasSuffix("Z") && time.contains("."), "\(key): \(time)")
        }
        let disconnect = try #require(record["disconnect"] as? [String: Any])
        #expect(disconnect["side"] as? String == "caller" && disconnect["status"] as? Int == 200, "\(disconnect)")
        #expect(record["codecs"] as? [String] == ["audio PCMA"])
        let media = try #require((record["media"] as? [[String: Any]])?.first)
        let played = (media["caller"] as? [String: Any])?["rtp_packets"] as? Int ?? 0
        #expect(played >= 200, "the caller's packets counted: \(media)")
        let decision = try #require(record["policy_control"] as? [String: Any])
        let flow = try #require(((decision["callee"] as? [String: Any])?["flows"] as? [[String: Any]])?.first)
        #expect(flow["dscp"] as? Int == 46 && flow["five_qi"] as? Int == 1 && flow["arp_priority"] as? Int == 3)
        #expect(flow["guaranteed_bitrate"] as? Int == 80_000 && flow["rule"] as? String == "voice")
    }

    /// An offer over the session allowance never reaches the callee: the caller gets 488, and no call starts.
    @Test func anOfferOverTheAllowanceIsRefused() async throws {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let policy = try Self.policy(
            cdrDirectory: workspace.directory + "/cdr", pcf: "  default: { max_bandwidth: 64kbit }")
        let node = Self.node(policy)
        let (caller, log, active) = try await node.serving { _ in
            let log = workspace.directory + "/caller.log"
            let caller = try ExternalProcess.start(
                sipp,
                [
                    "-sf", Self.scenarios.appendingPathComponent("uac-over-allowance.xml").path, "127.0.0.52:5060",
                    "-s", "+15551230000", "-i", "127.0.0.54", "-p", "5060", "-mi", "127.0.0.54", "-mp", "6000", "-m",
                    "1", "-nostdin", "-trace_msg", "-message_file", log,
                ])
            defer { caller.stop() }
            let outcome = try await caller.finish(within: .seconds(20))
            return (outcome, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "", await node.activeCallCount())
        }
        #expect(caller.status == 0, "caller:\n\(caller.output.suffix(1500))")
        #expect(log.contains("SIP/2.0 488 Media needs 80 kbit/s, over the session allowance of 64 kbit/s"), "\(log)")
        #expect(active == 0)
    }

    /// The JSON objects of the CDR file, once it has `count` lines.
    static func cdrLines(in directory: String, count: Int) async throws -> [[String: Any]] {
        let path = directory + "/cdr.jsonl"
        _ = await eventually(.seconds(5)) {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count >= count
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }
}

extension PacketCapture {
    struct MarkedDatagram: Hashable {
        var source: String
        var destination: String
        var dscp: Int
    }

    /// Stops the capture and reads each IPv4 datagram's addresses and DSCP (`ip.dsfield.dscp`).
    func stopReadingDSCP() async throws -> [MarkedDatagram] {
        try await Task.sleep(for: .milliseconds(300))
        process.send(signal: SIGINT)
        _ = try await process.finish(within: .seconds(10))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let read = try await ExternalProcess.run(
            tshark,
            ["-r", file, "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "ip.dst", "-e", "ip.dsfield.dscp"])
        return read.output.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, let dscp = Int(fields[2]) else { return nil }
            return MarkedDatagram(source: fields[0], destination: fields[1], dscp: dscp)
        }
    }
}
