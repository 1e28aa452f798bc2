import SIPMessage
import Testing

@testable import SIPStack

/// A call from a PBX on the access realm to a carrier on the interconnect realm, with a secret in every place
/// where the near side could leak to the far side.
enum B2BUAFixtures {
    static let ingress = SIPEndpoint(transport: .udp, host: "127.0.0.10", port: 5060)
    static let egress = SIPEndpoint(transport: .udp, host: "127.0.0.20", port: 5060)
    static let target = try! URI(parsing: "sip:+15551230000@127.0.0.3:5060")

    static let sdp =
        "v=0\r\no=- 1 1 IN IP4 198.51.100.50\r\ns=-\r\nc=IN IP4 198.51.100.50\r\nt=0 0\r\n"
        + "m=audio 40000 RTP/AVP 0\r\n"

    /// What the caller's side must never show on the outbound leg.
    static let inboundSecrets = [
        "a-leg-call-7f3e", "atag-1234", "a-branch-5551", "a-proxy-77", "10.9.8.7", "5077", "a-side.example", "5999",
        "pbx-internal", "5071", "secret-pai", "P-Asserted-Identity", "X-Internal-Trace", "trace-secret-42",
        "SecretPBX", "127.0.0.10",
    ]

    /// What the callee's side must never show on the inbound leg (plus the outbound leg's own identifiers).
    static let outboundSecrets = [
        "rr.b-side.example", "btag-9876", "b-side.example", "5090", "SecretSBC-B", "X-B-Secret", "b-secret-value",
        "b-icid-secret", "P-Charging-Vector", "127.0.0.20", "b-bye-", "b-reinvite-",
    ]

