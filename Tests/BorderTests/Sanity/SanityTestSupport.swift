import Border
import GatehousePolicy
import SIPMessage
import Testing

/// Messages for the sanity tests, built from header lines: `invite` passes every check, and each test changes the
/// one thing it is about.
enum SanityFixtures {
    /// The lab's listeners (ARCHITECTURE.md): access on 127.0.0.10, interconnect on 127.0.0.20.
    static let labListeners = [
        SIPEndpoint(transport: .udp, host: "127.0.0.10", port: 5060),
        SIPEndpoint(transport: .tcp, host: "127.0.0.10", port: 5060),
        SIPEndpoint(transport: .tls, host: "127.0.0.10", port: 5061),
        SIPEndpoint(transport: .udp, host: "127.0.0.20", port: 5060),
    ]

    /// A call from lab-pbx to the access realm.
    static let invite = [
        "INVITE sip:+15551230000@127.0.0.10 SIP/2.0",
        "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-pbx-1;rport",
        "Max-Forwards: 70",
        "From: \"Lab PBX\" <sip:+15550190001@127.0.0.2>;tag=pbx-1",
        "To: <sip:+15551230000@127.0.0.10>",
        "Call-ID: sanity-1@127.0.0.2",
        "CSeq: 1 INVITE",
        "Contact: <sip:+15550190001@127.0.0.2:5060>",
        "User-Agent: LabPBX/1.0",
    ]

    /// `invite` turned into a request of another method (start line and CSeq), with `extra` lines added.
    static func request(
        _ method: SIPMethod, uri: String = "sip:+15551230000@127.0.0.10", _ extra: [String] = []
    )
        -> [String]
    {
        invite.replacingStartLine("\(method) \(uri) SIP/2.0").setting("CSeq", "1 \(method)") + extra
    }

    /// A 200 to `invite`, from the callee.
    static let ok = [
        "SIP/2.0 200 OK",
        "Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bK-gh-1",
        "From: <sip:+15550190001@127.0.0.10>;tag=gh-1",
        "To: <sip:+15551230000@127.0.0.3>;tag=carrier-1",
        "Call-ID: gh-call-1",
        "CSeq: 1 INVITE",
        "Contact: <sip:+15551230000@127.0.0.3:5060>",
    ]

    /// The lines joined with CRLF, a Content-Length for `body` unless the lines have one, the empty line and the body.
    static func message(_ lines: [String], body: String = "") throws -> SIPMessage {
        let hasLength = lines.contains { $0.lowercased().hasPrefix("content-length:") }
        let all = lines + (hasLength ? [] : ["Content-Length: \(body.utf8.count)"])
        return try SIPMessage(parsing: all.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    /// The stage with the lab's listeners and these settings.
    static func stage(_ settings: SanitySettings = SanitySettings()) -> SanityCheck {
        SanityCheck(settings: settings, ownSentBy: labListeners)
    }
}

extension [String] {
    /// The lines with the first `name:` line's value replaced (or removed when nil); appended when absent.
    func setting(_ name: String, _ value: String?) -> [String] {
        var lines = self
        let prefix = name.lowercased() + ":"
        if let index = lines.firstIndex(where: { $0.lowercased().hasPrefix(prefix) }) {
            if let value { lines[index] = "\(name): \(value)" } else { lines.remove(at: index) }
        } else if let value {
            lines.append("\(name): \(value)")
        }
        return lines
    }

    func replacingStartLine(_ line: String) -> [String] {
        [line] + dropFirst()
    }
}

/// What the stage does with a message: nil when it passes, else its rejection. `trace` collects the notes.
func sanityOutcome(
    _ message: SIPMessage, _ stage: SanityCheck = SanityFixtures.stage(), trace: inout PipelineTrace
) -> IngressRejection? {
    do {
        try stage.check(message, trace: &trace)
        return nil
    } catch {
        return error
    }
}

/// `sanityOutcome` without a trace, from lines.
func sanityOutcome(
    _ lines: [String], body: String = "", _ stage: SanityCheck = SanityFixtures.stage()
) throws -> IngressRejection? {
    var trace = PipelineTrace.off
    return sanityOutcome(try SanityFixtures.message(lines, body: body), stage, trace: &trace)
}

extension IngressRejection {
    /// `code status` or `code drop`, for compact assertions: `missing-from-tag 400`, `scanner drop`.
    var summary: String {
        switch answer {
        case .respond(let status, _): "\(code) \(status.code)"
        case .drop: "\(code) drop"
        }
    }
}
