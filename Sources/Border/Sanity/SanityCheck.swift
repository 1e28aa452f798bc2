import GatehousePolicy
import SIPMessage

/// The first ingress stage: is this message well-formed enough to act on, and is it from a known scanner?
///
/// Parsing only finds structure; this stage checks what a border relies on before it spends anything on a message.
/// It runs `SIPMessage.validate(limits:)` (the five headers of RFC 3261 §8.1.1 that every element needs, single
/// headers given once, Vias, CSeq against the method, a Request-URI scheme it can route: 416) and
/// `validateForForwarding()` (Max-Forwards 0: 483), and adds, for requests, in this order:
///
/// 1. **Scanners** (`scanner`): a known scanner's User-Agent or From/To marker; dropped, or answered with the
///    policy's status. Checked first, so a scanner is told nothing about what else is wrong.
/// 2. **Validation**: `validate(limits:)`, its errors under their own codes and statuses.
/// 3. **More single headers** (`duplicate-header`, 400): RSeq, RAck, Session-Expires, Refer-To, Event…
/// 4. **Max-Forwards** (`missing-max-forwards`, 400): RFC 3261 §8.1.1.
/// 5. **Headers per method** (`missing-header`, 400): Contact in INVITE, SUBSCRIBE, NOTIFY and REFER; Event in
///    SUBSCRIBE, NOTIFY and PUBLISH; Subscription-State in NOTIFY; Refer-To in REFER; RAck in PRACK.
/// 6. **From tag** (`missing-from-tag`, 400): RFC 3261 §8.1.1.3.
/// 7. **To tag** (`missing-to-tag`, 481) on the methods that exist only in a dialog: BYE, PRACK, UPDATE, INFO. A To
///    tag on an INVITE makes it a re-INVITE, and on a CANCEL it copies the request it cancels (§9.1): both fine.
/// 8. **Contact** (`bad-contact`, 400): one SIP or SIPS URI where a dialog is set up (§8.1.1.8); `*` only in a
///    REGISTER, alone, with `Expires: 0` (§10.2.2, §10.3 step 6).
/// 9. **Body** (`missing-content-type`, 400): a body needs a Content-Type (§20.15). Content-Length is the parser's:
///    one larger than the datagram is a parse error (400), a smaller one truncates the body (§18.3).
/// 10. **Loops** (`loop-detected`, 482): a Via whose sent-by is one of the node's own addresses (§16.3 step 4).
/// 11. **Hops** (`too-many-hops`, 483): Max-Forwards 0 (§16.3 step 3), except an OPTIONS whose Request-URI is one
///     of the node's own addresses, which the node answers itself.
///
/// Responses get the lighter half: validation, the extra single headers, the body rule, and for a 2xx to INVITE,
/// SUBSCRIBE or REFER (which sets up a dialog, §12.1.1) a To tag and exactly one SIP Contact. Whether a response's
/// top Via is the node's, and which transaction it answers, is the session layer's business.
///
/// A failing request is answered with the check's status or dropped, as `SanitySettings.action` says; an ACK or a
/// response is always dropped (neither can be answered). Checks in `SanitySettings.Check.optional` that the policy
/// disabled are noted in the trace and let through. Pure: no clock, no state.
public struct SanityCheck: Sendable {
    public let settings: SanitySettings
    public let limits: SIPLimits
    /// The node's own sent-by addresses: loop detection and OPTIONS addressed to the node.
    public let ownAddresses: NodeAddresses
    let scanners: ScannerDetector

    /// - Parameter ownSentBy: what the node writes as the sent-by of its Vias (its listeners).
    public init(settings: SanitySettings = SanitySettings(), limits: SIPLimits = SIPLimits(), ownSentBy: [SIPEndpoint])
    {
        self.settings = settings
        self.limits = limits
        self.ownAddresses = NodeAddresses(ownSentBy)
        self.scanners = ScannerDetector(settings.scanners)
    }

    /// The policy's `sanity` settings and `sip_limits`, with every listener of every realm as the node's own.
    public init(policy: Policy) {
        self.init(
            settings: policy.sanity, limits: policy.sipLimits, ownSentBy: policy.realms.flatMap(\.listeners))
    }

    /// The same checks with other settings (a realm's or a peer's `sanity`); limits and own addresses unchanged.
    public func with(_ settings: SanitySettings) -> SanityCheck {
        SanityCheck(settings: settings, limits: limits, ownAddresses: ownAddresses)
    }

    private init(settings: SanitySettings, limits: SIPLimits, ownAddresses: NodeAddresses) {
        self.settings = settings
        self.limits = limits
        self.ownAddresses = ownAddresses
        self.scanners = ScannerDetector(settings.scanners)
    }

    /// Checks one message; returns when it may go on to the next stage.
    ///
    /// - Throws: the rejection of the first check that failed: its code, and a response or a drop.
    public func check(_ message: SIPMessage, trace: inout PipelineTrace) throws(IngressRejection) {
        if let request = message.requestLine {
            try checkRequest(message, method: request.method, trace: &trace)
            trace.note(.sanity, "\(request.method) passed")
        } else {
            try checkResponse(message, trace: &trace)
            trace.note(.sanity, "\(message.statusCode.map(String.init) ?? "response") passed")
        }
    }

    // MARK: Failures and answers

    /// A check that failed: its code, the status a request is answered with, and why.
    struct Failure: Hashable, Sendable {
        var code: String
        var status: SIPStatus
        var detail: String

        init(_ check: SanitySettings.Check, _ status: SIPStatus = .badRequest, _ detail: String) {
            self.code = check.rawValue
            self.status = status
            self.detail = detail
        }

        /// A parse or validation error under its own code and status.
        init(_ error: SIPParseError) {
            self.code = error.code.rawValue
            self.status = error.status
            self.detail = error.detail
        }

        /// The failure `check` finds, or its parse error as one: a header a check cannot read fails it.
        static func catching(_ check: () throws(SIPParseError) -> Failure?) -> Failure? {
            do { return try check() } catch { return Failure(error) }
        }
    }

    /// Nothing when a check passed (or failed but was disabled by the policy, which the trace notes); otherwise the
    /// rejection: the check's status when the policy rejects and the message can be answered, else a drop.
    func enforce(_ failure: Failure?, answerable: Bool, trace: inout PipelineTrace) throws(IngressRejection) {
        guard let failure else { return }
        if settings.isDisabled(SanitySettings.Check(rawValue: failure.code)) {
            trace.note(
                .sanity, "ignored \(failure.code): \(failure.detail) (disabled by the policy)",
                rule: "ignored \(failure.code)")
            return
        }
        let answer: IngressRejection.Answer =
            answerable && settings.action == .reject ? .respond(failure.status) : .drop
        var refusal = rejection(failure.code, answer, failure.detail, trace: &trace)
        // A well-meaning sender of a malformed request is told what is wrong, as the parser's answers do.
        refusal.reasonPhrase = failure.detail
        throw refusal
    }

    /// The rejection, noted in the trace.
    func rejection(
        _ code: String, _ answer: IngressRejection.Answer, _ detail: String, trace: inout PipelineTrace
    ) -> IngressRejection {
        let outcome =
            switch answer {
            case .respond(let status, _): "\(status.code) \(status.reason)"
            case .drop: "drop"
            }
        trace.note(.sanity, "\(code) → \(outcome): \(detail)")
        return IngressRejection(stage: .sanity, code: code, answer: answer, detail: detail)
    }
}
