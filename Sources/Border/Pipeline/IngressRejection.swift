import SIPMessage

/// Why a border stage refused a message, and what goes back on the wire: a response with this status (and any
/// headers it needs, such as Retry-After), or nothing at all.
///
/// The shape of `SIPParseError` (STYLE rules 4 and 5): `code` is what counters, logs, `explain` and replay
/// verdicts use; the one place that turns stage results into bytes reads `answer`.
public struct IngressRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the sender gets.
    public enum Answer: Hashable, Sendable {
        /// A response with `status`; `headers` are added to it (Retry-After, Warning…).
        case respond(SIPStatus, headers: [ExtraHeader] = [])
        /// Nothing: the policy wants the sender to learn nothing (scanners, floods), or the message cannot be
        /// answered (an ACK, a response).
        case drop
    }

    /// One header a rejection adds to its response.
    public struct ExtraHeader: Hashable, Sendable {
        public var name: HeaderName
        public var value: String
        public init(_ name: HeaderName, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The stage that refused.
    public var stage: PipelineStage
    /// A short kebab-case reason: `missing-header`, `scanner`, `rate-limit`, `blocked-prefix`.
    public var code: String
    public var answer: Answer
    /// A sentence for the log line and the explanation.
    public var detail: String
    /// The reason phrase sent instead of the status's standard one; nil for the standard one. Stages set it only
    /// when the sender should learn why (a malformed request: "Missing Call-ID"), never for limits or scanners.
    public var reasonPhrase: String?

    public init(
        stage: PipelineStage, code: String, answer: Answer, detail: String, reasonPhrase: String? = nil
    ) {
        self.stage = stage
        self.code = code
        self.answer = answer
        self.detail = detail
        self.reasonPhrase = reasonPhrase
    }

    /// The status sent back, nil for a drop.
    public var status: SIPStatus? {
        if case .respond(let status, _) = answer { return status }
        return nil
    }

    public var description: String {
        switch answer {
        case .respond(let status, _): "\(stage) \(code) → \(status.code) \(status.reason): \(detail)"
        case .drop: "\(stage) \(code) → drop: \(detail)"
        }
    }
}
