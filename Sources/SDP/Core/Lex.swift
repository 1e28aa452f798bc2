/// Small byte-level helpers shared by the parser and the typed attribute views.
///
/// Everything splits on ASCII bytes through the UTF-8 view, never on `Character`s, so a combining mark after a
/// space cannot glue two fields together, and every number is parsed with overflow checks so no input can trap.
enum Lex {
    static let space: UInt8 = 0x20
    static let colon: UInt8 = 0x3A
    static let slash: UInt8 = 0x2F
    static let equals: UInt8 = 0x3D
    static let semicolon: UInt8 = 0x3B

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    static func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66) }

    /// An unsigned decimal of one or more digits that fits `T`, or nil.
    static func decimal<T: FixedWidthInteger & UnsignedInteger>(
        _ bytes: some Collection<UInt8>, as _: T.Type = T.self
    ) -> T? {
        guard !bytes.isEmpty else { return nil }
        var value: T = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(T(byte &- 0x30))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    static func decimal<T: FixedWidthInteger & UnsignedInteger>(
        _ text: some StringProtocol, as _: T.Type = T.self
    ) -> T? {
        decimal(text.utf8, as: T.self)
    }

    /// A non-negative decimal that fits `Int`.
    static func int(_ bytes: some Collection<UInt8>) -> Int? {
        decimal(bytes, as: UInt64.self).flatMap { Int(exactly: $0) }
    }

    static func int(_ text: some StringProtocol) -> Int? { int(text.utf8) }

    static func string(_ bytes: some Collection<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// At most 40 bytes of input for an error's detail, so a log line stays short whatever the peer sent.
    static func excerpt(_ bytes: some Collection<UInt8>) -> String {
        bytes.count > 40 ? string(bytes.prefix(40)) + "…" : string(bytes)
    }

    /// Fields separated by one or more spaces. RFC 8866 asks for exactly one; accepting runs costs nothing and
    /// re-serializing with single spaces gives the same model back.
    static func fields(_ bytes: some Collection<UInt8>) -> [String] {
        bytes.split(separator: space).map { string($0) }
    }

    static func fields(_ text: some StringProtocol) -> [String] { fields(text.utf8) }

    /// `text` split at the first `byte`, or nil when the byte does not occur.
    static func splitOnce(_ text: some StringProtocol, at byte: UInt8) -> (String, String)? {
        let utf8 = text.utf8
        guard let index = utf8.firstIndex(of: byte) else { return nil }
        return (string(utf8[..<index]), string(utf8[utf8.index(after: index)...]))
    }

    /// `text` split at every `byte`, keeping empty pieces.
    static func pieces(_ text: some StringProtocol, at byte: UInt8) -> [String] {
        text.utf8.split(separator: byte, omittingEmptySubsequences: false).map { string($0) }
    }

    static func trimmingSpaces(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != space && $0 != 0x09 }),
            let last = utf8.lastIndex(where: { $0 != space && $0 != 0x09 })
        else { return "" }
        return string(utf8[first...last])
    }
}
