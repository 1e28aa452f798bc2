/// Why bytes are not a DNS message, or text is not a domain name.
///
/// The shape of STYLE rule 4: a `code` that tests and counters key on (static lets, so new codes never break a
/// caller), the byte `offset` where the problem was found when parsing a packet, and a human `detail`.
public struct DNSWireError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    /// The offset from the start of the message, when parsing one.
    public var offset: Int?
    public var detail: String

    public init(_ code: Code, at offset: Int? = nil, _ detail: String) {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        if let offset { return "\(code) at \(offset): \(detail)" }
        return "\(code): \(detail)"
    }
}

extension DNSWireError.Code {
    /// The message ends before a field, a name or a record's data does.
    public static let truncated = Self(rawValue: "truncated")
    /// A compression pointer points outside the message (RFC 1035 §4.1.4).
    public static let badPointer = Self(rawValue: "bad-pointer")
    /// Compression pointers lead back to where they were already followed, or too many follow each other.
    public static let pointerLoop = Self(rawValue: "pointer-loop")
    /// A label is longer than 63 bytes (RFC 1035 §2.3.4).
    public static let labelTooLong = Self(rawValue: "label-too-long")
    /// A name is longer than 255 bytes in wire form (RFC 1035 §2.3.4).
    public static let nameTooLong = Self(rawValue: "name-too-long")
    /// A label starts with the reserved bits 01 or 10 (RFC 1035 §4.1.4, RFC 6891 §5).
    public static let badLabelType = Self(rawValue: "bad-label-type")
    /// Text has an empty label (`a..b`, a leading dot) or a bad `\` escape.
    public static let badName = Self(rawValue: "bad-name")
    /// A record's data does not match its type (an A record of 5 bytes, an SRV record with bytes left over).
    public static let badRecordData = Self(rawValue: "bad-record-data")
    /// The message is not a response to a standard query (QR clear, an opcode other than QUERY).
    public static let notResponse = Self(rawValue: "not-response")
}
