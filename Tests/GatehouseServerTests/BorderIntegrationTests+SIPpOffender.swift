import Foundation
import GatehousePolicy
import GatehouseServer
import TestSupport
import Testing

/// A SIPp caller over its peer's call rate until admission blocks its address, a SIPp caller of another peer
/// during the block, and the former offender's next call once the block has expired.
///
/// Addresses and ports (no other test uses them): Gatehouse 127.0.4.1:23060 (access) and 127.0.4.2:23060
/// (interconnect); `offender-pbx` 127.0.4.3, `neighbour-pbx` 127.0.4.4 (their SIPps on port 23062); `carrier`
/// 127.0.4.5:23060 (a SIPp callee). Every SIPp's media port is 23100 on its own address.
extension BorderIntegrationTests {
    static let offenderBlock: Duration = .seconds(3)

    static func offenderPolicy() throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: offender-test }
                realms:
                  access: { listen: ["udp://127.0.4.1:23060"] }
                  interconnect: { listen: ["udp://127.0.4.2:23060"] }
                peers:
                  offender-pbx:
                    realm: access
                    addresses: ["127.0.4.3/32"]
                    limits: { calls_per_second: 1, block_offenders: true }
                  neighbour-pbx:
                    realm: access
                    addresses: ["127.0.4.4/32"]
                    limits: { calls_per_second: 1, block_offenders: true }
                  carrier: { realm: interconnect, addresses: ["127.0.4.5:23060"] }
                admission:
                  block: { after: 3, within: 10s, for: \(offenderBlock.components.seconds)s }
                routes:
                  - { id: out, match: { number_prefix: "+1" }, to: "peer:carrier" }
                """, file: "offender-test.yaml")
    }

    /// SIPp's arguments for a caller on `address` dialling `number` through Gatehouse's access side.
    static func offenderTestCaller(
        _ scenario: String, address: String, number: String, log: String, extra: [String]
    ) -> [String] {
        [
            "-sf", scenarios.appendingPathComponent(scenario).path, "127.0.4.1:23060", "-s", number, "-i", address,
            "-p", "23062", "-mi", address, "-mp", "23100", "-t", "u1", "-nostdin", "-trace_msg", "-message_file", log,
        ] + extra
    }

    /// `offender-pbx` may start one call a second, and each excess call is an offense. SIPp starts eight at once:
    /// the first is connected, the next three get 503 (the third offense blocks the address for three seconds)
    /// and the last four get nothing, each dropped and counted. `neighbour-pbx`, under the same limit of its own,
    /// is connected during the block. Once it has expired, the former offender is connected again.
    ///
    /// The flood runs without retransmissions (`-nr`) and gives up on an unanswered call after a second: a
    /// dropped INVITE retransmitted after the block would be a new offense, and a block that soon after the last
    /// one lasts twice as long.
    @Test func aSIPpCallerOverItsRateIsBlockedWhileAnotherPeerIsServedUntilTheBlockExpires() async throws {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.offenderPolicy())
        try await node.serving { _ in
            let calleeLog = workspace.directory + "/callee.log"
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", Self.scenarios.appendingPathComponent("uas-basic.xml").path, "-i", "127.0.4.5", "-p",
                    "23060", "-mi", "127.0.4.5", "-mp", "23100", "-t", "u1", "-nostdin", "-trace_msg",
                    "-message_file", calleeLog,
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.4.5", 23060)])
            func invitesReachingTheCallee(for number: String) -> Int {
                let log = (try? String(contentsOfFile: calleeLog, encoding: .utf8)) ?? ""
                return SIPpTrace(log).received.filter { $0.hasPrefix("INVITE sip:\(number)@") }.count
            }

            // The flood: eight calls at 100 a second.
            let floodLog = workspace.directory + "/flood.log"
            let floodStarted = ContinuousClock.now
            let flood = try ExternalProcess.start(
                sipp,
                Self.offenderTestCaller(
                    "uac-limited.xml", address: "127.0.4.3", number: "+15550001111", log: floodLog,
                    extra: ["-m", "8", "-r", "100", "-nr", "-recv_timeout", "1000"]))
            defer { flood.stop() }
            #expect(await eventually(.seconds(10)) { node.counters.snapshot.dropped["blocked", default: 0] >= 4 })
            // The block began after the flood started and before its drops were counted.
            let blockSeen = ContinuousClock.now

            // Another peer, while the offender is blocked: connected, its own limit untouched by the offender's.
            let neighbourLog = workspace.directory + "/neighbour.log"
            let neighbour = try await ExternalProcess.run(
                sipp,
                Self.offenderTestCaller(
                    "uac-basic.xml", address: "127.0.4.4", number: "+15550002222", log: neighbourLog,
                    extra: ["-m", "1"]))
            #expect(neighbour.status == 0, "neighbour:\n\(neighbour.output.suffix(1500))")
            #expect(
                ContinuousClock.now < floodStarted + Self.offenderBlock, "the neighbour's call outlasted the block")
            #expect(invitesReachingTheCallee(for: "+15550002222") == 1)

            // The flood's outcome: one call connected, three refused, four unanswered.
            let floodOutcome = try await flood.finish(within: .seconds(20))
            #expect(!floodOutcome.timedOut, "flood:\n\(floodOutcome.output.suffix(1500))")
            let trace = SIPpTrace((try? String(contentsOfFile: floodLog, encoding: .utf8)) ?? "")
            let invited = Set(
                SIPpTrace.values(of: ["Call-ID"], in: trace.sent.filter { $0.hasPrefix("INVITE ") }))
            let answered = Set(SIPpTrace.values(of: ["Call-ID"], in: trace.received))
            #expect(invited.count == 8, "\(invited)")
            #expect(trace.received.filter { $0.hasPrefix("SIP/2.0 503 ") }.count == 3)
            #expect(invited.subtracting(answered).count == 4, "INVITEs left unanswered by the block")
            #expect(invitesReachingTheCallee(for: "+15550001111") == 1)
            let counters = node.counters.snapshot
            #expect(counters.refused["admission.rate-limited", default: 0] == 3, "only the offender's")
            // The four INVITEs, and the ACK or BYE of the offender's that came after the block began.
            #expect((4...7).contains(counters.dropped["blocked", default: 0]), "\(counters.dropped)")

            // After the block: the former offender is connected again, and nothing more is dropped.
            let droppedBefore = counters.dropped["blocked", default: 0]
            try await Task.sleep(until: blockSeen + Self.offenderBlock + .milliseconds(300))
            let again = try await ExternalProcess.run(
                sipp,
                Self.offenderTestCaller(
                    "uac-basic.xml", address: "127.0.4.3", number: "+15550001111",
                    log: workspace.directory + "/after-block.log", extra: ["-m", "1"]))
            #expect(again.status == 0, "after the block:\n\(again.output.suffix(1500))")
            #expect(invitesReachingTheCallee(for: "+15550001111") == 2)
            // SIPp retransmits an unanswered INVITE, so a call still blocked could connect late, once the block
            // ended: the drop counter is what shows its first INVITE was admitted.
            #expect(node.counters.snapshot.dropped["blocked", default: 0] == droppedBefore)
        }
    }
}
