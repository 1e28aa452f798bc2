import GatehousePolicy
import SIPMessage

extension BorderPolicy {
    /// The egress stages for a request about to leave toward `peer` (from `source`, for rules that ask): the
    /// peer's outbound rules, then its numbers written in the form it wants (initial requests: Request-URI,
    /// From, To, P-Asserted-Identity as its `numbering.outbound` says).
    public func egress(
        _ request: inout SIPMessage, toward peer: Peer?, from source: Peer? = nil, trace: inout PipelineTrace
    ) {
        if let peer, let context = RuleContext(peer: source?.name, message: request) {
            normalization.applyOutbound(peer.normalization, to: &request, context: context, trace: &trace)
        }
        guard let peer, let numbering = numbering[peer.name], let settings = peer.numbering,
            isInitialRequest(request)
        else { return }
        if let uri = try? request.requestURI, let method = request.method {
            let written = Self.flaggingUserPhone(numbering.outbound(uri, in: .requestURI), settings: settings)
            if written != uri {
                trace.note(.numbering, "Request-URI toward \(peer.name): \(uri) → \(written)")
                request.startLine = .request(RequestLine(method: method, uri: written.description))
            }
        }
        for (name, field) in Self.numberedHeaders {
            for index in request.headers.indices(of: name) {
                guard var value = try? NameAddress(parsing: request.headers.value(at: index)) else { continue }
                let written = Self.flaggingUserPhone(numbering.outbound(value.uri, in: field), settings: settings)
                guard written != value.uri else { continue }
                trace.note(.numbering, "\(name) toward \(peer.name): \(value.uri) → \(written)")
                value.uri = written
                request.headers.replaceValue(at: index, with: Array(value.description.utf8))
            }
        }
    }

    /// `user=phone` on a SIP URI whose user is a global number, when the peer asks for it.
    static func flaggingUserPhone(_ uri: URI, settings: NumberingSettings) -> URI {
        guard settings.userPhone, case .sip(var sip) = uri, let user = sip.user, user.hasPrefix("+"),
            sip.userParameter == nil
        else { return uri }
        sip.userParameter = "phone"
        return .sip(sip)
    }
}
