import SIPMessage

/// Locating SIP servers (RFC 3263 §4): from a target to the ordered transports, addresses and ports to try.
///
/// The decisions are here and the DNS is not: lookups go through the `lookup` closure, so tests run every branch
/// on a table, and `DNSResolver.sipServerLocator()` plugs the real resolver in.
///
/// 1. A numeric host is used as it is, with the URI's port or the transport's default (§4.2).
/// 2. A name with a port: its A/AAAA records with that port (§4.2).
/// 3. A name with a `transport` parameter: the SRV records of that transport, else its A/AAAA records with the
///    default port (§4.2).
/// 4. A name alone: its NAPTR records whose flag is `s` and whose service is `SIPS+D2T`, `SIP+D2T` or `SIP+D2U`
///    for a supported transport, by order then preference, each followed by the SRV records at its replacement
///    (§4.1); else the SRV records of `_sips._tcp`, `_sip._tcp` and `_sip._udp`; else the A/AAAA records with
///    UDP (TLS for SIPS) and the default port.
///
/// A SIPS target only ever gets TLS (§4.1: non-secure NAPTR services are discarded); a `transport=tcp` on it means
/// TLS over TCP. Without a `transport` parameter a SIP target gets UDP, or TCP when UDP is not supported.
/// SRV targets are ordered by priority and, within one, at random by weight (RFC 2782, `SRVOrdering`).
///
/// A/AAAA records of the domain are used only when no SRV record exists (§4.2): an SRV RRset whose targets do not
/// resolve, or a lone target `.` (RFC 2782: the service is decidedly not offered), ends the search empty. NAPTR is
/// more lenient than §4.1 asks: usable NAPTR records that lead to no endpoint fall through to the SRV step, as a
/// missing or failed NAPTR lookup does, so that a stale NAPTR record does not hide working SRV records. Lookups
/// run one after another, so when DNS is down the search takes as long as every step's lookups timing out.
public struct SIPServerLocator: Sendable {
    /// Answers one question with the records of that type at that name (after CNAMEs), or throws.
    public typealias Lookup = @Sendable (DNSName, DNSRecordType) async throws(DNSError) -> [DNSRecordData]

    public struct Configuration: Sendable, Hashable {
        /// The address record types asked for each host, in the order their addresses are listed (default A, then
        /// AAAA; `[.a]` for a node without IPv6).
        public var addressTypes: [DNSRecordType]
        /// The most NAPTR records, and SRV targets of one RRset, followed (default 16): bounds the lookups one
        /// hostile zone can cause.
        public var maximumTargets: Int

        public init() {
            self.addressTypes = [.a, .aaaa]
            self.maximumTargets = 16
        }
    }

    public var configuration: Configuration
    private let lookup: Lookup

    public init(configuration: Configuration = Configuration(), lookup: @escaping Lookup) {
        self.configuration = configuration
        self.lookup = lookup
    }

    /// The endpoints to try for `target`, in order, using only `transports`; SRV weights drawn from the system's
    /// random generator.
    ///
    /// - Throws: `SIPLocationError` with code `.unsupportedTransport`, `.notFound` or `.dnsFailure`.
    public func locate(
        _ target: SIPServerTarget, supporting transports: Set<SIPTransport>
    ) async throws(SIPLocationError) -> [SIPEndpoint] {
        var generator = SystemRandomNumberGenerator()
        return try await locate(target, supporting: transports, using: &generator)
    }

    /// The endpoints to try for `target`, in order, using only `transports`; SRV weights drawn from `generator`.
    ///
    /// - Throws: `SIPLocationError` with code `.unsupportedTransport`, `.notFound` or `.dnsFailure`.
    public func locate(
        _ target: SIPServerTarget, supporting transports: Set<SIPTransport>,
        using generator: inout some RandomNumberGenerator
    ) async throws(SIPLocationError) -> [SIPEndpoint] {
        let rules = try TransportRules(target: target, supported: transports)
        let port = target.port.map(Int.init)
        let name: DNSName
        switch target.host {
        case .ipv4(let address):  // RFC 3263 §4.1, §4.2: a numeric IP address is used as it is
            let transport = rules.requested ?? rules.fallback
            let host = IPv4Address(value: address.value).description
            return [SIPEndpoint(transport: transport, host: host, port: port ?? transport.defaultPort)]
        case .ipv6(let address):
            let transport = rules.requested ?? rules.fallback
            return [SIPEndpoint(transport: transport, host: address.canonicalText, port: port ?? transport.defaultPort)]
        case .name(let text):
            do {
                name = try DNSName(parsing: text)
            } catch {
                throw SIPLocationError(.notFound, target: target, status: .notFound, "'\(text)' is not a domain name")
            }
        }
        var search = Search(lookup: lookup, configuration: configuration)
        let endpoints = await find(name, port: port, rules: rules, search: &search, using: &generator)
        guard endpoints.isEmpty else { return Self.unique(endpoints) }
        throw search.failure(for: target)
    }

