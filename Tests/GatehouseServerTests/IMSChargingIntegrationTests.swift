import Foundation
import GatehouseServer
import TestSupport
import Testing

/// Charging of IMS sessions: the ICID the P-CSCF creates at the first hop is the one every leg's CDR records, and
/// it leaves the trust domain only toward a peer the policy trusts with P-Charging-Vector.
extension IMSSessionIntegrationTests {
    /// Alice calls bob, both registered with AKA; alice's BYE ends the call, and exactly one CDR line appears: the
    /// session's ICID (not the one alice's UE forged), both parties as the core identified them, the times of
    /// setup, answer and end in order, who ended it and how, the codec and the relayed packets of both legs.
    @Test func aCallBetweenUEsLeavesOneRecord() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            try await Self.register("bob", from: Self.bob.address, port: Self.bob.port, in: workspace)
            try await Self.register("alice", from: Self.alice.address, port: Self.alice.port, in: workspace)
            _ = try await Self.aliceCalls("bob", node: node, workspace: workspace)
            let record = try await Self.onlyRecord(in: workspace.directory)
            #expect(record.icid.count == 32 && record.icid.allSatisfy(\.isHexDigit), "icid \(record.icid)")
            #expect(record.caller.uri == "sip:alice@ims.gatehouse.test")
            #expect(record.callee.uri == "sip:bob@ims.gatehouse.test")
            #expect(record.caller.realm == "access" && record.callee.realm == "access")
            #expect(record.caller.address == "udp:\(Self.alice.address):\(Self.alice.port)", "\(record.caller)")
            #expect(record.callee.address == "udp:\(Self.bob.address):\(Self.bob.port)", "\(record.callee)")
            let answered = try #require(record.answerTime)
            #expect(record.setupTime <= answered && answered < record.endTime)
            #expect((record.durationSeconds ?? 0) >= 5, "alice talks for 5.5 s: \(record.durationSeconds ?? 0)")
            #expect(record.disconnect.status == 200 && record.disconnect.side == .caller, "\(record.disconnect)")
            #expect(record.codecs == ["audio PCMA"])
            let media = try #require(record.media.first)
            #expect(media.caller.rtpPackets >= 100 && media.callee.rtpPackets >= 100, "\(media)")
        }
    }

    /// Alice dials a number served by the carrier, which the policy trusts with P-Charging-Vector: the INVITE
    /// toward it carries the session's ICID, the one the CDR records.
    @Test func theICIDGoesToACarrierTrustedWithIt() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let policy = try Self.policy(
            state: workspace.directory + "/state.db",
            carrier: "\n    topology: { pass_headers: [P-Charging-Vector] }")
        let node = Self.node(policy)
        try await node.serving { _ in
            try await Self.register("alice", from: Self.alice.address, port: Self.alice.port, in: workspace)
            let logs = try await Self.aliceCalls(
                "+15551230000", callee: ("uas-media.xml", Self.carrier, 5060), node: node, workspace: workspace)
            let record = try #require(try await Self.records(in: workspace.directory, count: 1).first)
            #expect(logs.callee.contains("P-Charging-Vector: icid-value=\(record.icid)"), "\(logs.callee)")
            #expect(!logs.callee.contains("forged-by-the-ue"))
            #expect(record.caller.uri == "sip:alice@ims.gatehouse.test")
            #expect(record.callee.number == "+15551230000" && record.callee.peer == "carrier", "\(record.callee)")
        }
    }

    /// The call's one record in `directory`: it waits for the first line, then half a second more, and expects no
    /// second line by then (a second record would come at once with the first: both legs end on the same BYE).
    static func onlyRecord(in directory: String) async throws -> CallDetailRecord {
        let records = try await records(in: directory, count: 1)
        try await Task.sleep(for: .milliseconds(500))
        let later = try await Self.records(in: directory, count: 1)
        #expect(later.count == 1, "\(later)")
        return try #require(records.first)
    }

    /// The records of `cdr.jsonl` in `directory`, once it has `count` lines (or after 5 s).
    static func records(in directory: String, count: Int) async throws -> [CallDetailRecord] {
        let path = directory + "/cdr.jsonl"
        _ = await eventually(.seconds(5)) {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count >= count
        }
        return try CallDetailRecord.records(inLines: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }
}
