import SIPMessage

/// What arrived on a listener, once the codec has looked at it: the first decision of the signalling path,
/// kept pure so that tests (and later pcap replay) classify bytes exactly as live traffic does.
public enum InboundMessage: Sendable {
    /// A request that parsed.
    case request(SIPMessage)
    /// A response (no client transactions exist yet to take it).
    case response(SIPMessage)
    /// A request that failed to parse but whose header section is intact enough to answer with the error's status.
    case brokenRequest(SIPMessage, SIPParseError)
    /// Bytes that cannot be answered: dropped, with the reason.
    case unanswerable(SIPParseError)

    public init(bytes: [UInt8], limits: SIPLimits) {
        do {
            let message = try SIPMessage(parsing: bytes, limits: limits)
            self = message.isRequest ? .request(message) : .response(message)
        } catch {
            guard let request = SIPMessage.requestForErrorResponse(bytes, limits: limits),
                [HeaderName.via, .from, .to, .callID, .cseq].allSatisfy({ request.headers.contains($0) })
            else {
                self = .unanswerable(error)
                return
            }
            self = .brokenRequest(request, error)
        }
    }
}

extension InboundMessage {
    /// The method as a metric label: a method of RFC 3261 and its extensions, `other` for any other token (a
    /// sender must not be able to create series), `response`, or `unparseable`.
    /// The label of serialized bytes: `response` for a status line, else the request line's method (or `other`).
    static func methodLabel(of bytes: [UInt8]) -> String {
        guard let space = bytes.prefix(16).firstIndex(of: 0x20) else { return "other" }
        let token = SIPMethod(String(decoding: bytes[..<space], as: UTF8.self))
        if token.rawValue == "SIP/2.0" { return "response" }
        return SIPMethod.known.contains(token) ? token.rawValue : "other"
    }

    var methodLabel: String {
        switch self {
        case .request(let message), .brokenRequest(let message, _):
            guard let method = message.method else { return "other" }
            return SIPMethod.known.contains(method) ? method.rawValue : "other"
        case .response: return "response"
        case .unanswerable: return "unparseable"
        }
    }
}
