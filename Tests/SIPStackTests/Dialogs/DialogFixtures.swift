import SIPMessage

/// Messages for the dialog tests, written as on the wire and parsed, so the tests read like RFC 3261's examples.
enum DialogFixtures {
    /// Joins lines with CRLF, adds the empty line, and parses.
    static func message(_ lines: [String], body: String = "") throws -> SIPMessage {
        try SIPMessage(parsing: lines.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    /// The text of a message, for `contains` checks.
    static func text(_ message: SIPMessage) -> String {
        String(decoding: message.serialize(), as: UTF8.self)
    }

    /// Alice's INVITE to Bob through two record-routing proxies (RFC 3261 §24.2, trimmed).
    static func invite(
        requestURI: String = "sip:bob@biloxi.example.com", cseq: Int = 314_159,
        recordRoute: [String] = ["<sip:p2.biloxi.example.com;lr>", "<sip:p1.atlanta.example.com;lr>"]
    ) throws -> SIPMessage {
        try message(
            [
                "INVITE \(requestURI) SIP/2.0",
                "Via: SIP/2.0/UDP p2.biloxi.example.com;branch=z9hG4bKp2",
                "Via: SIP/2.0/UDP p1.atlanta.example.com;branch=z9hG4bKp1",
                "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKalice",
                "Max-Forwards: 68",
            ] + recordRoute.map { "Record-Route: \($0)" } + [
                "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774",
                "To: Bob <sip:bob@biloxi.example.com>",
                "Call-ID: a84b4c76e66710@pc33.atlanta.example.com",
                "CSeq: \(cseq) INVITE",
                "Contact: <sip:alice@pc33.atlanta.example.com>",
            ])
    }

    /// Bob's response to `invite()` as it leaves Bob (UAS view: the Record-Route copied, his Contact and tag).
    static func response(
        _ code: Int, _ reason: String, toTag: String? = "a6c85cf", cseq: Int = 314_159, method: String = "INVITE",
        contact: String? = "<sip:bob@192.0.2.4>",
        recordRoute: [String] = ["<sip:p2.biloxi.example.com;lr>", "<sip:p1.atlanta.example.com;lr>"]
    ) throws -> SIPMessage {
        var lines = [
            "SIP/2.0 \(code) \(reason)",
            "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKalice",
        ]
        lines += recordRoute.map { "Record-Route: \($0)" }
        lines += [
            "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774",
            "To: Bob <sip:bob@biloxi.example.com>" + (toTag.map { ";tag=\($0)" } ?? ""),
            "Call-ID: a84b4c76e66710@pc33.atlanta.example.com",
            "CSeq: \(cseq) \(method)",
        ]
        if let contact { lines.append("Contact: \(contact)") }
        return try message(lines)
    }

    /// A request from Alice within the dialog, as Bob receives it.
    static func inDialogRequest(
        _ method: String, cseq: Int, contact: String? = nil, fromTag: String = "1928301774", toTag: String = "a6c85cf"
    ) throws -> SIPMessage {
        var lines = [
            "\(method) sip:bob@192.0.2.4 SIP/2.0",
            "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK\(method)\(cseq)",
            "Max-Forwards: 70",
            "From: Alice <sip:alice@atlanta.example.com>;tag=\(fromTag)",
            "To: Bob <sip:bob@biloxi.example.com>;tag=\(toTag)",
            "Call-ID: a84b4c76e66710@pc33.atlanta.example.com",
            "CSeq: \(cseq) \(method)",
        ]
        if let contact { lines.append("Contact: \(contact)") }
        return try message(lines)
    }

    static let via = Via(transport: "UDP", host: .name("biloxi.example.com"), branch: "z9hG4bKtest")
}
