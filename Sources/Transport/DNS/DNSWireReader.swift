/// Reads the fields of one DNS message, front to back, with every read bounds-checked.
///
/// Offsets are from the start of the message, whatever the indices of the slice it was given, because compression
/// pointers count from there (RFC 1035 §4.1.4). Nothing here traps on any input: a short message, a pointer out of
/// range or a pointer loop is a `DNSWireError`, and the work done is bounded by the message's length.
struct DNSWireReader {
    /// The most compression pointers followed within one name. A valid name has at most 127 labels, and a pointer
    /// to a pointer is legal, but no encoder chains more than a few.
    static let maximumPointers = 64

    private let bytes: ArraySlice<UInt8>
    /// The offset of the next byte to read.
    private(set) var offset: Int
    /// Where sequential reads must stop: the end of the message, or of the record data being read.
    var limit: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = 0
        self.limit = bytes.count
    }

    var count: Int { bytes.count }
    var remaining: Int { bytes.count - offset }

    private func byte(at offset: Int) -> UInt8 { bytes[bytes.startIndex + offset] }

    private func require(_ length: Int, _ what: String) throws(DNSWireError) {
        guard length <= limit - offset else { throw overrun(at: offset, what) }
    }

    /// The error for a read past `limit`: the message is truncated, or a record's fields overrun its data.
    private func overrun(at position: Int, _ what: String) -> DNSWireError {
        if limit < count {
            return DNSWireError(.badRecordData, at: position, "\(what) runs past the end of the record's data")
        }
        return DNSWireError(.truncated, at: position, "the message ends inside \(what)")
    }

    mutating func readUInt8(_ what: String) throws(DNSWireError) -> UInt8 {
        try require(1, what)
        defer { offset += 1 }
        return byte(at: offset)
    }

    mutating func readUInt16(_ what: String) throws(DNSWireError) -> UInt16 {
        try require(2, what)
        defer { offset += 2 }
        return UInt16(byte(at: offset)) << 8 | UInt16(byte(at: offset + 1))
    }

    mutating func readUInt32(_ what: String) throws(DNSWireError) -> UInt32 {
        try require(4, what)
        defer { offset += 4 }
        return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(byte(at: offset + $1)) }
    }

    mutating func readBytes(_ length: Int, _ what: String) throws(DNSWireError) -> [UInt8] {
        try require(length, what)
        defer { offset += length }
        let start = bytes.startIndex + offset
        return Array(bytes[start..<(start + length)])
    }

    /// A `<character-string>`: a length byte and that many bytes (RFC 1035 §3.3).
    mutating func readCharacterString(_ what: String) throws(DNSWireError) -> [UInt8] {
        let length = Int(try readUInt8(what))
        return try readBytes(length, what)
    }

    /// A possibly compressed name (RFC 1035 §4.1.4). The labels before the first pointer must end before `limit`
    /// (the end of a record's data); a pointer may lead anywhere in the message before or after it. Every pointer
    /// target is followed at most once, so a loop is found on its second round.
    mutating func readName() throws(DNSWireError) -> DNSName {
        var wire: [UInt8] = []
        var position = offset
        var end = limit
        var jumped = false
        var targets: Set<Int> = []
        while true {
            guard position < end else {
                throw jumped
                    ? DNSWireError(.truncated, at: position, "the message ends inside a name")
                    : overrun(at: position, "a name")
            }
            let length = byte(at: position)
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    if !jumped { offset = position + 1 }
                    return DNSName(checkedWire: wire)
                }
                guard Int(length) < end - position else {
                    throw jumped
                        ? DNSWireError(.truncated, at: position, "the message ends inside a label")
                        : overrun(at: position, "a label")
                }
                let start = bytes.startIndex + position
                wire.append(length)
                wire.append(contentsOf: bytes[(start + 1)...(start + Int(length))])
                guard wire.count + 1 <= DNSName.maximumWireLength else {
                    throw DNSWireError(.nameTooLong, at: position, "the name is longer than 255 bytes")
                }
                position += 1 + Int(length)
            case 0xC0:
                guard position + 1 < end else {
                    throw jumped
                        ? DNSWireError(.truncated, at: position, "the message ends inside a compression pointer")
                        : overrun(at: position, "a compression pointer")
                }
                let target = Int(length & 0x3F) << 8 | Int(byte(at: position + 1))
                guard target < count else {
                    throw DNSWireError(
                        .badPointer, at: position, "a compression pointer points past the end (\(target))")
                }
                guard targets.insert(target).inserted, targets.count <= Self.maximumPointers else {
                    throw DNSWireError(.pointerLoop, at: position, "compression pointers loop (to \(target))")
                }
                if !jumped { offset = position + 2 }
                jumped = true
                end = count
                position = target
            default:
                throw DNSWireError(
                    .badLabelType, at: position,
                    "a label starts with the reserved bits (0x\(String(length, radix: 16)))")
            }
        }
    }
}
