import SIPMessage

extension SIPServerLocator {
    /// The lookups of one `locate` call, and what went wrong in them (to explain an empty result).
    struct Search {
        let lookup: Lookup
        let configuration: Configuration
        /// The most telling failure seen: a timeout or server failure outranks NXDOMAIN and NODATA.
        private(set) var worst: DNSError?
        private(set) var lookups = 0

        init(lookup: @escaping Lookup, configuration: Configuration) {
            self.lookup = lookup
            self.configuration = configuration
        }

        /// RFC 3263 §4.1: the NAPTR records of `name` usable for SIP, in order, each resolved through SRV.
        mutating func naptr(
            _ name: DNSName, rules: TransportRules, using generator: inout some RandomNumberGenerator
        ) async -> [SIPEndpoint] {
            let usable = await records(name, .naptr)
                .compactMap { data -> (record: DNSNAPTRRecord, transport: SIPTransport)? in
                    guard case .naptr(let record) = data, record.hasFlag("s"),
                        let transport = TransportRules.transport(ofService: record.services), rules.allows(transport)
                    else { return nil }
                    return (record, transport)
                }
                .sorted { ($0.record.order, $0.record.preference) < ($1.record.order, $1.record.preference) }
                .prefix(configuration.maximumTargets)
            var endpoints: [SIPEndpoint] = []
            for (record, transport) in usable {
                endpoints += await services(at: record.replacement, transport, using: &generator).endpoints
            }
            return endpoints
        }

        /// The SRV records at `name`, ordered (RFC 2782), each target's addresses with the record's port; `found`
        /// says whether there were SRV records at all. A target `.` says the service is not offered: no endpoints.
        mutating func services(
            at name: DNSName?, _ transport: SIPTransport, using generator: inout some RandomNumberGenerator
        ) async -> (found: Bool, endpoints: [SIPEndpoint]) {
            guard let name else { return (false, []) }
            let all = await records(name, .srv).compactMap { data -> DNSSRVRecord? in
                guard case .srv(let record) = data else { return nil }
                return record
            }
            let records = all.filter { !$0.target.isRoot }
            var endpoints: [SIPEndpoint] = []
            for record in SRVOrdering.order(records, using: &generator).prefix(configuration.maximumTargets) {
                endpoints += await addresses(of: record.target, transport: transport, port: Int(record.port))
            }
            return (!all.isEmpty, endpoints)
        }

        /// The A and AAAA records of `name` (as configured), as endpoints of `transport` and `port`.
        mutating func addresses(of name: DNSName, transport: SIPTransport, port: Int) async -> [SIPEndpoint] {
            var endpoints: [SIPEndpoint] = []
            for type in configuration.addressTypes {
                for data in await records(name, type) {
                    switch data {
                    case .a(let address):
                        endpoints.append(SIPEndpoint(transport: transport, host: address.description, port: port))
                    case .aaaa(let address):
                        endpoints.append(SIPEndpoint(transport: transport, host: address.canonicalText, port: port))
                    default:
                        break
                    }
                }
            }
            return endpoints
        }

        /// The records of one lookup; a failure is noted and counts as no records.
        private mutating func records(_ name: DNSName, _ type: DNSRecordType) async -> [DNSRecordData] {
            lookups += 1
            do {
                return try await lookup(name, type)
            } catch {
                if worst == nil || (worst?.isNegativeAnswer == true && !error.isNegativeAnswer) { worst = error }
                return []
            }
        }

        /// The error for a search that found nothing.
        func failure(for target: SIPServerTarget) -> SIPLocationError {
            guard let worst, !worst.isNegativeAnswer else {
                return SIPLocationError(
                    .notFound, target: target, status: .notFound, dnsError: worst,
                    "DNS has no usable NAPTR, SRV or address record for \(target.host)")
            }
            return SIPLocationError(
                .dnsFailure, target: target, dnsError: worst, "DNS lookups for \(target.host) failed: \(worst)")
        }
    }
}
