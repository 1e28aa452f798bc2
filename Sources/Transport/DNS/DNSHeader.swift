/// The fixed 12-byte header of a DNS message (RFC 1035 §4.1.1).
///
/// ```
///   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
/// |                      ID                       |
/// |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
/// |                    QDCOUNT                    |
/// |                    ANCOUNT                    |
/// |                    NSCOUNT                    |
/// |                    ARCOUNT                    |
/// ```
public struct DNSHeader: Hashable, Sendable {
    /// The length of the header in bytes.
    public static let length = 12

    public var id: UInt16
    /// The second 16-bit word: QR, opcode, AA, TC, RD, RA, Z, AD, CD and RCODE.
    public var flags: UInt16
    public var questionCount: UInt16
    public var answerCount: UInt16
    public var authorityCount: UInt16
    public var additionalCount: UInt16

    public init(
        id: UInt16, flags: UInt16, questionCount: UInt16 = 0, answerCount: UInt16 = 0, authorityCount: UInt16 = 0,
        additionalCount: UInt16 = 0
    ) {
        self.id = id
        self.flags = flags
        self.questionCount = questionCount
        self.answerCount = answerCount
        self.authorityCount = authorityCount
        self.additionalCount = additionalCount
    }

    /// QR: the message is a response.
    public static let responseFlag: UInt16 = 0x8000
    /// AA: the answer comes from an authoritative server.
    public static let authoritativeFlag: UInt16 = 0x0400
    /// TC: the message was truncated to fit the transport.
    public static let truncatedFlag: UInt16 = 0x0200
    /// RD: the client asks for recursion.
    public static let recursionDesiredFlag: UInt16 = 0x0100
    /// RA: the server offers recursion.
    public static let recursionAvailableFlag: UInt16 = 0x0080

    public var isResponse: Bool { flags & Self.responseFlag != 0 }
    /// The kind of query; 0 is a standard QUERY.
    public var opcode: UInt8 { UInt8(truncatingIfNeeded: flags >> 11) & 0x0F }
    public var isAuthoritative: Bool { flags & Self.authoritativeFlag != 0 }
    public var isTruncated: Bool { flags & Self.truncatedFlag != 0 }
    public var recursionDesired: Bool { flags & Self.recursionDesiredFlag != 0 }
    public var recursionAvailable: Bool { flags & Self.recursionAvailableFlag != 0 }
    public var responseCode: DNSResponseCode { DNSResponseCode(rawValue: UInt8(truncatingIfNeeded: flags) & 0x0F) }

    init(reading reader: inout DNSWireReader) throws(DNSWireError) {
        id = try reader.readUInt16("the header")
        flags = try reader.readUInt16("the header")
        questionCount = try reader.readUInt16("the header")
        answerCount = try reader.readUInt16("the header")
        authorityCount = try reader.readUInt16("the header")
        additionalCount = try reader.readUInt16("the header")
    }

    func encode(into bytes: inout [UInt8]) {
        for word in [id, flags, questionCount, answerCount, authorityCount, additionalCount] {
            bytes.append(UInt8(word >> 8))
            bytes.append(UInt8(truncatingIfNeeded: word))
        }
    }
}
