extension DNSName {
    /// Parses a name in presentation form (RFC 1035 §5.1): labels separated by dots, an optional trailing dot, `.`
    /// for the root; `\X` stands for the byte X and `\DDD` for the byte of that decimal value.
    ///
    /// Names are taken as absolute: no search list is applied (a SIP URI's host is a fully qualified name).
    ///
    /// - Throws: `.badName` (empty text, an empty label, a bad escape), `.labelTooLong`, `.nameTooLong`.
    public init(parsing text: String) throws(DNSWireError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw DNSWireError(.badName, "the name is empty") }
        if bytes == [UInt8(ascii: ".")] {
            self = .root
            return
        }
        var labels: [[UInt8]] = []
        var label: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "."):
                guard !label.isEmpty else { throw DNSWireError(.badName, "'\(text)' has an empty label") }
                labels.append(label)
                label = []
            case UInt8(ascii: "\\"):
                label.append(try Self.unescape(bytes, at: &index, in: text))
            default:
                label.append(byte)
            }
            guard label.count <= Self.maximumLabelLength else {
                throw DNSWireError(.labelTooLong, "'\(text)' has a label longer than 63 bytes")
            }
        }
        if !label.isEmpty { labels.append(label) }
        try self.init(labels: labels)
    }

    /// The byte an escape stands for; `index` is just past the backslash and is moved past the escape.
    private static func unescape(_ bytes: [UInt8], at index: inout Int, in text: String) throws(DNSWireError) -> UInt8 {
        guard index < bytes.count else { throw DNSWireError(.badName, "'\(text)' ends in a backslash") }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard isDigit(bytes[index]) else {
            defer { index += 1 }
            return bytes[index]
        }
        guard index + 3 <= bytes.count, bytes[index..<(index + 3)].allSatisfy(isDigit) else {
            throw DNSWireError(.badName, "'\(text)' has a \\DDD escape without three digits")
        }
        let value = bytes[index..<(index + 3)].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard value <= 255 else { throw DNSWireError(.badName, "'\(text)' escapes a value above 255") }
        index += 3
        return UInt8(value)
    }
}
