import GatehousePolicy
import SIPMessage

extension BorderPolicy {
    /// The egress stages for a request about to leave toward `peer` (from `source`, for rules that ask): the
    /// peer's outbound rules, then its numbers written in the scheme and form it wants (initial requests:
    /// Request-URI, From, To, P-Asserted-Identity as its `numbering.outbound`, `uri_form`, `send_as` and
    /// `user_phone` say).
    public func egress(
        _ request: inout SIPMessage, toward peer: Peer?, from source: Peer? = nil, trace: inout PipelineTrace
    ) {
        if let peer, let context = RuleContext(peer: source?.name, message: request) {
            normalization.applyOutbound(peer.normalization, to: &request, context: context, trace: &trace)
        }
        guard let peer, let numbering = numbering[peer.name], isInitialRequest(request) else { return }
        let host = Self.ownHost(of: request)
        if let uri = try? request.requestURI, let method = request.method {
            let written = numbering.outbound(uri, in: .requestURI, host: host)
            if written != uri {
                trace.note(.numbering, "Request-URI toward \(peer.name): \(uri) → \(written)")
                request.startLine = .request(RequestLine(method: method, uri: written.description))
            }
        }
        for (name, field) in Self.numberedHeaders {
            for index in request.headers.indices(of: name) {
                guard var value = try? NameAddress(parsing: request.headers.value(at: index)) else { continue }
                let written = numbering.outbound(value.uri, in: field, host: host)
                guard written != value.uri else { continue }
                trace.note(.numbering, "\(name) toward \(peer.name): \(value.uri) → \(written)")
                value.uri = written
                request.headers.replaceValue(at: index, with: Array(value.description.utf8))
            }
        }
    }

    /// The B2BUA's own address on the leg toward the peer: the host of the Via it put on top. A tel URI that
    /// must travel as a SIP URI points there, as the caller's From does after topology hiding.
    static func ownHost(of request: SIPMessage) -> Host? {
        (try? request.topVia)?.host
    }
}
