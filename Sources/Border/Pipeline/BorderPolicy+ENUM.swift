import GatehousePolicy
import SIPMessage

/// Where ENUM sends a call: a peer (with the URI the answer gave, for its number-portability data), or a refusal.
public enum ENUMRoute: Hashable, Sendable, CustomStringConvertible {
    case peer(Peer, via: URI?)
    case reject(SIPStatus, reason: String)

    public var description: String {
        switch self {
        case .peer(let peer, let uri): "peer:\(peer.name)" + (uri.map { " (\($0))" } ?? "")
        case .reject(let status, let reason): "reject \(status.code): \(reason)"
        }
    }

    /// The callee's user part when the answer gave a URI: its SIP user, or its tel number with the parameters
    /// (`+15551230000;npdi;rn=+15559990000`), so that the Request-URI keeps the dialled number and what the
    /// portability dip found (RFC 4694 §4). Nil when the request's own user should go on.
    public var requestUser: String? {
        guard case .peer(_, let uri?) = self else { return nil }
        return TelephoneURIConversion.sipUser(of: uri)
    }
}

/// What DNS said about a number's ENUM domain, as the edge hands it over.
public enum ENUMAnswer: Hashable, Sendable {
    /// NAPTR records (possibly none: NXDOMAIN or NODATA).
    case records([ENUMRecord])
    /// No answer: a timeout, SERVFAIL, no server.
    case failed(String)
    /// DNS was not asked (`enum.use_dns: false`, or `explain`).
    case notAsked
}

extension BorderPolicy {
    /// The E.164 number of a request's Request-URI, the number ENUM looks up; nil when it carries none.
    public func enumNumber(of request: SIPMessage) -> E164Number? {
        guard let uri = try? request.requestURI, let subscriber = TelephoneURIConversion.subscriber(in: uri),
            subscriber.isGlobal
        else { return nil }
        return try? E164Number(parsing: subscriber.number)
    }

    /// The domain to ask NAPTR records of (`0.0.0.0.3.2.1.5.5.5.1.e164.arpa`).
    public func enumDomain(for number: E164Number) -> String {
        ENUMDomain.name(for: number, suffix: policy.enumSettings.suffix)
    }

