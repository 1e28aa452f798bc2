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
    public func enumRoute(
        for number: E164Number, answer: ENUMAnswer, trace: inout PipelineTrace
    ) -> ENUMRoute {
        let settings = policy.enumSettings
        switch answer {
        case .records(let records):
            switch ENUMResolution.select(records: records, number: number) {
            case .target(let target):
                if let peer = peer(servingHostOf: target.uri) {
                    trace.note(.enumLookup, "\(number): NAPTR \(target.record) → \(target.uri) → peer \(peer.name)")
                    return .peer(peer, via: target.uri)
                }
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
        guard let entry = enumTable.lookup(number) else {
            trace.note(.enumLookup, "\(number): not in the static table")
            let status = SIPStatus(settings.notFound, RouteTarget.defaultReason(for: settings.notFound))
            return .reject(status, reason: "No ENUM route for \(number)")
        }
        switch entry.target {
        case .peer(let name):
            guard let peer = policy.peer(named: name) else {
                return .reject(.serviceUnavailable, reason: "ENUM peer \(name) is not defined")
            }
            trace.note(.enumLookup, "\(number): static table \(entry.pattern) → peer \(name)")
            return .peer(peer, via: nil)
        case .uri(let uri):
            if let peer = peer(servingHostOf: uri) {
                trace.note(.enumLookup, "\(number): static table \(entry.pattern) → \(uri) → peer \(peer.name)")
                return .peer(peer, via: uri)
            }
            return .reject(.serviceUnavailable, reason: "ENUM target \(uri) is no peer's")
        case .reject(let status):
            trace.note(.enumLookup, "\(number): static table \(entry.pattern) → reject \(status.code)")
            return .reject(status, reason: "Number range \(entry.pattern) is refused")
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
