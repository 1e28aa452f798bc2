import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import TestSupport
import Testing

/// The sanity stage on the wire: a SIPp caller sends Gatehouse malformed-but-parseable INVITEs (no From tag, Max-Forwards
/// 0, a Via naming Gatehouse's own listener) and one from a known scanner
/// (`scenarios/uac-sanity-*`), and a SIPp callee behind Gatehouse must receive none of them, only the well-formed
/// control call between them. The caller's scenario itself checks what each probe gets: the check's status
/// (`sanity.action: reject`, `scanners.action: reject`) or nothing within 1.5 s (`drop`).
///
/// Addresses 127.0.3.51–54 and ports 22000–22999 belong to these tests: Gatehouse's access realm .51 (SIP 22060)
/// and interconnect realm .52 (SIP 22070), the caller .53 (SIP 22062) and the callee .54 (SIP 22064).
@Suite(.serialized)
struct SanityIntegrationTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    static func policy(dropping: Bool) throws -> Policy {
        let sanity =
            dropping
            ? "sanity: { action: drop, scanners: { action: drop } }"
            // Detection's default for a scanner (block its source) drops the request before `sanity.scanners`
            // answers it: `log` leaves the answer to the sanity stage.
            : "sanity: { action: reject, scanners: { action: reject, status: 403 } }\ndetection: { scanners: log }"
        return try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: sanity-test }
                realms:
                  access: { listen: ["udp://127.0.3.51:22060"] }
                  interconnect: { listen: ["udp://127.0.3.52:22070"] }
                peers:
                  pbx: { realm: access, addresses: ["127.0.3.53/32"] }
                  carrier: { realm: interconnect, addresses: ["127.0.3.54"], port: 22064, transport: udp }
                routes:
                  - { id: out, match: { from_peer: pbx }, to: "peer:carrier" }
                \(sanity)
                """, file: "sanity-test.yaml")
    }

    /// Runs `uac-sanity-NAME` against Gatehouse, with the `topology-busy` callee (it refuses the control call
    /// 486); returns the caller's outcome and what the callee received.
    static func probe(
        _ name: String, dropping: Bool
    ) async throws -> (
        caller: ExternalProcess.Outcome, callerLog: String, calleeSaw: SIPpTrace
    ) {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        var logger = Logger(label: "gatehouse.sanity-test")
        logger.logLevel = .critical
        let node = GatehouseNode(policy: try policy(dropping: dropping), logger: logger, threads: 1)
        return try await node.serving { _ in
            let calleeLog = workspace.directory + "/callee.log"
            let callerLog = workspace.directory + "/caller.log"
            let errors = workspace.directory + "/caller.errors"
            // Two calls at most: the control call, and a probe that got through (which the test then reports).
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uas-topology-busy.xml").path, "-i", "127.0.3.54", "-p",
                    "22064", "-mp", "22600", "-m", "2", "-nostdin", "-trace_msg", "-message_file", calleeLog,
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.3.54", 22064)])
            let caller = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uac-sanity-\(name).xml").path, "127.0.3.51:22060",
                    "-s", "+15551230000", "-i", "127.0.3.53", "-p", "22062", "-mp", "22610", "-m", "1", "-nostdin",
                    "-trace_msg", "-message_file", callerLog, "-trace_err", "-error_file", errors,
                ])
            defer { caller.stop() }
            var outcome = try await caller.finish(within: .seconds(30))
            outcome.output += (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            // Whatever a probe would have caused at the callee has arrived by now.
            try await Task.sleep(for: .milliseconds(500))
            callee.stop()
            return (
                outcome, (try? String(contentsOfFile: callerLog, encoding: .utf8)) ?? "",
                SIPpTrace((try? String(contentsOfFile: calleeLog, encoding: .utf8)) ?? "")
            )
        }
    }

    /// What the callee received: exactly the control call's INVITE and its ACK, nothing of any probe.
    static func expectOnlyTheControlCall(_ calleeSaw: SIPpTrace) {
        let invites = calleeSaw.received.filter { $0.hasPrefix("INVITE ") }
        #expect(invites.count == 1, "the callee received \(invites.count) INVITEs:\n\(calleeSaw.receivedText)")
        #expect(invites.first?.contains("Subject: sanity-control-call") == true, "the control call crossed")
        for probe in ["missing-from-tag", "max-forwards-zero", "via-loop", "scanner"] {
            #expect(!calleeSaw.receivedText.contains("sanity-probe-\(probe)"), "the probe \(probe) reached the callee")
        }
        #expect(!calleeSaw.receivedText.contains("friendly-scanner"))
    }

    /// Each probe is answered with its check's status (400, 483, 482; the scanner 403 as the policy says)
    /// and acknowledged; the SIPp scenario fails on any other answer.
    @Test func malformedRequestsAreAnsweredAndGoNoFurther() async throws {
        let result = try await Self.probe("rejected", dropping: false)
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(2000))")
        for status in ["400 ", "483 ", "482 ", "486 ", "403 "] {
            #expect(result.callerLog.contains("SIP/2.0 \(status)"), "the caller got no \(status)")
        }
        Self.expectOnlyTheControlCall(result.calleeSaw)
    }

    /// With `action: drop` (and scanners dropped, the default) the probes get nothing at all: the scenario fails
    /// on any answer in the 1.5 s after a probe.
    @Test func droppedRequestsGetNothingAndGoNoFurther() async throws {
        let result = try await Self.probe("dropped", dropping: true)
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(2000))")
        let answers = SIPpTrace(result.callerLog).received.filter { !$0.contains("sanity-control-call") }
        #expect(answers.allSatisfy { $0.hasPrefix("SIP/2.0 100") || $0.hasPrefix("SIP/2.0 486") }, "\(answers)")
        Self.expectOnlyTheControlCall(result.calleeSaw)
    }
}
