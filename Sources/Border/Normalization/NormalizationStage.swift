import GatehousePolicy
import SIPMessage

/// Applies a peer's `normalize` settings to a message: on the way in (`applyInbound`, the ingress stage after
/// admission, sanity and trust) and on the way out (`applyOutbound`, `BorderPolicy.egress`, on every message toward
/// the peer).
///
/// The order is the one `PeerNormalization` documents. Inbound: private headers, the inbound rules in order,
/// Max-Forwards bounded, unsupported Require/Proxy-Require option tags stripped. Outbound: the outbound rules in
/// order, then compact header names written long.
///
/// Every rule that runs notes a line in the trace (`rule 3 (remove X-*): removed X-Foo, X-Bar`), and so does a rule
/// whose condition does not hold (`rule 2 (add X-Trunk): skipped: method BYE is not INVITE`), and each fix that
/// looked at the message. With a trace that does not record, no text is built.
public struct NormalizationStage: Sendable {
    /// The extensions Gatehouse supports: with `strip_unsupported_requires`, Require and Proxy-Require keep these
    /// tags only.
    public var supportedOptionTags: Set<OptionTag>

    public init(supportedOptionTags: Set<OptionTag>) {
        self.supportedOptionTags = supportedOptionTags
    }

    /// Normalizes a message from the peer whose settings these are.
    ///
    /// - Throws: a 400 rejection (a drop for an ACK) when a fix must read a header that does not parse: a
    ///   Max-Forwards that is not a number from 0 to 255 or appears twice (with `max_forwards`), a Require or
    ///   Proxy-Require with unbalanced quotes or a tag that is not a token (with `strip_unsupported_requires`).
    ///   Rules never reject: what they cannot do is left undone and noted.
    public func applyInbound(
        _ normalization: PeerNormalization, to message: inout SIPMessage, context: RuleContext,
        trace: inout PipelineTrace
    ) throws(IngressRejection) {
        let stage = PipelineStage.inboundNormalization
        if !normalization.privateHeaders.isEmpty {
            let removed = HeaderManipulator.remove(normalization.privateHeaders, from: &message.headers)
            if !removed.isEmpty {
                trace.note(
                    stage, "private_headers: removed \(removed.joined(separator: ", "))", rule: "private_headers")
            }
        }
        Self.run(normalization.inbound, on: &message, context: context, stage: stage, trace: &trace)
        if let cap = normalization.maxForwards, message.isRequest {
            try Self.boundMaxForwards(of: &message, to: cap, trace: &trace)
        }
        if normalization.stripUnsupportedRequires, message.isRequest {
            try stripUnsupportedRequires(of: &message, trace: &trace)
        }
    }

    /// Normalizes a message going to the peer whose settings these are. Never fails.
    ///
    /// With `keepingDialogIdentity` (a message whose Request-URI, From and To its dialog or transaction fixed:
    /// `BorderPolicy.egress`), a rule that would rewrite one of them is skipped and noted.
    public func applyOutbound(
        _ normalization: PeerNormalization, to message: inout SIPMessage, context: RuleContext,
        keepingDialogIdentity: Bool = false, trace: inout PipelineTrace
    ) {
        let stage = PipelineStage.outboundNormalization
        Self.run(
            normalization.outbound, on: &message, context: context, stage: stage,
            keepingDialogIdentity: keepingDialogIdentity, trace: &trace)
        if normalization.longHeaderNames {
            let renamed = Self.writeLongHeaderNames(in: &message.headers)
            if !renamed.isEmpty {
                trace.note(stage, "long_header_names: \(renamed.joined(separator: ", "))", rule: "long_header_names")
            }
        }
    }

    /// Runs rules in order; each sees what the ones before it left. With `keepingDialogIdentity`, rules that
    /// rewrite the Request-URI, From or To are skipped.
    static func run(
        _ rules: [HeaderRule], on message: inout SIPMessage, context: RuleContext, stage: PipelineStage,
        keepingDialogIdentity: Bool = false, trace: inout PipelineTrace
    ) {
        for (index, rule) in rules.enumerated() {
            if let failure = rule.condition?.failure(in: message, context: context) {
                trace.note(
                    stage, "rule \(index + 1) (\(rule)): skipped: \(failure)", rule: "rule \(index + 1) (\(rule))")
                continue
            }
            if keepingDialogIdentity, let field = Self.dialogIdentityField(rewrittenBy: rule.action) {
                trace.note(
                    stage,
                    "rule \(index + 1) (\(rule)): skipped: the \(field) of \(Self.kind(of: message, context)) is fixed by "
                        + "its dialog or transaction", rule: "rule \(index + 1) (\(rule))")
                continue
            }
            let outcome = HeaderManipulator.apply(rule.action, to: &message)
            trace.note(stage, "rule \(index + 1) (\(rule)): \(outcome)", rule: "rule \(index + 1) (\(rule))")
        }
    }
}

extension NormalizationStage {
    /// The Request-URI, From or To when `action` rewrites it: the fields a dialog or transaction fixes (RFC 3261
    /// §12.2.1.1, §9.1, §8.2.6.2). Other actions cannot touch them (From and To are protected headers).
    static func dialogIdentityField(rewrittenBy action: HeaderAction) -> String? {
        guard case .rewrite(let rewrite) = action else { return nil }
        switch rewrite.target {
        case .requestURI: return "Request-URI"
        case .header(let name) where name == .from || name == .to: return name.canonical
        case .header: return nil
        }
    }

    /// `a BYE`, `a CANCEL`, `a 200 response to INVITE`, for the trace.
    static func kind(of message: SIPMessage, _ context: RuleContext) -> String {
        if let code = message.statusCode { return "a \(code) response to \(context.method)" }
        return "a \(context.method)"
    }
}
