import SIPMessage
import Testing

@testable import SIPStack

/// Messages and helpers for the transaction tests: a UAC at 192.0.2.10 calling bob through a proxy route.
enum TxnFixture {
    static let udp = TransactionTimers()

    /// A request from lines joined with CRLF.
    static func parse(_ lines: [String]) -> SIPMessage {
        let text = lines.joined(separator: "\r\n") + "\r\n\r\n"
        do {
            return try SIPMessage(parsing: text)
        } catch {
            Issue.record("fixture does not parse: \(error)")
            return SIPMessage(startLine: .request(RequestLine(method: .options, uri: "sip:invalid")))
        }
    }

    /// An INVITE (or another method) with a Route set, a second Via below the top one and a Timestamp.
    static func request(
        _ method: SIPMethod = .invite, branch: String = "z9hG4bK74bf9", cseq: UInt32 = 314_159,
        cseqMethod: SIPMethod? = nil, transport: String = "UDP", sentBy: String = "192.0.2.10:5060",
        toTag: String? = nil, fromTag: String = "9fxced76sl", uri: String = "sip:bob@biloxi.example.com"
    ) -> SIPMessage {
        parse([
            "\(method) \(uri) SIP/2.0",
            "Via: SIP/2.0/\(transport) \(sentBy);branch=\(branch)",
            "Via: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKlower",
            "Route: <sip:proxy1.example.com;lr>",
            "Route: <sip:proxy2.example.com;lr>",
            "Max-Forwards: 69",
            "To: Bob <sip:bob@biloxi.example.com>" + (toTag.map { ";tag=\($0)" } ?? ""),
            "From: Alice <sip:alice@atlanta.example.com>;tag=\(fromTag)",
            "Call-ID: 3848276298220188511@atlanta.example.com",
            "CSeq: \(cseq) \(cseqMethod ?? method)",
            "Contact: <sip:alice@192.0.2.10>",
            "Timestamp: 54",
            "Content-Length: 0",
        ])
    }

    static var invite: SIPMessage { request(.invite) }

    /// A response to `request` with its Via, From, To (with `toTag`), Call-ID and CSeq (method overridable).
    static func response(
        _ code: Int, to request: SIPMessage, toTag: String? = "8321234356", cseqMethod: SIPMethod? = nil
    ) -> SIPMessage {
        var headers = SIPHeaders()
        for value in request.headers.fieldValues(.via) { headers.append(.via, value) }
        headers.append(.from, request.headers.firstString(.from) ?? "")
        let to = request.headers.firstString(.to) ?? ""
        headers.append(.to, toTag.map { "\(to);tag=\($0)" } ?? to)
        headers.append(.callID, request.headers.firstString(.callID) ?? "")
        let cseq = (try? request.cseq) ?? CSeq(1, .invite)
        headers.append(.cseq, CSeq(cseq.sequence, cseqMethod ?? cseq.method))
        let status = SIPStatus(code, "Status \(code)")
        return SIPMessage(startLine: .response(StatusLine(status)), headers: headers)
    }

    /// The ACK a UAC sends for a non-2xx final response to `invite` (same branch, §17.1.1.3).
    static func ack(for invite: SIPMessage, toTag: String = "8321234356") -> SIPMessage {
        request(.ack, toTag: toTag)
    }

    static func text(_ message: SIPMessage) -> String { String(decoding: message.serialize(), as: UTF8.self) }

    /// The header lines of a message, without the start line and Content-Length.
    static func headerLines(_ message: SIPMessage) -> [String] {
        message.headers.filter { $0.name != .contentLength }.map { "\($0.name): \($0.valueString)" }
    }
}

extension Array where Element == TransactionAction {
    /// The messages of the `.send` actions, in order.
    var sentMessages: [SIPMessage] {
        compactMap { if case .send(let message) = $0 { message } else { nil } }
    }

    /// The messages of the `.passUp` actions, in order.
    var passedUp: [SIPMessage] {
        compactMap { if case .passUp(let message) = $0 { message } else { nil } }
    }

    /// The durations `timer` was started with, in order.
    func starts(of timer: TransactionTimer) -> [Duration] {
        compactMap { if case .startTimer(timer, let duration) = $0 { duration } else { nil } }
    }
}

/// A virtual timer wheel for the edge side of the tests: deadlines on a clock that only moves when a timer fires.
struct TxnVirtualTimers {
    private(set) var now: Duration = .zero
    private(set) var deadlines: [TransactionTimer: Duration] = [:]

    /// Applies the timer actions (and forgets everything on `.terminated`).
    mutating func apply(_ actions: [TransactionAction]) {
        for action in actions {
            switch action {
            case .startTimer(let timer, let duration): deadlines[timer] = now + duration
            case .cancelTimer(let timer): deadlines[timer] = nil
            case .terminated: deadlines = [:]
            case .send, .passUp, .timeout, .transportError: break
            }
        }
    }

    /// Removes the timer due first, moves the clock to its deadline and returns it.
    mutating func popEarliest() -> TransactionTimer? {
        guard let (timer, deadline) = deadlines.min(by: { ($0.value, $0.key.rawValue) < ($1.value, $1.key.rawValue) })
        else { return nil }
        deadlines[timer] = nil
        now = deadline
        return timer
    }

    var running: [TransactionTimer] { deadlines.keys.sorted { $0.rawValue < $1.rawValue } }
}

/// SplitMix64: a small seeded generator so the property tests replay exactly.
struct TxnSplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
