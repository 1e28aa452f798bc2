import Foundation
import TestSupport
import Testing

/// `gatehouse explain` as an operator runs it: the built executable, a policy file, a message file written in an
/// editor and `--from`. Its engine is `ExplainTests`'; these check what the command adds around it: reading
/// `--from` and the message file, the printed steps and verdict, and the exit status (0 forwarded or answered by
/// the node, 1 refused or dropped, 2 an unreadable policy, message file or `--from`).
struct ExplainCommandTests {
    static let lab = BuiltProducts.repository.appendingPathComponent("policies/lab.yaml").path

    /// The lab PBX's INVITE for a national number, lines ended by a bare LF, with or without the empty line that
    /// ends the header section.
    static func invite(callID: String = "explain-cli", endingHeaders: Bool = true) -> String {
        """
        INVITE sip:5551230000@127.0.0.10 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-\(callID)
        Max-Forwards: 70
        From: "Front Desk" <sip:2001@127.0.0.2>;tag=pbx1
        To: <sip:5551230000@127.0.0.10>
        Call-ID: \(callID)@127.0.0.2
        CSeq: 1 INVITE
        Contact: <sip:2001@127.0.0.2:5060>
        Content-Length: 0

        """ + (endingHeaders ? "\n" : "")
    }

    /// Two realms: an IPv6 PBX on `access` whose calls go to `carrier`, and `busy-pbx`, whose calls are refused.
    static let inlinePolicy = """
        version: 1
        node: { name: explain-cli }
        realms:
          access: { listen: ["udp://[::1]:5060", "udp://127.0.0.10:5060"] }
          interconnect: { listen: ["udp://127.0.0.20:5060"] }
        peers:
          v6-pbx: { realm: access, addresses: ["2001:db8::2/128"] }
          busy-pbx: { realm: access, addresses: ["127.0.0.7/32"] }
          carrier: { realm: interconnect, addresses: ["127.0.0.3"] }
        routes:
          - { id: v6-out, match: { from_peer: v6-pbx }, to: "peer:carrier" }
          - { id: busy, match: { from_peer: busy-pbx }, to: "reject:486" }
        """

    /// Runs `gatehouse explain ARGUMENTS`; the outcome's output is standard output and standard error together.
    static func explain(_ arguments: [String]) async throws -> ExternalProcess.Outcome {
        let binary = try BuiltProducts.gatehouse().get()
        let outcome = try await ExternalProcess.run(binary, ["explain"] + arguments)
        #expect(!outcome.timedOut)
        return outcome
    }

    /// The numbered step lines (`3. [admission] admit`) of an explanation, in order.
    static func steps(of output: String) -> [(number: Int, text: String)] {
        output.split(separator: "\n").compactMap { line in
            guard let dot = line.firstIndex(of: "."), let number = Int(line[..<dot]),
                line[line.index(after: dot)...].hasPrefix(" [")
            else { return nil }
            return (number, String(line[line.index(dot, offsetBy: 2)...]))
        }
    }

    @Test func anEditorsMessageFromThePBXIsExplainedStepByStepAndForwarded() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let message = try workspace.write("invite.sip", Self.invite())
        let outcome = try await Self.explain(["--policy", Self.lab, "--message", message, "--from", "127.0.0.2"])
        #expect(outcome.status == 0, "\(outcome.output)")

        let steps = Self.steps(of: outcome.output)
        #expect(steps.map(\.number) == Array(1...steps.count), "steps numbered from 1 without a gap")
        #expect(steps.first?.text == "[parse] INVITE from 127.0.0.2:5060 on realm access")
        let texts = steps.map(\.text)
        #expect(texts.contains("[peer] from peer lab-pbx (untrusted) on realm access"))
        #expect(texts.contains("[numbering] Request-URI sip:5551230000@127.0.0.10 → sip:+15551230000@127.0.0.10"))
        #expect(texts.contains { $0.hasPrefix("[routing] route 'pbx-enum'") })
        #expect(texts.last?.hasPrefix("[b2bua] new leg from udp://127.0.0.20:5060 toward peer lab-carrier") == true)

