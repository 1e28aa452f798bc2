/// Byte constants and character classes of the SIP grammar (RFC 3261 §25.1), used by every scanner in the codec.
///
/// The codec works on bytes, never on `String`s of a whole message: these helpers are the small vocabulary that
/// makes byte scanning readable.
@usableFromInline
enum ASCII {
    @usableFromInline static let cr = UInt8(ascii: "\r")
    @usableFromInline static let lf = UInt8(ascii: "\n")
    @usableFromInline static let space = UInt8(ascii: " ")
    @usableFromInline static let tab = UInt8(ascii: "\t")
    @usableFromInline static let colon = UInt8(ascii: ":")
    @usableFromInline static let semicolon = UInt8(ascii: ";")
    @usableFromInline static let comma = UInt8(ascii: ",")
    @usableFromInline static let equals = UInt8(ascii: "=")
    @usableFromInline static let quote = UInt8(ascii: "\"")
    @usableFromInline static let backslash = UInt8(ascii: "\\")
    @usableFromInline static let lessThan = UInt8(ascii: "<")
    @usableFromInline static let greaterThan = UInt8(ascii: ">")
    @usableFromInline static let slash = UInt8(ascii: "/")
    @usableFromInline static let percent = UInt8(ascii: "%")

    /// SP or HTAB: the characters that make up linear white space within a line.
    @inlinable static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    @inlinable static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inlinable static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    /// ASCII lower-casing of one byte; other bytes are returned unchanged.
    @inlinable static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// `token` characters (RFC 3261 §25.1): alphanumerics and `-.!%*_+`~'`.
    ///
    /// A bitmap in two literal words rather than a table: no global to initialize on the parser's hot path.
    @inlinable static func isTokenChar(_ byte: UInt8) -> Bool {
        let low: UInt64 = 0x03ff_6ca2_0000_0000  // bytes 0–63: ! % ' * + - . 0-9
        let high: UInt64 = 0x47ff_ffff_87ff_fffe  // bytes 64–127: A-Z _ ` a-z ~
        if byte < 64 { return (low >> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (high >> UInt64(byte &- 64)) & 1 != 0 }
        return false
    }
}

extension Collection<UInt8> {
    /// Case-insensitive ASCII comparison with a lower-case literal, without building a `String`.
    @inlinable
    func equalsCaseInsensitive(_ lowercasedLiteral: some Collection<UInt8>) -> Bool {
        guard count == lowercasedLiteral.count else { return false }
        var other = lowercasedLiteral.makeIterator()
        for byte in self where ASCII.lowercased(byte) != other.next() { return false }
        return true
    }
}

extension ArraySlice<UInt8> {
    /// The slice without leading and trailing SP, HTAB, CR and LF.
    @inlinable
    func trimmingWhitespace() -> ArraySlice<UInt8> {
        var start = startIndex
        var end = endIndex
        while start < end, ASCII.isWhitespace(self[start]) || self[start] == ASCII.cr || self[start] == ASCII.lf {
            start += 1
        }
        while end > start, ASCII.isWhitespace(self[end - 1]) || self[end - 1] == ASCII.cr || self[end - 1] == ASCII.lf {
            end -= 1
        }
        return self[start..<end]
    }

    /// Parses an unsigned decimal number, rejecting empty input, non-digits and values above `maximum`.
    @inlinable
    func parseDecimal(maximum: Int = Int(UInt32.max)) -> Int? {
        guard !isEmpty else { return nil }
        var value = 0
        for byte in self {
            guard ASCII.isDigit(byte) else { return nil }
            value = value &* 10 &+ Int(byte &- UInt8(ascii: "0"))
            if value > maximum { return nil }
        }
        return value
    }
}

extension String {
    /// A `String` from bytes that are expected to be UTF-8; invalid sequences become U+FFFD instead of failing.
    @inlinable
    init(sipBytes bytes: some Collection<UInt8>) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}
