import SIPMessage

/// The RDATA of a resource record, typed for the records SIP server location and ENUM use, raw for the others.
///
/// The typed cases are exact: an A record is 4 bytes, an SRV record's fields end where its data does, or parsing
/// fails with `.badRecordData`. Names inside the data may be compressed (RFC 3597 §4 allows it only for the RFC
/// 1035 types, but servers compress SRV targets too, and a lenient reader loses nothing).
public enum DNSRecordData: Hashable, Sendable, CustomStringConvertible {
    case a(IPv4Address)
    case aaaa(IPv6Address)
    case cname(DNSName)
    case srv(DNSSRVRecord)
    case naptr(DNSNAPTRRecord)
    case soa(DNSSOARecord)
    /// Any other type, as its bytes (compressed names inside stay compressed, so they mean little out of the message).
    case other(DNSRecordType, [UInt8])

    public var description: String {
        switch self {
        case .a(let address): "\(address)"
        case .aaaa(let address): address.canonicalText
        case .cname(let name): "\(name)."
        case .srv(let srv): "\(srv)"
        case .naptr(let naptr): "\(naptr)"
        case .soa(let soa): "\(soa)"
        case .other(_, let bytes): "\\# \(bytes.count)"
        }
    }

    /// Reads `length` bytes of RDATA of `type` at the reader's offset.
    init(reading reader: inout DNSWireReader, type: DNSRecordType, length: Int) throws(DNSWireError) {
        let start = reader.offset
        let end = start + length
        let outerLimit = reader.limit
        reader.limit = end
        defer { reader.limit = outerLimit }
        switch type {
        case .a:
            guard length == 4 else { throw Self.badLength(type, length, at: start) }
            self = .a(IPv4Address(value: try reader.readUInt32("an A record")))
        case .aaaa:
            guard length == 16 else { throw Self.badLength(type, length, at: start) }
            let words = try (0..<4).map { _ throws(DNSWireError) in UInt64(try reader.readUInt32("an AAAA record")) }
            let (high, low) = (words[0] << 32 | words[1], words[2] << 32 | words[3])
            self = .aaaa(IPv6Address(high: high, low: low))
        case .cname:
            self = .cname(try reader.readName())
        case .srv:
            self = .srv(try DNSSRVRecord(reading: &reader))
        case .naptr:
            self = .naptr(try DNSNAPTRRecord(reading: &reader))
        case .soa:
            self = .soa(try DNSSOARecord(reading: &reader))
        default:
            self = .other(type, try reader.readBytes(length, "a record's data"))
        }
        guard reader.offset == end else {
            throw DNSWireError(
                .badRecordData, at: start,
                "the \(type) data has \(length) bytes but its fields take \(reader.offset - start)")
        }
    }

    private static func badLength(_ type: DNSRecordType, _ length: Int, at offset: Int) -> DNSWireError {
        DNSWireError(.badRecordData, at: offset, "an \(type) record has \(length) bytes of data")
    }
}