        // The verdict follows the steps, then an empty line and the INVITE that would leave, with LF endings.
        let lines = outcome.output.split(separator: "\n", omittingEmptySubsequences: false)
        let verdict = try #require(lines.firstIndex(of: "verdict: sent to peer lab-carrier"), "\(outcome.output)")
        #expect(verdict == steps.count)
        #expect(lines[verdict + 1] == "")
        #expect(lines[verdict + 2] == "INVITE sip:+15551230000@127.0.0.3:5060 SIP/2.0")
        #expect(!outcome.output.contains("\r"))
        #expect(!outcome.output.contains("explain-cli"), "the caller's Call-ID and branch stay behind")
    }

    /// LF or CRLF, with or without the empty line after the last header: the same message, the same explanation.
    @Test func lineEndingsAndAMissingEmptyLineDoNotChangeTheExplanation() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let files = [
            try workspace.write("lf.sip", Self.invite()),
            try workspace.write("crlf.sip", Self.invite().replacingOccurrences(of: "\n", with: "\r\n")),
            try workspace.write("lf-open.sip", Self.invite(endingHeaders: false)),
            try workspace.write(
                "crlf-open.sip", Self.invite(endingHeaders: false).replacingOccurrences(of: "\n", with: "\r\n")),
            try workspace.write("no-newline.sip", String(Self.invite(endingHeaders: false).dropLast())),
        ]
        var outputs: [String] = []
        for file in files {
            let outcome = try await Self.explain(["--policy", Self.lab, "--message", file, "--from", "127.0.0.2"])
            #expect(outcome.status == 0, "\(file):\n\(outcome.output)")
            outputs.append(outcome.output)
        }
        #expect(outputs[0].contains("verdict: sent to peer lab-carrier"))
        for (file, output) in zip(files, outputs) {
            #expect(output == outputs[0], "\(file) is explained differently")
        }
    }

    @Test func aPortInFromIsThePortTheMessageCameFrom() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let message = try workspace.write("invite.sip", Self.invite())
        let outcome = try await Self.explain(["--policy", Self.lab, "--message", message, "--from", "127.0.0.2:5070"])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(Self.steps(of: outcome.output).first?.text == "[parse] INVITE from 127.0.0.2:5070 on realm access")
    }

    /// An IPv6 source, bracketed with a port or not, bare without one; the realm is its peer's.
    @Test(arguments: [("[2001:db8::2]:5070", 5070), ("[2001:db8::2]", 5060), ("2001:db8::2", 5060)])
    func anIPv6SourceIsItsPeers(from: String, port: Int) async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let policy = try workspace.write("policy.yaml", Self.inlinePolicy)
        let message = try workspace.write(
            "invite.sip", Self.invite().replacingOccurrences(of: "127.0.0.2", with: "[2001:db8::2]"))
        let outcome = try await Self.explain(["--policy", policy, "--message", message, "--from", from])
        #expect(outcome.status == 0, "\(outcome.output)")
        let texts = Self.steps(of: outcome.output).map(\.text)
        #expect(texts.first == "[parse] INVITE from [2001:db8::2]:\(port) on realm access")
        #expect(texts.contains("[peer] from peer v6-pbx (untrusted) on realm access"))
        #expect(outcome.output.contains("verdict: sent to peer carrier\n"))
        #expect(outcome.output.contains("INVITE sip:5551230000@127.0.0.3:5060 SIP/2.0"))
    }

    /// A refusal by a route: its steps are printed all the same, and the exit status is 1.
    @Test func aRefusedMessageExitsWithOne() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let policy = try workspace.write("policy.yaml", Self.inlinePolicy)
        let message = try workspace.write("invite.sip", Self.invite())
        let outcome = try await Self.explain(["--policy", policy, "--message", message, "--from", "127.0.0.7"])
        #expect(outcome.status == 1, "\(outcome.output)")
        let texts = Self.steps(of: outcome.output).map(\.text)
        #expect(texts.first == "[parse] INVITE from 127.0.0.7:5060 on realm access")
        #expect(texts.contains { $0.hasPrefix("[routing] route 'busy'") })
        #expect(outcome.output.hasSuffix("verdict: answered 486 Busy Here\n"), "\(outcome.output)")
    }

    /// A message the parser refuses is a refusal (the node would answer 400), not an unreadable file.
    @Test func aMessageTheParserRefusesExitsWithOne() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let withoutCallID = Self.invite().split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Call-ID:") }.joined(separator: "\n")
        let message = try workspace.write("invite.sip", withoutCallID)
        let outcome = try await Self.explain(["--policy", Self.lab, "--message", message, "--from", "127.0.0.2"])
        #expect(outcome.status == 1, "\(outcome.output)")
        #expect(Self.steps(of: outcome.output).isEmpty)
        #expect(outcome.output.hasPrefix("verdict: rejected by the parser: "), "\(outcome.output)")
        #expect(outcome.output.contains("→ 400 Bad Request"))
    }

    @Test(arguments: [
        "pbx.example.net", "127.0.0.2:", "127.0.0.2:0", "127.0.0.2:65536", "127.0.0.2:+5070", "127.0.0.2:50 70",
        "127.0.0.300", "[::1]:", "[::1]x5070", "[::1]5070", "[::1", "[pbx]:5060", "",
    ])
    func aBadFromExitsWithTwo(from: String) async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let message = try workspace.write("invite.sip", Self.invite())
        let outcome = try await Self.explain(["--policy", Self.lab, "--message", message, "--from", from])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(outcome.output == "--from '\(from)' is not ADDRESS, ADDRESS:PORT or [IPv6]:PORT\n")
    }

    @Test func aMissingMessageFileExitsWithTwo() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let missing = workspace.directory + "/missing.sip"
        let outcome = try await Self.explain(["--policy", Self.lab, "--message", missing, "--from", "127.0.0.2"])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(outcome.output.hasPrefix("\(missing): "), "\(outcome.output)")
        #expect(!outcome.output.contains("verdict"))
    }

    /// A policy that cannot be read or is not valid: its problems as FILE:LINE:COLUMN, status 2, nothing explained.
    @Test func aMissingOrInvalidPolicyExitsWithTwo() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let message = try workspace.write("invite.sip", Self.invite())
        let missing = workspace.directory + "/missing.yaml"
        let notFound = try await Self.explain(["--policy", missing, "--message", message, "--from", "127.0.0.2"])
        #expect(notFound.status == 2, "\(notFound.output)")
        #expect(notFound.output.hasPrefix("\(missing): "), "\(notFound.output)")

        let invalid = try workspace.write(
            "invalid.yaml",
            Self.inlinePolicy.replacingOccurrences(of: "\"127.0.0.7/32\"", with: "\"127.0.0.7/8\""))
        let refused = try await Self.explain(["--policy", invalid, "--message", message, "--from", "127.0.0.7"])
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.hasPrefix("\(invalid):8:"), "\(refused.output)")
        #expect(refused.output.contains("bad-prefix-length"))
        #expect(!refused.output.contains("verdict"))
    }

    /// `--from` is required: ArgumentParser's usage error (64), naming it.
    @Test func withoutFromTheUsageIsShown() async throws {
        let outcome = try await Self.explain(["--policy", Self.lab, "--message", "/dev/null"])
        #expect(outcome.status == 64, "\(outcome.output)")
        #expect(outcome.output.contains("Missing expected argument '--from <from>'"))
    }
}
