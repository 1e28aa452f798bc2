import GatehousePolicy
import SIPMessage

extension BorderPolicy {
    /// The egress stages for any message about to leave toward `peer` (from `source`, the peer on the other leg,
    /// for rules that ask): the peer's outbound rules and its built-in outbound fixes (long header names), then,
    /// for a request that starts something of its own (`startsOwnExchange`: the call's INVITE, a relayed
    /// REGISTER), its numbers written in the form the peer wants (Request-URI, From, To, P-Asserted-Identity as
    /// its `numbering.outbound`, `uri_form`, `send_as` and `user_phone` say).
    ///
    /// Every other message — a request inside a dialog (BYE, re-INVITE, UPDATE, INFO, PRACK, the ACK for a 2xx),
    /// a CANCEL, a response — carries a Request-URI, From and To that its dialog or transaction fixed: the dialog's
    /// remote target and URIs (RFC 3261 §12.2.1.1), the INVITE's (§9.1, a CANCEL), the request's (§8.2.6.2, a
    /// response). The initial INVITE already went through these stages and its dialog keeps what it carried, so
    /// rewriting them again would rewrite twice (a prefix added once more) or break the match at the peer. Those
    /// messages get the rules that do not rewrite the Request-URI, From or To (the others are skipped and the
    /// trace says why), the fixes, and no numbering.
    public func egress(
        _ message: inout SIPMessage, toward peer: Peer?, from source: Peer? = nil, trace: inout PipelineTrace
    ) {
        let startsOwnExchange = Self.startsOwnExchange(message)
        if let peer, let context = RuleContext(peer: source?.name, message: message) {
            normalization.applyOutbound(
                peer.normalization, to: &message, context: context, keepingDialogIdentity: !startsOwnExchange,
                trace: &trace)
        }
        guard let peer, let numbering = numbering[peer.name], startsOwnExchange else { return }
        // Only a tel URI turned into a SIP URI needs the host (the top Via's, parsed for it alone).
        let host = numbering.uriForm == .sip ? Self.ownHost(of: message) : nil
        if let uri = try? message.requestURI, let method = message.method {
            let written = numbering.outbound(uri, in: .requestURI, host: host)
            if written != uri {
                trace.noteWrittenForPeer("Request-URI toward \(peer.name): \(uri) → \(written)", field: "Request-URI")
                message.startLine = .request(RequestLine(method: method, uri: written))
            }
        }
        for (name, field) in Self.numberedHeaders {
            for index in message.headers.indices(of: name) {
                guard var value = try? NameAddress(parsing: message.headers.value(at: index)) else { continue }
                let written = numbering.outbound(value.uri, in: field, host: host)
                guard written != value.uri else { continue }
                trace.noteWrittenForPeer(
                    "\(name) toward \(peer.name): \(value.uri) → \(written)", field: name.canonical)
                value.uri = written
                message.headers.replaceValue(at: index, with: value)
            }
        }
    }

    /// Whether the message is a request that starts something of its own: no To tag, and neither a CANCEL nor
    /// an ACK (which copy the Request-URI, From and To of the INVITE they follow).
    public static func startsOwnExchange(_ message: SIPMessage) -> Bool {
        guard let method = message.method, method != .cancel, method != .ack else { return false }
        return !message.hasToTag
    }

    /// The B2BUA's own address on the leg toward the peer: the host of the Via it put on top. A tel URI that
    /// must travel as a SIP URI points there, as the caller's From does after topology hiding.
    static func ownHost(of request: SIPMessage) -> Host? {
        (try? request.topVia)?.host
    }
}
