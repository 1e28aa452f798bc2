import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import TestSupport
import Testing

/// Per-peer normalization end to end, SIPp on both sides: the callee peer's outbound rules on every message
/// Gatehouse sends it (the INVITE, the ACK, the BYE), the caller peer's inbound rules on its INVITE, and the caller
/// peer's outbound rules on the responses it gets back.
///
/// Addresses: Gatehouse .3.1 (access) and .3.2 (interconnect), port 20060; `pbx` .3.3:20062 (the SIPp caller,
/// media 20200), `carrier` .3.4:20064 (the SIPp callee, media 20300).
@Suite(.serialized)
struct NormalizationIntegrationTests {
    static func policy() throws -> Policy {
        try PolicyLoader.load(
            yaml: #"""
                version: 1
                node: { name: normalization-test }
                realms:
                  access: { listen: ["udp://127.0.3.1:20060"] }
                  interconnect: { listen: ["udp://127.0.3.2:20060"] }
                peers:
                  pbx:
                    realm: access
                    addresses: ["127.0.3.3/32"]
                    normalize:
                      inbound:
                        - { add: { header: X-Caller-Class, value: gold },
                            when: { header: { name: User-Agent, matches: 'Acme-PBX' } } }
                        - { add: { header: X-Caller-Class, value: silver },
                            when: { header: { name: User-Agent, matches: 'Other-PBX' } } }
                      outbound:
                        - add: { header: X-Edge, value: gatehouse }
                        - { add: { header: X-Bye-Answered, value: "yes" }, when: { method: BYE } }
                  carrier:
                    realm: interconnect
                    addresses: ["127.0.3.4"]
                    port: 20064
                    topology: { pass_headers: ["X-Internal-*", X-Caller-Class] }
                    normalize:
                      outbound:
                        - remove: "X-Internal-*"
                        - add: { header: X-Trunk, value: gw-9 }
                        - set: { header: Subject, value: via gatehouse }
                        - rewrite: { header: request_uri, part: user, pattern: '^\+1(\d+)$', replacement: '001$1' }
                        - rewrite: { header: To, part: user, pattern: '^\+1(\d+)$', replacement: '001$1' }
                        - { add: { header: X-Setup, value: "yes" }, when: { method: INVITE } }
                        - { add: { header: X-Hangup, value: caller }, when: { method: BYE } }
                      long_header_names: true
                routes:
                  - { id: out, match: { from_peer: pbx }, to: "peer:carrier" }
                """#, file: "normalization-test.yaml")
    }

    /// One call, hung up by the caller. The callee must not see the caller's `X-Internal-*` headers on the
    /// INVITE nor on the BYE (its pass list lets them through, its outbound rules remove them), and sees the
    /// headers its rules add, the BYE rule on the BYE only, the rewritten Request-URI and To on the INVITE, and
    /// the same To on the BYE (the dialog keeps what the INVITE carried). The caller's responses carry its own
    /// outbound additions, the BYE rule on the 200 to its BYE only.
    @Test func outboundRulesReachEveryMessageTowardThePeer() async throws {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let scenarios = B2BUAIntegrationTests.scenarios
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        var logger = Logger(label: "gatehouse.normalization-test")
        logger.logLevel = ProcessInfo.processInfo.environment["NORMALIZATION_TEST_LOG"] == nil ? .critical : .debug
        let node = GatehouseNode(policy: try Self.policy(), logger: logger, threads: 1)
        let calleeLog = workspace.directory + "/callee.log"
        let callerLog = workspace.directory + "/caller.log"
        try await node.serving { _ in
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uas-basic.xml").path, "-i", "127.0.3.4", "-p", "20064",
                    "-mp", "20300", "-t", "u1", "-m", "1", "-nostdin", "-trace_msg", "-message_file", calleeLog,
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.3.4", 20064)])
            let caller = try await ExternalProcess.run(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uac-normalization.xml").path, "127.0.3.1:20060",
                    "-s", "+15551230000", "-i", "127.0.3.3", "-p", "20062", "-mp", "20200", "-t", "u1", "-m", "1",
                    "-nostdin", "-trace_msg", "-message_file", callerLog,
                ], timeout: .seconds(60))
            #expect(caller.status == 0, "caller:\n\(caller.output.suffix(1500))")
            let calleeOutcome = try await callee.finish(within: .seconds(10))
            #expect(calleeOutcome.status == 0, "callee:\n\(calleeOutcome.output.suffix(1500))")
        }
        let calleeSaw = SIPpMessageLog(try String(contentsOfFile: calleeLog, encoding: .utf8)).received
        let invite = try #require(calleeSaw.first { $0.startLine.hasPrefix("INVITE ") }, "\(calleeSaw)")
        let ack = try #require(calleeSaw.first { $0.startLine.hasPrefix("ACK ") }, "\(calleeSaw)")
        let bye = try #require(calleeSaw.first { $0.startLine.hasPrefix("BYE ") }, "\(calleeSaw)")

        #expect(invite.startLine == "INVITE sip:0015551230000@127.0.3.4:20064 SIP/2.0")
        #expect(invite["To"] == ["<sip:0015551230000@127.0.3.4:20064>"])
        #expect(invite["X-Trunk"] == ["gw-9"])
        #expect(invite["Subject"] == ["via gatehouse"])
        #expect(invite["X-Setup"] == ["yes"])
        #expect(invite["X-Hangup"].isEmpty)
        // The caller's inbound rule whose condition held; the other one's did not.
        #expect(invite["X-Caller-Class"] == ["gold"])

        #expect(ack["X-Trunk"] == ["gw-9"], "the ACK for the 2xx passes the stage too")
        #expect(ack["X-Setup"].isEmpty && ack["X-Hangup"].isEmpty)

        #expect(bye.startLine.hasPrefix("BYE sip:callee@127.0.3.4:20064"))
        #expect(bye["To"].first?.hasPrefix("<sip:0015551230000@127.0.3.4:20064>;tag=") == true, "\(bye["To"])")
        #expect(bye["X-Trunk"] == ["gw-9"])
        #expect(bye["Subject"] == ["via gatehouse"])
        #expect(bye["X-Hangup"] == ["caller"])
        #expect(bye["X-Setup"].isEmpty)
        #expect(bye["X-Caller-Class"].isEmpty, "the BYE has no User-Agent: the inbound rule did not fire")

        for message in [invite, ack, bye] {
            #expect(!message.names.contains { $0.lowercased().hasPrefix("x-internal-") }, "\(message.names)")
            #expect(!message.names.contains { $0.count == 1 }, "a compact name: \(message.names)")
        }

        let callerSaw = SIPpMessageLog(try String(contentsOfFile: callerLog, encoding: .utf8)).received
        let inviteAnswers = callerSaw.filter { $0["CSeq"] == ["1 INVITE"] }
        let byeAnswer = try #require(callerSaw.first { $0["CSeq"] == ["2 BYE"] }, "\(callerSaw)")
        #expect(inviteAnswers.contains { $0.startLine.hasPrefix("SIP/2.0 200") })
        for answer in inviteAnswers where !answer.startLine.hasPrefix("SIP/2.0 100") {
            #expect(answer["X-Edge"] == ["gatehouse"], "\(answer.startLine)")
            #expect(answer["X-Bye-Answered"].isEmpty, "\(answer.startLine)")
        }
        #expect(byeAnswer["X-Edge"] == ["gatehouse"])
        #expect(byeAnswer["X-Bye-Answered"] == ["yes"])
    }
}

/// The messages of a SIPp `-trace_msg` log: blocks opened by a line of dashes, then `UDP message received [n]
/// bytes :` (or `sent`), a blank line and the message.
struct SIPpMessageLog {
    struct Message: CustomStringConvertible {
        var startLine: String
        var headers: [(name: String, value: String)]

        /// Header names as written on the wire, in order.
        var names: [String] { headers.map(\.name) }

        /// The values of a header, by its name as written (case ignored).
        subscript(name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }

        var description: String { ([startLine] + headers.map { "\($0.name): \($0.value)" }).joined(separator: "\n") }
    }

    var received: [Message] = []
    var sent: [Message] = []

    init(_ log: String) {
        // SIPp writes the messages' CRLFs as they are: "\r\n" is one Character, and a newline.
        let blocks = log.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
            .split { $0.hasPrefix("----------") }
        for block in blocks {
            guard let banner = block.first(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
            else {
                continue
            }
            let lines = block.drop { $0 != banner }.dropFirst().map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            .drop { $0.isEmpty }
            guard let startLine = lines.first else { continue }
            var headers: [(name: String, value: String)] = []
            for line in lines.dropFirst() {
                if line.isEmpty { break }  // the body follows
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append(
                    (
                        String(line[..<colon]).trimmingCharacters(in: .whitespacesAndNewlines),
                        String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespacesAndNewlines)
                    ))
            }
            let message = Message(startLine: startLine, headers: headers)
            if banner.contains("message received") {
                received.append(message)
            } else if banner.contains("message sent") {
                sent.append(message)
            }
        }
    }
}
