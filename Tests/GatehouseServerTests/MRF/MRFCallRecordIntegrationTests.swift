import Foundation
import GatehousePolicy
import Logging
import NIOCore
import Synchronization
import TestSupport
import Testing

@testable import GatehouseServer

/// MRF calls as calls: each has one CDR when it ends (played and hung up by the MRF, hung up by the caller, refused,
/// ended by a drain), is listed by `/api/calls` with kind `mrf` while it lasts, and is counted by a drain.
///
/// Addresses and ports of these tests: Gatehouse's access realm 127.0.2.1 (SIP udp 65060, media 65100–65199),
/// callers 127.0.2.3–127.0.2.4 (SIP 65062, media 65200).
@Suite(.serialized)
struct MRFCallRecordIntegrationTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")
    static let gatehouse = "127.0.2.1"
    static let domain = "mrf.test"

    static func policy(directory: String) throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: mrf-cdr-test }
                realms:
                  access:
                    listen: ["udp://\(gatehouse):65060"]
                    media: { address: \(gatehouse), ports: 65100-65199, timeout: 20s }
                peers:
                  phones: { realm: access, addresses: ["127.0.2.2/31"] }
                routes: []
                mrf:
                  domain: \(domain)
                  announcements: { hello: \(directory)/hello.wav }
                cdr: { directory: "\(directory)/cdr" }
                """, file: "mrf-cdr-test.yaml")
    }

    struct Outcome {
        var caller: ExternalProcess.Outcome
        /// What `/api/calls` listed while the call was up.
        var listed: [CallSummary]
        var records: [CallDetailRecord]
        var endedByDrain: Int?
        var activeCalls: Int
    }

    /// One SIPp caller to `service`; with `drainAfter`, the node drains with that timeout once the call is listed.
    /// A call refused at once is never listed: `isListed` false skips the wait for it.
    static func run(
        scenario: String, service: String, caller: String = "127.0.2.3", drainAfter: Duration? = nil,
        isListed: Bool = true
    ) async throws -> Outcome {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        // 3 s of a 440 Hz tone: 150 frames of 20 ms. The call lasts as long as the announcement, and the test must
        // see it listed meanwhile: half a second was too short a window under the whole suite's load.
        let samples = (0..<24000).map { Int16(8000 * sin(2 * Double.pi * 440 * Double($0) / 8000)) }
        try MRFIntegrationTests.wav(samples).write(to: URL(fileURLWithPath: workspace.directory + "/hello.wav"))
        var logger = Logger(label: "gatehouse.mrf-cdr-test")
        logger.logLevel = .warning
        let node = GatehouseNode(policy: try policy(directory: workspace.directory), logger: logger, threads: 1)
        return try await node.serving { _ in
            let process = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("\(scenario).xml").path, "\(gatehouse):65060", "-s",
                    service, "-i", caller, "-p", "65062", "-mi", caller, "-mp", "65200", "-m", "1", "-nostdin",
                ])
            defer { process.stop() }
            // The listing is sampled on the engine's own loop: under the whole suite's load the test's task can
            // be kept from running for longer than the call lasts, and would then never see it listed.
            let listing = CallListingSampler(engine: node.engine)
            defer { listing.stop() }
            _ = await eventually(.seconds(isListed ? 40 : 0)) { !listing.firstSeen.isEmpty }
            let listed = listing.firstSeen
            var endedByDrain: Int?
            if let drainAfter { endedByDrain = await node.drain(timeout: drainAfter) }
            let outcome = try await process.finish(within: .seconds(40))
            _ = await eventually(.seconds(5)) { await node.activeCallCount() == 0 }
            let path = workspace.directory + "/cdr/cdr.jsonl"
            // The writer creates the file and then appends the line: wait for the line, not the file.
            _ = await eventually(.seconds(5)) {
                ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains("\n")
            }
            let records = try CallDetailRecord.records(
                inLines: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
            return Outcome(
                caller: outcome, listed: listed, records: records, endedByDrain: endedByDrain,
                activeCalls: await node.activeCallCount())
        }
    }

    /// The announcement plays and the MRF hangs up: the record has the caller, the PSI, PCMU, and the packets
    /// played; while it played, the call was listed as the MRF's.
    @Test func anAnnouncementCallHasOneRecord() async throws {
        let outcome = try await Self.run(scenario: "uac-mrf-announcement", service: "announce=hello@\(Self.domain)")
        #expect(outcome.caller.status == 0, "caller:\n\(outcome.caller.output.suffix(1500))")
        let summary = try #require(outcome.listed.first)
        #expect(summary.kind == "mrf")
        #expect(summary.callee == "sip:announce=hello@\(Self.domain)")
        #expect(summary.toPeer == "mrf" && summary.fromRealm == "access")
        #expect(outcome.records.count == 1)
        let record = try #require(outcome.records.first)
        #expect(record.call == summary.id && record.icid == summary.icid)
        #expect(record.icid.count == 32)
        #expect(record.node == "mrf-cdr-test")
        #expect(record.caller.uri == "sip:caller@127.0.2.3:65062")
        #expect(record.caller.address == "udp:127.0.2.3:65062" && record.caller.realm == "access")
        #expect(record.caller.peer == "phones" && summary.fromPeer == "phones")
        #expect(record.callee.uri == "sip:announce=hello@\(Self.domain)")
        #expect(record.callee.address == "udp:127.0.2.1:65060")
        #expect(record.answerTime != nil && record.durationSeconds != nil)
        #expect(
            record.disconnect == CallDetailRecord.Disconnect(status: 200, reason: "BYE from the MRF", side: .gatehouse))
        #expect(record.codecs == ["audio PCMU"])
        let played = try #require(record.media.first)
        #expect(played.callee.rtpPackets >= 150, "played \(played.callee.rtpPackets) packets")
        #expect(played.callee.rtpBytes == played.callee.rtpPackets * 172)
        #expect(outcome.activeCalls == 0)
    }

    /// A tone until the caller's BYE: the caller ended it, in PCMA.
    @Test func aCallerWhoHangsUpEndsTheRecord() async throws {
        let outcome = try await Self.run(scenario: "uac-mrf-listener", service: "tone=busy@\(Self.domain)")
        #expect(outcome.caller.status == 0, "caller:\n\(outcome.caller.output.suffix(1500))")
        let record = try #require(outcome.records.first)
        #expect(outcome.records.count == 1)
        #expect(record.disconnect == CallDetailRecord.Disconnect(status: 200, reason: "BYE", side: .caller))
        #expect(record.codecs == ["audio PCMA"])
        #expect((record.durationSeconds ?? 0) >= 7)
        #expect((record.media.first?.callee.rtpPackets ?? 0) >= 350)
    }

    /// A conference participant's record counts what the room's bridge sent it.
    @Test func aConferenceParticipantHasItsCounters() async throws {
        let outcome = try await Self.run(scenario: "uac-mrf-listener", service: "conf=team@\(Self.domain)")
        #expect(outcome.caller.status == 0, "caller:\n\(outcome.caller.output.suffix(1500))")
        let record = try #require(outcome.records.first)
        #expect(record.callee.uri == "sip:conf=team@\(Self.domain)")
        #expect(record.disconnect.side == .caller)
        #expect((record.media.first?.callee.rtpPackets ?? 0) >= 300, "\(record.media)")
    }

    /// An unknown announcement is refused 404: a record without an answer or media.
    @Test func aRefusedCallHasARecord() async throws {
        let outcome = try await Self.run(
            scenario: "uac-mrf-refused", service: "announce=nope@\(Self.domain)", isListed: false)
        #expect(outcome.caller.status == 0, "caller:\n\(outcome.caller.output.suffix(1500))")
        let record = try #require(outcome.records.first)
        #expect(record.disconnect.status == 404 && record.disconnect.side == .gatehouse)
        #expect(record.answerTime == nil && record.durationSeconds == nil)
        #expect(record.codecs.isEmpty && record.media.isEmpty)
    }

    /// A drain waits for the MRF's call and, at its timeout, ends it with the MRF's BYE.
    @Test func aDrainEndsAnMRFCall() async throws {
        let outcome = try await Self.run(
            scenario: "uac-mrf-listener", service: "tone=busy@\(Self.domain)", caller: "127.0.2.4",
            drainAfter: .seconds(1))
        #expect(outcome.endedByDrain == 1)
        let record = try #require(outcome.records.first)
        #expect(
            record.disconnect
                == CallDetailRecord.Disconnect(status: 503, reason: "Node shutting down", side: .gatehouse))
        #expect((record.durationSeconds ?? 10) < 5)
        #expect(outcome.activeCalls == 0)
    }
}

/// The first non-empty list of calls the engine had, looked at every 5 ms on the engine's loop (a thread of its
/// own, which the suite's load on the test tasks' threads does not hold up).
final class CallListingSampler: Sendable {
    private let seen = Mutex<[CallSummary]>([])
    private let task = Mutex<RepeatedTask?>(nil)

    init(engine: CallEngine) {
        let repeated = engine.loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(5)) {
            [weak self] _ in
            let summaries = engine.currentCallSummaries()
            guard !summaries.isEmpty else { return }
            self?.seen.withLock { if $0.isEmpty { $0 = summaries } }
        }
        task.withLock { $0 = repeated }
    }

    var firstSeen: [CallSummary] { seen.withLock { $0 } }

    func stop() {
        task.withLock { $0?.cancel() }
    }
}
