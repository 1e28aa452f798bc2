/// Answers and negative answers kept for their TTL: a value, with time passed in, so expiry is tested without a
/// clock (STYLE rule 10). The resolver keeps one behind a lock and passes its injected clock's reading.
///
/// - An answer is kept for its TTL (already capped by the resolver); a TTL of 0 is not kept (RFC 1035 §3.2.1).
/// - NODATA is kept for the (type, name); NXDOMAIN for the name whatever the type (RFC 2308 §5), unless a CNAME
///   chain led to it (the name asked for then exists as an alias).
/// - When full, expired entries go first, then the one closest to expiry.
struct DNSCache {
    struct Key: Hashable {
        var name: DNSName
        /// Nil for an NXDOMAIN, which covers every type at the name.
        var type: DNSRecordType?
        var `class`: DNSClass
    }

    private struct Entry {
        var result: Result<DNSAnswer, DNSError>
        /// When the entry expires, as an offset on the resolver's clock.
        var expires: Duration
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// The answer or negative answer stored for `question` and not expired at `now`; an answer's TTL is counted
    /// down by the time it spent in the cache.
    mutating func lookup(_ question: DNSQuestion, now: Duration) -> Result<DNSAnswer, DNSError>? {
        for key in [Self.key(question), Key(name: question.name, type: nil, class: question.class)] {
            guard let entry = entries[key] else { continue }
            guard entry.expires > now else {
                entries[key] = nil
                continue
            }
            switch entry.result {
            case .success(var answer):
                let remaining = (entry.expires - now).components
                answer.ttl = UInt32(clamping: remaining.seconds + (remaining.attoseconds > 0 ? 1 : 0))
                answer.question = question
                return .success(answer)
            case .failure(var error):
                error.question = error.question ?? question
                return .failure(error)
            }
        }
        return nil
    }

    /// Keeps `answer` for `answer.ttl` seconds from `now` (nothing for a TTL of 0 or a truncated answer).
    mutating func store(_ answer: DNSAnswer, now: Duration) {
        guard answer.ttl > 0, !answer.isTruncated else { return }
        insert(
            Entry(result: .success(answer), expires: now + .seconds(answer.ttl)), for: Self.key(answer.question),
            now: now)
    }

    /// Keeps a negative answer for `ttl` seconds from `now`; `coversEveryType` for an NXDOMAIN about the name asked.
    mutating func store(_ error: DNSError, for question: DNSQuestion, ttl: UInt32, coversEveryType: Bool, now: Duration)
    {
        guard ttl > 0, error.isNegativeAnswer else { return }
        let key = coversEveryType ? Key(name: question.name, type: nil, class: question.class) : Self.key(question)
        insert(Entry(result: .failure(error), expires: now + .seconds(ttl)), for: key, now: now)
    }

    /// Forgets everything.
    mutating func removeAll() {
        entries.removeAll()
    }

    private mutating func insert(_ entry: Entry, for key: Key, now: Duration) {
        if entries[key] == nil, entries.count >= capacity {
            entries = entries.filter { $0.value.expires > now }
            if entries.count >= capacity, let soonest = entries.min(by: { $0.value.expires < $1.value.expires }) {
                entries[soonest.key] = nil
            }
        }
        entries[key] = entry
    }

    private static func key(_ question: DNSQuestion) -> Key {
        Key(name: question.name, type: question.type, class: question.class)
    }
}
