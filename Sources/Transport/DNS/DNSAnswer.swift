/// The records that answer a lookup: those of the type asked for, at the name the CNAME chain (if any) led to.
public struct DNSAnswer: Hashable, Sendable {
    /// The question as asked.
    public var question: DNSQuestion
    /// The name the records belong to: the name asked for, or the end of its CNAME chain.
    public var canonicalName: DNSName
    /// The RRset, never empty (an empty answer is a `DNSError` with code `noData`).
    public var records: [DNSResourceRecord]
    /// Seconds the answer stays valid: the smallest TTL of the RRset and of the CNAMEs that led to it, capped by
    /// the resolver's maximum, and counted down while it sits in the cache.
    public var ttl: UInt32
    /// The answer came from a truncated UDP response that could not be completed over TCP: the RRset may lack
    /// records. Such answers are not cached.
    public var isTruncated: Bool

    public init(
        question: DNSQuestion, canonicalName: DNSName, records: [DNSResourceRecord], ttl: UInt32,
        isTruncated: Bool = false
    ) {
        self.question = question
        self.canonicalName = canonicalName
        self.records = records
        self.ttl = ttl
        self.isTruncated = isTruncated
    }

    /// The typed data of the records, in the order the server gave them.
    public var data: [DNSRecordData] { records.map(\.data) }
}
