import Foundation
import GatehouseServer
import TestSupport
import Testing

/// Terminating to every registered contact (TS 24.229 §5.4.3.3 step 10): bob registered from two devices, both
/// ring, the first 2xx wins and the other device gets CANCEL.
///
/// Bob's second device is 127.0.1.11:63000 (this file's range: 127.0.1.11–29, ports 63000–63999).
extension IMSSessionIntegrationTests {
    static let bobsSecondDevice = (address: "127.0.1.11", port: 63000)

    /// Bob's phone (.64) answers; his second device (registered last, so the one a single-contact delivery would
    /// pick) rings until Gatehouse cancels it. The call connects with the phone, alice's BYE ends it, and one CDR
    /// names the phone.
    @Test func bothDevicesRingAndTheFirstAnswerWins() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            try await Self.register("bob", from: Self.bob.address, port: Self.bob.port, in: workspace)
            try await Self.register(
                "bob", from: Self.bobsSecondDevice.address, port: Self.bobsSecondDevice.port, in: workspace)
            try await Self.register("alice", from: Self.alice.address, port: Self.alice.port, in: workspace)
            let deviceLog = workspace.directory + "/bob-device.log"
            let device = try ExternalProcess.start(
                try Self.sipp,
                [
                    "-sf", Self.scenario("uas-cancel.xml"), "-i", Self.bobsSecondDevice.address, "-p",
                    "\(Self.bobsSecondDevice.port)", "-m", "1", "-nostdin", "-trace_msg", "-message_file", deviceLog,
                ])
            defer { device.stop() }
            try await device.waitUntilBound([.udp(Self.bobsSecondDevice.address, Self.bobsSecondDevice.port)])
            let logs = try await Self.aliceCalls("bob", node: node, workspace: workspace)
            let deviceOutcome = try await device.finish(within: .seconds(10))
            let seenByDevice = (try? String(contentsOfFile: deviceLog, encoding: .utf8)) ?? ""
            #expect(deviceOutcome.status == 0, "second device:\n\(deviceOutcome.output.suffix(1500))\n\(seenByDevice)")
            #expect(
                seenByDevice.contains("INVITE sip:bob@\(Self.bobsSecondDevice.address):\(Self.bobsSecondDevice.port)"))
            #expect(seenByDevice.contains("CANCEL sip:bob@"), "\(seenByDevice)")
            #expect(logs.callee.contains("INVITE sip:bob@\(Self.bob.address):\(Self.bob.port)"))
            #expect(await node.activeCallCount() == 0)
            let record = try await Self.onlyRecord(in: workspace.directory)
            #expect(record.callee.address == "udp:\(Self.bob.address):\(Self.bob.port)", "\(record.callee)")
            #expect(record.disconnect.side == .caller && record.answerTime != nil)
        }
    }

    /// Both of bob's devices ring and alice cancels: each device gets a CANCEL, alice gets one 487, and the one
    /// record says the caller ended the call unanswered.
    @Test func theCallersCancelReachesEveryDevice() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let node = Self.node(try Self.policy(state: workspace.directory + "/state.db"))
        try await node.serving { _ in
            try await Self.register("bob", from: Self.bob.address, port: Self.bob.port, in: workspace)
            try await Self.register(
                "bob", from: Self.bobsSecondDevice.address, port: Self.bobsSecondDevice.port, in: workspace)
            try await Self.register("alice", from: Self.alice.address, port: Self.alice.port, in: workspace)
            let device = try ExternalProcess.start(
                try Self.sipp,
                [
                    "-sf", Self.scenario("uas-cancel.xml"), "-i", Self.bobsSecondDevice.address, "-p",
                    "\(Self.bobsSecondDevice.port)", "-m", "1", "-nostdin",
                ])
            defer { device.stop() }
            try await device.waitUntilBound([.udp(Self.bobsSecondDevice.address, Self.bobsSecondDevice.port)])
            let logs = try await Self.aliceCalls(
                "bob", callee: ("uas-cancel.xml", Self.bob.address, Self.bob.port), caller: "ims-ue-call-cancel.xml",
                node: node, workspace: workspace)
            let deviceOutcome = try await device.finish(within: .seconds(10))
            #expect(deviceOutcome.status == 0, "second device:\n\(deviceOutcome.output.suffix(1500))")
            #expect(logs.callee.contains("CANCEL sip:bob@"), "\(logs.callee)")
            #expect(logs.caller.components(separatedBy: "SIP/2.0 487").count == 2, "\(logs.caller)")
            #expect(await node.activeCallCount() == 0)
            let record = try await Self.onlyRecord(in: workspace.directory)
            #expect(record.disconnect.side == .caller && record.disconnect.status == 487, "\(record.disconnect)")
            #expect(record.answerTime == nil)
        }
    }
}
