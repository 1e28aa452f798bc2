import GatehousePolicy
import SIPMessage

@testable import Border

/// A PBX's INVITE as a normalization stage sees it: compact names, private headers, a list of asserted identities,
/// unsupported option tags.
enum NormalizationFixtures {
    static let invite = """
        INVITE sip:02079460000@gatehouse.test;user=phone SIP/2.0\r
        v: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-1\r
        Max-Forwards: 70\r
        f: "Alice" <sip:02079460123@pbx.example;user=phone>;tag=a1\r
        t: <sip:02079460000@gatehouse.test>\r
        i: call-1@pbx.example\r
        CSeq: 1 INVITE\r
        m: <sip:alice@127.0.0.2:5060>\r
        X-Acme-Account: 42\r
        X-Acme-Route: b\r
        x-debug: on\r
        P-Preferred-Identity: <sip:+442079460123@pbx.example>\r
        P-Asserted-Identity: "Alice" <sip:+442079460123@pbx.example>, <tel:+442079460123>\r
        User-Agent: AcmePBX/1.0\r
        k: timer\r
        Require: 100rel, foo\r
        Proxy-Require: bar\r
        c: application/sdp\r
        l: 0\r
        \r

        """

    static let ok = """
        SIP/2.0 200 OK\r
        v: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-1\r
        f: <sip:alice@pbx.example>;tag=a1\r
        t: <sip:bob@gatehouse.test>;tag=b1\r
        i: call-1@pbx.example\r
        CSeq: 1 INVITE\r
        Require: foo\r
        X-Acme-Route: b\r
        l: 0\r
        \r

        """

    static func message(_ text: String = invite) throws -> SIPMessage {
        try SIPMessage(parsing: text)
    }

    static func lines(_ message: SIPMessage) -> [String] {
        String(decoding: message.serialize(), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// Header lines of the serialized message, without the start line.
    static func headerLines(_ message: SIPMessage) -> [String] {
        Array(lines(message).dropFirst())
    }

    static func rewrite(
        _ target: HeaderTarget, _ part: URIPart = .value, _ pattern: String, _ replacement: String
    ) throws -> HeaderAction {
        .rewrite(
            HeaderRewrite(
                target: target, part: part, pattern: try RewritePattern(pattern),
                replacement: try RewriteReplacement(parsing: replacement)))
    }

    static func remove(_ patterns: String...) throws -> HeaderAction {
        .remove(try patterns.map { try HeaderPattern(parsing: $0) })
    }

    static let stage = NormalizationStage(supportedOptionTags: ["100rel", "timer"])
    static let context = RuleContext(peer: "pbx", method: .invite)

    /// Runs inbound rules only (no fixes) and returns the trace lines.
    @discardableResult
    static func inbound(
        _ rules: [HeaderRule], on message: inout SIPMessage, context: RuleContext = context
    ) throws -> [String] {
        var trace = PipelineTrace(recording: true)
        try stage.applyInbound(PeerNormalization(inbound: rules), to: &message, context: context, trace: &trace)
        return trace.entries.map(\.text)
    }
}
