/// One entry of the question section (RFC 1035 §4.1.2).
public struct DNSQuestion: Hashable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSRecordType
    public var `class`: DNSClass

    public init(name: DNSName, type: DNSRecordType, class: DNSClass = .in) {
        self.name = name
        self.type = type
        self.class = `class`
    }

    public var description: String { "\(name) \(self.class) \(type)" }

    init(reading reader: inout DNSWireReader) throws(DNSWireError) {
        name = try reader.readName()
        type = DNSRecordType(rawValue: try reader.readUInt16("a question"))
        `class` = DNSClass(rawValue: try reader.readUInt16("a question"))
    }

    func encode(into bytes: inout [UInt8]) {
        name.encode(into: &bytes)
        for word in [type.rawValue, self.class.rawValue] {
            bytes.append(UInt8(word >> 8))
            bytes.append(UInt8(truncatingIfNeeded: word))
        }
    }
}

/// One resource record of the answer, authority or additional section (RFC 1035 §4.1.3).
public struct DNSResourceRecord: Hashable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSRecordType
    public var `class`: DNSClass
    /// Seconds the record may be cached. RFC 2181 §8: a value with the top bit set counts as zero.
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: DNSName, type: DNSRecordType, class: DNSClass = .in, ttl: UInt32, data: DNSRecordData) {
        self.name = name
        self.type = type
        self.class = `class`
        self.ttl = ttl
        self.data = data
    }

    public var description: String { "\(name) \(ttl) \(self.class) \(type) \(data)" }

    init(reading reader: inout DNSWireReader) throws(DNSWireError) {
        name = try reader.readName()
        type = DNSRecordType(rawValue: try reader.readUInt16("a record"))
        `class` = DNSClass(rawValue: try reader.readUInt16("a record"))
        let rawTTL = try reader.readUInt32("a record")
        ttl = rawTTL & 0x8000_0000 == 0 ? rawTTL : 0
        let length = Int(try reader.readUInt16("a record"))
        guard length <= reader.remaining else {
            throw DNSWireError(.truncated, at: reader.offset, "the message ends inside a record's data")
        }
        data = try DNSRecordData(reading: &reader, type: type, length: length)
    }
}

/// A parsed DNS message: the header and the four sections (RFC 1035 §4.1).
///
/// Parsing is all or nothing and byte-oriented: no text round trips of the packet, names compared by their bytes.
/// Bytes after the last counted record are ignored (some middleboxes pad).
public struct DNSMessage: Hashable, Sendable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]

    public init(
        header: DNSHeader, questions: [DNSQuestion], answers: [DNSResourceRecord] = [],
        authorities: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// Parses a whole message.
    ///
    /// - Throws: `DNSWireError` (`.truncated`, `.badPointer`, `.pointerLoop`, `.badLabelType`, `.nameTooLong`,
    ///   `.badRecordData`); never traps, whatever the bytes.
    public init(parsing bytes: ArraySlice<UInt8>) throws(DNSWireError) {
        var reader = DNSWireReader(bytes)
        header = try DNSHeader(reading: &reader)
        // Every count is checked against the bytes as they are read, so a count of 65535 in a short packet fails
        // at the first missing record instead of reserving memory for it.
        questions = []
        for _ in 0..<header.questionCount { questions.append(try DNSQuestion(reading: &reader)) }
        answers = try Self.records(header.answerCount, from: &reader)
        authorities = try Self.records(header.authorityCount, from: &reader)
        additionals = try Self.records(header.additionalCount, from: &reader)
    }

    public init(parsing bytes: [UInt8]) throws(DNSWireError) {
        try self.init(parsing: bytes[...])
    }

    private static func records(
        _ count: UInt16, from reader: inout DNSWireReader
    ) throws(DNSWireError) -> [DNSResourceRecord] {
        var records: [DNSResourceRecord] = []
        for _ in 0..<count { records.append(try DNSResourceRecord(reading: &reader)) }
        return records
    }
}