    /// The steps for a name: each one's endpoints, or the next step's when it finds none.
    private func find(
        _ name: DNSName, port: Int?, rules: TransportRules, search: inout Search,
        using generator: inout some RandomNumberGenerator
    ) async -> [SIPEndpoint] {
        if let port {  // RFC 3263 §4.2: a port given means A/AAAA, no SRV
            return await search.addresses(of: name, transport: rules.requested ?? rules.fallback, port: port)
        }
        if let transport = rules.requested {  // §4.2: SRV for the transport asked for, else A/AAAA
            let srv = await search.services(at: try? name.prepending(transport.srvLabels), transport, using: &generator)
            guard !srv.found else { return srv.endpoints }
            return await search.addresses(of: name, transport: transport, port: transport.defaultPort)
        }
        // §4.1: NAPTR, else SRV for each transport, else A/AAAA
        let viaNAPTR = await search.naptr(name, rules: rules, using: &generator)
        guard viaNAPTR.isEmpty else { return viaNAPTR }
        var foundSRV = false
        var viaSRV: [SIPEndpoint] = []
        for transport in rules.srvOrder {
            let srv = await search.services(at: try? name.prepending(transport.srvLabels), transport, using: &generator)
            foundSRV = foundSRV || srv.found
            viaSRV += srv.endpoints
        }
        guard !foundSRV else { return viaSRV }
        return await search.addresses(of: name, transport: rules.fallback, port: rules.fallback.defaultPort)
    }

    private static func unique(_ endpoints: [SIPEndpoint]) -> [SIPEndpoint] {
        var seen: Set<SIPEndpoint> = []
        return endpoints.filter { seen.insert($0).inserted }
    }
}

extension SIPTransport {
    /// 5061 for TLS, 5060 otherwise (RFC 3261 §19.1.2).
    var defaultPort: Int { self == .tls ? 5061 : 5060 }

    /// The SRV owner prefix of the transport (RFC 3263 §4.1): `_sips._tcp`, `_sip._tcp`, `_sip._udp`.
    var srvLabels: [String] {
        switch self {
        case .tls: ["_sips", "_tcp"]
        case .tcp: ["_sip", "_tcp"]
        case .udp: ["_sip", "_udp"]
        }
    }
}

/// Which transports a target may use: the one its `transport` parameter asks for, the one used when nothing says
/// otherwise, and which NAPTR services and SRV owners are acceptable.
struct TransportRules {
    var target: SIPServerTarget
    var supported: Set<SIPTransport>
    /// The transport the URI's parameter asks for, if it has one.
    var requested: SIPTransport?
    /// The transport when no parameter, NAPTR or SRV record says: TLS for SIPS, UDP (else TCP) for SIP.
    var fallback: SIPTransport

    init(target: SIPServerTarget, supported: Set<SIPTransport>) throws(SIPLocationError) {
        self.target = target
        self.supported = supported
        func unsupported(_ detail: String) -> SIPLocationError {
            SIPLocationError(.unsupportedTransport, target: target, detail)
        }
        if let parameter = target.transport {
            switch parameter.lowercased() {
            case "udp" where target.isSecure: throw unsupported("a SIPS URI cannot use UDP")
            case "udp": requested = .udp
            case "tcp": requested = target.isSecure ? .tls : .tcp  // RFC 3261 §26.2.2: TLS over TCP for SIPS
            case "tls": requested = .tls
            default: throw unsupported("the transport '\(parameter)' is not supported")
            }
            guard let requested, supported.contains(requested) else {
                throw unsupported("the transport \(requested?.description ?? parameter) is not among those supported")
            }
        } else {
            requested = nil
        }
        let candidates: [SIPTransport] = target.isSecure ? [.tls] : [.udp, .tcp]
        guard let fallback = requested ?? candidates.first(where: supported.contains) else {
            throw unsupported(target.isSecure ? "TLS is not supported" : "neither UDP nor TCP is supported")
        }
        self.fallback = fallback
    }

    /// Whether a NAPTR service or an SRV owner for `transport` may be used.
    func allows(_ transport: SIPTransport) -> Bool {
        supported.contains(transport) && (!target.isSecure || transport == .tls)
    }

    /// The SRV owners asked for when there is no NAPTR record (RFC 3263 §4.1), most secure first.
    var srvOrder: [SIPTransport] { [.tls, .tcp, .udp].filter(allows) }

    /// The transport of a NAPTR service field (RFC 3263 §4.1), compared without regard to case.
    static func transport(ofService service: [UInt8]) -> SIPTransport? {
        switch String(decoding: service.map(DNSName.lower), as: UTF8.self) {
        case "sips+d2t": .tls
        case "sip+d2t": .tcp
        case "sip+d2u": .udp
        default: nil
        }
    }
}
