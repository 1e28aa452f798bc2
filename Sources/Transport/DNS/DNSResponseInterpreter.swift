/// What one response says about one question: pure, so every branch is tested without sockets.
///
/// - RCODE NOERROR with records of the type at the name (or at the end of a CNAME chain in the answer section,
///   RFC 1034 §3.6.2): an answer, whose TTL is the smallest of the RRset's and the chain's.
/// - A CNAME chain that ends at a name the response has no records or SOA for (a server that did not chase the
///   chain): ask again for the chain's end.
/// - NXDOMAIN, or NOERROR with nothing for the name (NODATA): a negative answer (RFC 2308 §2), cacheable for the
///   smaller of the authority SOA's TTL and its MINIMUM (RFC 2308 §5), or not at all without an SOA.
/// - Any other RCODE: a server failure.
struct DNSResponseInterpreter {
    enum Outcome: Hashable {
        case answer(canonicalName: DNSName, records: [DNSResourceRecord], ttl: UInt32)
        /// The answer is at `name`, which the response does not cover; `ttl` bounds the chain so far, and `followed`
        /// counts the CNAMEs followed for the question, this response's included.
        case followCNAME(DNSName, ttl: UInt32, followed: Int)
        /// `code` is `.nxdomain` or `.noData`; `ttl` is nil when the response carries no SOA.
        case negative(DNSError.Code, name: DNSName, ttl: UInt32?)
        case failure(DNSError)
    }

    /// The most CNAMEs followed for one question, over every response asked for it.
    var maximumCNAMEs: Int

    /// Interprets `message`, a response to `question`; `followed` CNAMEs were already followed for it.
    func interpret(_ message: DNSMessage, for question: DNSQuestion, followed: Int = 0) -> Outcome {
        let rcode = message.header.responseCode
        guard rcode == .noError || rcode == .nameError else {
            return .failure(
                DNSError(.serverFailure, question: question, responseCode: rcode, "the server answered \(rcode)"))
        }
        var name = question.name
        var ttl = UInt32.max
        var seen: Set<DNSName> = [name]
        var chain = followed
        while question.type != .cname,
            let alias = message.answers.first(where: {
                $0.type == .cname && $0.class == question.class && $0.name == name
            }),
            case .cname(let target) = alias.data
        {
            chain += 1
            guard chain <= maximumCNAMEs, seen.insert(target).inserted else {
                return .failure(
                    DNSError(.malformed, question: question, "the CNAME chain loops or is longer than \(maximumCNAMEs)")
                )
            }
            name = target
            ttl = min(ttl, alias.ttl)
        }
        let records = message.answers.filter {
            $0.type == question.type && $0.class == question.class && $0.name == name
        }
        if rcode == .noError, !records.isEmpty {
            return .answer(canonicalName: name, records: records, ttl: records.reduce(ttl) { min($0, $1.ttl) })
        }
        let soa = message.authorities.lazy.compactMap { record -> UInt32? in
            guard case .soa(let soa) = record.data else { return nil }
            return min(record.ttl, soa.minimum)
        }.first
        if rcode == .noError, name != question.name, soa == nil {
            return .followCNAME(name, ttl: ttl, followed: chain)
        }
        return .negative(rcode == .nameError ? .nxdomain : .noData, name: name, ttl: soa.map { min($0, ttl) })
    }
}