    /// Decides where a number goes from what DNS answered: a usable NAPTR answer whose URI's host belongs to a
    /// peer wins; otherwise the static table (also on a DNS failure, unless `enum.on_failure: reject`); otherwise
    /// `enum.not_found`. A NAPTR answer pointing at an address no peer owns is not followed: ENUM data from DNS
    /// must not be able to send calls anywhere the policy does not know.
    ///
    /// Number portability (RFC 4694, RFC 4769): an answer whose URI carries a routing number (`;rn=`) is routed
    /// toward the network serving that number. `query` (the request's own route question) is asked again with
    /// the routing number; a route that names a peer or a refusal decides. When no such route matches, the
    /// answer's host decides as for any answer, then the static table looked up by the routing number. Either
    /// way the Request-URI keeps the dialled number with `;rn=…;npdi` (`ENUMRoute.requestUser`). An answer with
    /// `;npdi` and no `rn` (dipped, not ported) routes by the dialled number and keeps `;npdi`.
    public func enumRoute(
        for number: E164Number, answer: ENUMAnswer, query: RouteQuery? = nil, trace: inout PipelineTrace
    ) -> ENUMRoute {
        let settings = policy.enumSettings
        // The number the static table is asked about, and the URI whose portability data the callee gets.
        var tableNumber = number
        var portedVia: URI?
        switch answer {
        case .records(let records):
            switch ENUMResolution.select(records: records, number: number) {
            case .target(let target):
                if let routingNumber = target.portability.routingE164 {
                    if let route = routeByRoutingNumber(routingNumber, of: target, query: query, trace: &trace) {
                        return route
                    }
                    tableNumber = routingNumber
                }
                if let peer = peer(servingHostOf: target.uri) {
                    trace.note(.enumLookup, "\(number): NAPTR \(target.record) → \(target.uri) → peer \(peer.name)")
                    return .peer(peer, via: target.uri)
                }
                if !target.portability.isEmpty { portedVia = target.uri }
                trace.note(.enumLookup, "\(number): NAPTR → \(target.uri), whose host is no peer's: not followed")
            case .followReplacement(let domain):
                trace.note(.enumLookup, "\(number): NAPTR points at \(domain); replacements are not followed")
            case .noMatch(let skipped):
                trace.note(
                    .enumLookup,
                    "\(number): no usable NAPTR record in \(records.count)"
                        + (skipped.isEmpty ? "" : " (\(skipped.map(\.detail).joined(separator: "; ")))"))
            }
        case .failed(let why):
            trace.note(.enumLookup, "\(number): DNS failed (\(why))")
            if settings.onFailure == .reject {
                return .reject(.serviceUnavailable, reason: "ENUM lookup failed")
            }
        case .notAsked:
            trace.note(.enumLookup, "\(number): DNS not asked")
        }
        guard let entry = enumTable.lookup(tableNumber) else {
            trace.note(.enumLookup, "\(tableNumber): not in the static table")
            let status = SIPStatus(settings.notFound, RouteTarget.defaultReason(for: settings.notFound))
            return .reject(status, reason: "No ENUM route for \(number)")
        }
        switch entry.target {
        case .peer(let name):
            guard let peer = policy.peer(named: name) else {
                return .reject(.serviceUnavailable, reason: "ENUM peer \(name) is not defined")
            }
            trace.note(.enumLookup, "\(tableNumber): static table \(entry.pattern) → peer \(name)")
            return .peer(peer, via: portedVia)
        case .uri(let uri):
            if let peer = peer(servingHostOf: uri) {
                trace.note(.enumLookup, "\(number): static table \(entry.pattern) → \(uri) → peer \(peer.name)")
                return .peer(peer, via: uri)
            }
            return .reject(.serviceUnavailable, reason: "ENUM target \(uri) is no peer's")
        case .reject(let status):
            trace.note(.enumLookup, "\(tableNumber): static table \(entry.pattern) → reject \(status.code)")
            return .reject(status, reason: "Number range \(entry.pattern) is refused")
        }
    }

    /// The route the policy's routes give a ported number's routing number (RFC 4694 §5: the call goes toward
    /// the network serving `rn`); nil when no route names a peer or a refusal for it, or there is no query.
    private func routeByRoutingNumber(
        _ routingNumber: E164Number, of target: ENUMTarget, query: RouteQuery?, trace: inout PipelineTrace
    ) -> ENUMRoute? {
        guard var query else { return nil }
        query.routingNumber = routingNumber.description
        let decision = policy.routes.decide(query)
        switch decision.target {
        case .peer(let name)?:
            guard let peer = policy.peer(named: name) else {
                return .reject(.serviceUnavailable, reason: "Peer \(name) is not defined")
            }
            trace.note(.enumLookup, "ported: NAPTR \(target.record) → \(target.uri); rn \(routingNumber): \(decision)")
            return .peer(peer, via: target.uri)
        case .reject(let status)?:
            trace.note(.enumLookup, "ported: rn \(routingNumber): \(decision)")
            return .reject(status, reason: "Routing number \(routingNumber) is refused")
        case .enumLookup?, .ims?, .mrf?, nil:
            trace.note(.enumLookup, "ported: rn \(routingNumber): no route names a peer for it (\(decision))")
            return nil
        }
    }

    /// The peer a URI's host belongs to: an address in one of its blocks, or the host of its `next_hop`.
    func peer(servingHostOf uri: URI) -> Peer? {
        guard case .sip(let sip) = uri else { return nil }
        let host = sip.host
        return policy.peers.first { peer in
            if let nextHop = peer.nextHop, nextHop.host == host { return true }
            switch host {
            case .ipv4(let address): return peer.owns(IPAddress(address))
            case .ipv6(let address): return peer.owns(IPAddress(address))
            case .name: return false
            }
        }
    }
}
