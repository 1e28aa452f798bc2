import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// The built-in fixes: private headers and the order of the inbound steps, Max-Forwards bounded, unsupported
/// Require/Proxy-Require options stripped (inbound), long header names (outbound).
@Suite struct NormalizationFixesTests {
    typealias F = NormalizationFixtures

    static func inbound(
        _ normalization: PeerNormalization, _ text: String = F.invite, stage: NormalizationStage = F.stage
    ) throws(IngressRejection) -> (message: SIPMessage, trace: [String]) {
        var message = try! F.message(text)
        var trace = PipelineTrace(recording: true)
        let context = RuleContext(peer: "pbx", message: message)!
        try stage.applyInbound(normalization, to: &message, context: context, trace: &trace)
        return (message, trace.entries.map(\.description))
    }

    /// Inbound order: private headers go first (a rule cannot see them), then the rules, then Max-Forwards, then
    /// Require stripping (which also sees what the rules added).
    @Test func inboundOrder() throws {
        let normalization = PeerNormalization(
            inbound: [
                HeaderRule(
                    .add("X-Seen", value: "acme"),
                    when: RuleCondition(hasHeader: try HeaderPattern(parsing: "X-Acme-*"))),
                HeaderRule(.add(.proxyRequire, value: "sec-agree")),
            ],
            stripUnsupportedRequires: true, maxForwards: 20,
            privateHeaders: [try HeaderPattern(parsing: "x-acme-*"), HeaderPattern(name: "X-Debug")])
        let (message, trace) = try Self.inbound(normalization)
        #expect(
            trace == [
                "[inbound-normalization] private_headers: removed X-Acme-Account, X-Acme-Route, x-debug",
                "[inbound-normalization] rule 1 (add X-Seen): skipped: no X-Acme-* header",
                "[inbound-normalization] rule 2 (add Proxy-Require): added Proxy-Require: sec-agree",
                "[inbound-normalization] max_forwards: lowered 70 to 20",
                "[inbound-normalization] strip_unsupported_requires: removed foo from Require",
                "[inbound-normalization] strip_unsupported_requires: removed bar, sec-agree from Proxy-Require",
            ])
        let lines = F.headerLines(message)
        #expect(lines.contains("Max-Forwards: 20") && lines.contains("Require: 100rel"))
        #expect(!lines.contains { $0.hasPrefix("Proxy-Require") || $0.lowercased().hasPrefix("x-") })
    }

    @Test func maxForwardsIsLoweredAddedOrKept() throws {
        let cap = PeerNormalization(maxForwards: 69)
        let lowered = try Self.inbound(cap)
        #expect(lowered.trace == ["[inbound-normalization] max_forwards: lowered 70 to 69"])
        #expect(F.headerLines(lowered.message)[1] == "Max-Forwards: 69")  // in place

        let kept = try Self.inbound(PeerNormalization(maxForwards: 70))
        #expect(kept.trace.isEmpty)
        #expect(kept.message.serialize() == Array(F.invite.utf8))

        let zero = try Self.inbound(cap, F.invite.replacingOccurrences(of: "Max-Forwards: 70", with: "Max-Forwards: 0"))
        #expect(try zero.message.maxForwards == 0)  // the engine answers 483

        let absent = try Self.inbound(cap, F.invite.replacingOccurrences(of: "Max-Forwards: 70\r\n", with: ""))
        #expect(absent.trace == ["[inbound-normalization] max_forwards: added Max-Forwards: 69"])
        #expect(try absent.message.maxForwards == 69)

        // Responses carry no Max-Forwards; none is added.
        let response = try Self.inbound(cap, F.ok)
        #expect(response.trace.isEmpty && !response.message.headers.contains(.maxForwards))
    }

    @Test func maxForwardsThatCannotBeReadIsRejected() throws {
        let cap = PeerNormalization(maxForwards: 70)
        let bad = F.invite.replacingOccurrences(of: "Max-Forwards: 70", with: "Max-Forwards: 300")
        let error = #expect(throws: IngressRejection.self) { try Self.inbound(cap, bad) }
        #expect(error?.code == "bad-max-forwards" && error?.status == .badRequest)
        #expect(error?.stage == .inboundNormalization)

        let twice = F.invite.replacingOccurrences(of: "Max-Forwards: 70", with: "Max-Forwards: 70\r\nMax-Forwards: 69")
        #expect(
            throws: IngressRejection(
                stage: .inboundNormalization, code: "duplicate-max-forwards", answer: .respond(.badRequest),
                detail: "Max-Forwards appears 2 times")
        ) {
            try Self.inbound(cap, twice)
        }

        // An ACK cannot be answered: it is dropped.
        let ack = bad.replacingOccurrences(of: "INVITE sip:", with: "ACK sip:").replacingOccurrences(
            of: "CSeq: 1 INVITE", with: "CSeq: 1 ACK")
        let ackError = #expect(throws: IngressRejection.self) { try Self.inbound(cap, ack) }
        #expect(ackError?.answer == .drop)
    }

    @Test func unsupportedRequireOptionsAreStripped() throws {
        let strip = PeerNormalization(stripUnsupportedRequires: true)
        let (message, trace) = try Self.inbound(strip)
        #expect(
            trace == [
                "[inbound-normalization] strip_unsupported_requires: removed foo from Require",
                "[inbound-normalization] strip_unsupported_requires: removed bar from Proxy-Require",
            ])
        let lines = F.headerLines(message)
        #expect(lines.contains("Require: 100rel") && !lines.contains { $0.hasPrefix("Proxy-Require") })

        // Nothing supported: the Require goes too. Every field is looked at.
        let none = NormalizationStage(supportedOptionTags: [])
        let twoFields = F.invite.replacingOccurrences(of: "Proxy-Require: bar", with: "Require: timer")
        let stripped = try Self.inbound(strip, twoFields, stage: none)
        #expect(
            stripped.trace == [
                "[inbound-normalization] strip_unsupported_requires: removed 100rel, foo, timer from Require"
            ])
        #expect(!stripped.message.headers.contains(.require))

        // Off by default, and never on responses (the tags of a response describe what the answerer did).
        #expect(try Self.inbound(PeerNormalization()).message.headers.fieldValues(.require).count == 1)
        let response = try Self.inbound(strip, F.ok)
        #expect(response.trace.isEmpty && response.message.headers.contains(.require))

        let malformed = F.invite.replacingOccurrences(of: "Require: 100rel, foo", with: "Require: 100rel, \"foo")
        let error = #expect(throws: IngressRejection.self) { try Self.inbound(strip, malformed) }
        #expect(error?.code == "bad-option-tag" && error?.status == .badRequest)
    }

    /// Outbound: rules first, then every compact name is written long, in place, values kept; Content-Length stays
    /// true.
    @Test func longHeaderNamesOutbound() throws {
        var message = try F.message()
        var trace = PipelineTrace(recording: true)
        let normalization = PeerNormalization(
            outbound: [HeaderRule(try F.remove("X-*", "P-*", "Require", "Proxy-Require", "User-Agent"))],
            longHeaderNames: true)
        F.stage.applyOutbound(
            normalization, to: &message, context: RuleContext(peer: "carrier", method: .invite), trace: &trace)
        #expect(
            trace.entries.map(\.description) == [
                "[outbound-normalization] rule 1 (remove X-*, P-*, Require, Proxy-Require, User-Agent): removed X-Acme-Account, X-Acme-Route, x-debug, P-Preferred-Identity, P-Asserted-Identity, User-Agent, Require, Proxy-Require",
                "[outbound-normalization] long_header_names: v → Via, f → From, t → To, i → Call-ID, m → Contact, k → Supported, c → Content-Type, l → Content-Length",
            ])
        #expect(
            F.lines(message) == [
                "INVITE sip:02079460000@gatehouse.test;user=phone SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-1",
                "Max-Forwards: 70",
                #"From: "Alice" <sip:02079460123@pbx.example;user=phone>;tag=a1"#,
                "To: <sip:02079460000@gatehouse.test>",
                "Call-ID: call-1@pbx.example",
                "CSeq: 1 INVITE",
                "Contact: <sip:alice@127.0.0.2:5060>",
                "Supported: timer",
                "Content-Type: application/sdp",
                "Content-Length: 0",
            ])
        // Off by default; inbound never writes long names.
        var untouched = try F.message()
        var quiet = PipelineTrace.off
        F.stage.applyOutbound(PeerNormalization(), to: &untouched, context: F.context, trace: &quiet)
        try F.stage.applyInbound(
            PeerNormalization(longHeaderNames: true), to: &untouched, context: F.context, trace: &quiet)
        #expect(untouched.serialize() == Array(F.invite.utf8))
    }

    /// Outbound rules can tell calls apart by the peer they came from.
    @Test func outboundRulesSeeThePeerTheMessageCameFrom() throws {
        let normalization = PeerNormalization(outbound: [
            HeaderRule(.set(.userAgent, value: "gatehouse"), when: RuleCondition(peers: ["pbx"]))
        ])
        for (peer, expected) in [("pbx", "User-Agent: gatehouse"), ("other-pbx", "User-Agent: AcmePBX/1.0")] {
            var message = try F.message()
            var trace = PipelineTrace.off
            F.stage.applyOutbound(
                normalization, to: &message, context: RuleContext(peer: peer, method: .invite), trace: &trace)
            #expect(F.headerLines(message).contains(expected))
        }
    }
}