    static func parse(_ lines: [String], body: String = "") throws -> SIPMessage {
        try SIPMessage(parsing: lines.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    static func text(_ message: SIPMessage) -> String {
        String(decoding: message.serialize(), as: UTF8.self)
    }

    /// Records an issue for each secret found in the message's bytes.
    static func expectNone(
        of secrets: [String], in message: SIPMessage, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let bytes = text(message)
        for secret in secrets {
            #expect(!bytes.contains(secret), "leaked \(secret):\n\(bytes)", sourceLocation: sourceLocation)
        }
    }

    static func inboundInvite(
        maxForwards: String? = "42", supported: String = "100rel, timer, replaces", require: String? = nil,
        sessionExpires: String? = "1800"
    ) throws -> SIPMessage {
        var lines = [
            "INVITE sip:+15551230000@127.0.0.10 SIP/2.0",
            "Via: SIP/2.0/UDP 10.9.8.7:5077;branch=z9hG4bK-a-branch-5551;rport",
            "Via: SIP/2.0/TCP proxy.a-side.example:5999;branch=z9hG4bK-a-proxy-77",
        ]
        if let maxForwards { lines.append("Max-Forwards: \(maxForwards)") }
        lines += [
            "Record-Route: <sip:rr.a-side.example;lr>",
            "From: \"Alice\" <sip:alice@caller.test>;tag=atag-1234",
            "To: <sip:+15551230000@callee.test>",
            "Call-ID: a-leg-call-7f3e@10.9.8.7",
            "CSeq: 314 INVITE",
            "Contact: <sip:alice@pbx-internal.a-side.example:5071>",
            "Supported: \(supported)",
            "Allow: INVITE, ACK, BYE, CANCEL, PRACK, UPDATE, INFO",
            "Subject: hello",
            "User-Agent: SecretPBX/1.0",
            "P-Asserted-Identity: <sip:secret-pai@pai.example>",
            "X-Internal-Trace: trace-secret-42",
            "Content-Type: application/sdp",
        ]
        if let require { lines.append("Require: \(require)") }
        if let sessionExpires { lines.append("Session-Expires: \(sessionExpires)") }
        return try parse(lines, body: sdp)
    }

    /// The callee's response to a request Gatehouse sent on the outbound leg, through a record-routing proxy.
    static func calleeResponse(
        to request: SIPMessage, _ code: Int, _ reason: String, toTag: String? = "btag-9876",
        contact: String = "<sip:callee@uas.b-side.example:5090>", extra: [String] = [], body: String = ""
    ) throws -> SIPMessage {
        try response(
            to: request, code, reason, toTag: toTag,
            extra: [
                "Record-Route: <sip:rr.b-side.example;lr>", "Contact: \(contact)", "Server: SecretSBC-B/2.0",
                "X-B-Secret: b-secret-value", "P-Charging-Vector: icid-value=b-icid-secret",
            ] + extra + (body.isEmpty ? [] : ["Content-Type: application/sdp"]), body: body)
    }

    /// The caller's response to a request Gatehouse sent on the inbound leg.
    static func callerResponse(
        to request: SIPMessage, _ code: Int, _ reason: String, contact: String? = nil, body: String = ""
    ) throws -> SIPMessage {
        try response(
            to: request, code, reason, toTag: nil,
            extra: (contact.map { ["Contact: \($0)"] } ?? []) + ["User-Agent: SecretPBX/1.0"]
                + (body.isEmpty ? [] : ["Content-Type: application/sdp"]), body: body)
    }

    /// A response echoing the request's Via, From, To, Call-ID and CSeq; `toTag` is added when To has none.
    static func response(
        to request: SIPMessage, _ code: Int, _ reason: String, toTag: String?, extra: [String], body: String
    ) throws -> SIPMessage {
        var lines = ["SIP/2.0 \(code) \(reason)"]
        for name in [HeaderName.via, .from, .to, .callID, .cseq] {
            for value in request.headers.fieldValues(name) {
                var text = String(decoding: value, as: UTF8.self)
                if name == .to, let toTag, try request.to.tag == nil { text += ";tag=\(toTag)" }
                lines.append("\(name.canonical): \(text)")
            }
        }
        return try parse(lines + extra, body: body)
    }

    /// A request from the caller within the call (on the inbound leg).
    static func callerRequest(
        _ method: String, cseq: Int, legs: CallLegs, extra: [String] = [], body: String = ""
    ) throws -> SIPMessage {
        try parse(
            [
                "\(method) sip:127.0.0.10:5060 SIP/2.0",
                "Via: SIP/2.0/UDP 10.9.8.7:5077;branch=z9hG4bK-a-\(method.lowercased())-\(cseq)",
                "Max-Forwards: 70",
                "From: \"Alice\" <sip:alice@caller.test>;tag=atag-1234",
                "To: <sip:+15551230000@callee.test>;tag=\(legs.inbound.localTag)",
                "Call-ID: a-leg-call-7f3e@10.9.8.7",
                "CSeq: \(cseq) \(method)",
                "User-Agent: SecretPBX/1.0",
                "X-Internal-Trace: trace-secret-42",
            ] + extra + (body.isEmpty ? [] : ["Content-Type: application/sdp"]), body: body)
    }

    /// A request from the callee within the call (on the outbound leg).
    static func calleeRequest(
        _ method: String, cseq: Int, legs: CallLegs, extra: [String] = [], body: String = ""
    ) throws -> SIPMessage {
        try parse(
            [
                "\(method) sip:127.0.0.20:5060 SIP/2.0",
                "Via: SIP/2.0/UDP uas.b-side.example:5090;branch=z9hG4bK-b-\(method.lowercased())-\(cseq)",
                "Max-Forwards: 70",
                "From: <sip:+15551230000@callee.test>;tag=btag-9876",
                "To: \"Alice\" <sip:alice@caller.test>;tag=\(legs.outbound.localTag)",
                "Call-ID: \(legs.outbound.callID)",
                "CSeq: \(cseq) \(method)",
                "Server: SecretSBC-B/2.0",
                "X-B-Secret: b-secret-value",
            ] + extra + (body.isEmpty ? [] : ["Content-Type: application/sdp"]), body: body)
    }

    /// Unwraps a forwarded request, recording an issue otherwise.
    static func forwarded(
        _ outcome: CallLegs.RequestOutcome, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> SIPMessage {
        guard case .forward(let message) = outcome else {
            Issue.record("expected .forward, got \(outcome)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return message
    }

    /// INVITE → 180 → 200 → ACK: a confirmed call, with the generator that made it.
    static func establishedCall(
        passList: HeaderPassList = HeaderPassList(), sessionTimers: SessionTimerSettings? = nil,
        inbound: SIPMessage? = nil, calleeAnswer: [String] = []
    ) throws -> (CallLegs, SeededIdentifierGenerator) {
        var generator = SeededIdentifierGenerator(seed: 7)
        let inbound = try inbound ?? inboundInvite()
        var (invite, legs) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: target, ingress: ingress, egress: egress, passList: passList,
            sessionTimers: sessionTimers, generator: &generator)
        _ = try legs.mapResponseToInbound(calleeResponse(to: invite, 180, "Ringing"), inboundRequest: inbound)
        _ = try legs.mapResponseToInbound(
            calleeResponse(to: invite, 200, "OK", extra: calleeAnswer, body: sdp), inboundRequest: inbound)
        let ack = try forwarded(
            legs.mapRequest(callerRequest("ACK", cseq: 314, legs: legs), receivedOn: .inbound, generator: &generator))
        #expect(try ack.cseq == CSeq(1, .ack))
        return (legs, generator)
    }
}
